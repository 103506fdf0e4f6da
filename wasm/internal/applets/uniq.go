package applets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
)

func init() {
	Register(&Applet{Name: "uniq", Usage: "[-cduiz] [-f,s,w N] [FILE [OUTFILE]]",
		Help: `Discard duplicate lines

	-c	Prefix lines by the number of occurrences
	-d	Only print duplicate lines
	-u	Only print unique lines
	-i	Ignore case
	-z	NUL terminated output
	-f N	Skip first N fields
	-s N	Skip first N chars (after any skipped fields)
	-w N	Compare N characters in line`,
		Run: uniq})
}

var uniqOptions = getopt{short: "cduf:s:w:iz"}

// uniq is busybox's: counts as "%7lu ", -d and -u together print nothing.
func uniq(e *Env) int {
	p, ok := uniqOptions.parse(e, e.Args[1:])
	if !ok {
		return usageError(e, 1)
	}
	skipFields, skipChars, maxChars := 0, 0, 1<<31-1
	for _, o := range p.list {
		var dst *int
		switch o.name {
		case 'f':
			dst = &skipFields
		case 's':
			dst = &skipChars
		case 'w':
			dst = &maxChars
		default:
			continue
		}
		n, ok := atoiPositive(o.value)
		if !ok {
			fmt.Fprintf(e.Stderr, "uniq: invalid number '%s'\n", o.value)
			return 1
		}
		*dst = n
	}
	in, out := e.Stdin, e.Stdout
	if args := p.operands; len(args) > 0 {
		if args[0] != "-" {
			f, err := os.Open(e.Path(args[0]))
			if err != nil {
				fmt.Fprintf(e.Stderr, "uniq: can't open '%s': %s\n", args[0], errText(err))
				return 1
			}
			defer f.Close()
			in = f
		}
		if len(args) > 1 {
			if len(args) > 2 {
				return usageError(e, 1)
			}
			if args[1] != "-" {
				f, err := os.OpenFile(e.Path(args[1]), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
				if err != nil {
					fmt.Fprintf(e.Stderr, "uniq: can't open '%s': %s\n", args[1], errText(err))
					return 1
				}
				defer f.Close()
				out = f
			}
		}
	}
	eol := byte('\n')
	if p.has('z') {
		eol = 0 // input is still read by lines, as in busybox
	}
	compareFrom := func(line []byte) []byte {
		c := line
		for i := 0; i < skipFields; i++ {
			for len(c) > 0 && isSpaceC(c[0]) {
				c = c[1:]
			}
			for len(c) > 0 && !isSpaceC(c[0]) {
				c = c[1:]
			}
		}
		return c[min(skipChars, len(c)):]
	}
	same := func(a, b []byte) bool {
		a, b = a[:min(len(a), maxChars)], b[:min(len(b), maxChars)]
		if p.has('i') {
			return len(a) == len(b) && indexFold(a, string(b)) == 0
		}
		return bytes.Equal(a, b)
	}
	w := bufio.NewWriter(out)
	br := bufio.NewReader(in)
	var prev []byte
	havePrev := false
	dups := 0
	flush := func() {
		if !havePrev {
			return
		}
		if (dups == 0 && !p.has('d')) || (dups > 0 && !p.has('u')) {
			if p.has('c') {
				fmt.Fprintf(w, "%7d ", dups+1)
			}
			w.Write(prev)
			w.WriteByte(eol)
		}
	}
	for {
		raw, err := br.ReadBytes('\n')
		if len(raw) == 0 && err != nil {
			if err != io.EOF {
				fmt.Fprintf(e.Stderr, "uniq: %s\n", errText(err))
			}
			break
		}
		line := bytes.TrimSuffix(raw, []byte{'\n'})
		if havePrev && same(compareFrom(prev), compareFrom(line)) {
			dups++
		} else {
			flush()
			prev, havePrev, dups = line, true, 0
		}
		if err != nil {
			break
		}
	}
	flush()
	if w.Flush() != nil {
		return 1
	}
	return 0
}
