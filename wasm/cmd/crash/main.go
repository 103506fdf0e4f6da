// Command crash exits with the given code, optionally after a delay: a
// program for CrashLoopBackOff and restartPolicy demos.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	after := flag.Duration("after", 0, "wait this long before exiting")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: crash [-after DURATION] [CODE]\n\nExits with CODE (default 1) after DURATION.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	code := 1
	if flag.NArg() > 0 {
		c, err := strconv.Atoi(flag.Arg(0))
		if err != nil || c < 0 || c > 255 {
			fmt.Fprintf(os.Stderr, "crash: exit code must be 0-255, got %q\n", flag.Arg(0))
			os.Exit(2)
		}
		code = c
	}
	if *after > 0 {
		fmt.Printf("crashing in %s\n", *after)
		time.Sleep(*after)
	}
	fmt.Fprintf(os.Stderr, "crash: exiting with code %d\n", code)
	os.Exit(code)
}
