// Command ticker prints a numbered line every interval until it is killed or
// has printed -count lines.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	interval := flag.Duration("interval", time.Second, "time between lines")
	count := flag.Int("count", 0, "stop after this many lines (0: until killed)")
	message := flag.String("message", "tick", "text before each number")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: ticker [-interval 1s] [-count N] [-message TEXT]\n\nPrints \"TEXT N\" every interval.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *interval <= 0 {
		fmt.Fprintln(os.Stderr, "ticker: -interval must be positive")
		os.Exit(2)
	}
	for n := 1; *count == 0 || n <= *count; n++ {
		if n > 1 {
			time.Sleep(*interval)
		}
		fmt.Printf("%s %d\n", *message, n)
	}
}
