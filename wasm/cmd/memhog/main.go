// Command memhog allocates N MiB, touching every page so the memory is really
// used, then holds it until killed (or for -hold). Past a container's memory
// limit the allocation fails and the runtime reports OOMKilled.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

var held [][]byte

func main() {
	step := flag.Int("step", 16, "MiB allocated per step (progress is printed per step)")
	hold := flag.Duration("hold", 0, "exit after holding this long (0: hold until killed)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: memhog [-step MiB] [-hold DURATION] N\n\nAllocates and holds N MiB.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	total, err := strconv.Atoi(flag.Arg(0))
	if err != nil || total < 0 || *step <= 0 {
		fmt.Fprintf(os.Stderr, "memhog: N must be a non-negative number of MiB, got %q\n", flag.Arg(0))
		os.Exit(2)
	}
	for done := 0; done < total; {
		n := min(*step, total-done)
		chunk := make([]byte, n<<20)
		for i := 0; i < len(chunk); i += 4096 {
			chunk[i] = 1
		}
		held = append(held, chunk)
		done += n
		fmt.Printf("allocated %d MiB\n", done)
	}
	fmt.Printf("holding %d MiB\n", total)
	if *hold > 0 {
		time.Sleep(*hold)
		return
	}
	for {
		time.Sleep(time.Hour)
	}
}
