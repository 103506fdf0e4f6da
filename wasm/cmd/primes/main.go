// Command primes does CPU work: it counts the primes up to N by trial
// division (deliberately not a sieve, so the work is CPU, not memory).
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	print := flag.Bool("print", false, "print every prime found")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: primes [-print] [N]\n\nCounts the primes up to N (default 1000000) and reports how long it took.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	limit := 1000000
	if flag.NArg() > 0 {
		n, err := strconv.Atoi(flag.Arg(0))
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "primes: N must be a non-negative integer, got %q\n", flag.Arg(0))
			os.Exit(2)
		}
		limit = n
	}
	start := time.Now()
	count, last := 0, 0
	for n := 2; n <= limit; n++ {
		if isPrime(n) {
			count, last = count+1, n
			if *print {
				fmt.Println(n)
			}
		}
	}
	fmt.Printf("%d primes up to %d (largest %d) in %s\n", count, limit, last, time.Since(start).Round(time.Millisecond))
}

func isPrime(n int) bool {
	if n < 4 {
		return n > 1
	}
	if n%2 == 0 {
		return false
	}
	for d := 3; d*d <= n; d += 2 {
		if n%d == 0 {
			return false
		}
	}
	return true
}
