package applets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

func init() {
	Register(&Applet{Name: "xargs", Usage: "[OPTIONS] [PROG ARGS]",
		Help: `Run PROG on every item given by stdin

	-0	NUL terminated input
	-d DELIM	Items are separated by DELIM (as GNU xargs; busybox has no -d)
	-a FILE	Read from FILE instead of stdin
	-r	Don't run command if input is empty
	-t	Print the command on stderr before execution
	-p	Ask user whether to run each command
	-E STR,-e[STR]	STR stops input processing
	-I STR	Replace STR within PROG ARGS with input line
	-n N	Pass no more than N args to PROG
	-s N	Pass command line of no more than N bytes
	-P N	Run up to N PROGs in parallel (here one after another)
	-x	Exit if size is exceeded

PROG defaults to echo. Exit status: 123 if a PROG exited 1-125, 124 if one
exited 255, 125 if one was killed, 126 if PROG cannot run, 127 if not found.`,
		Run: xargs})
}

var xargsOptions = getopt{
	short:         "trn:s:e::E:px0I:i::P:a:d:",
	long:          map[string]string{"no-run-if-empty": "r"},
	stopAtOperand: true,
}

const (
	xNorm = iota
	xQuote
	xBackslash
	xSpace
)

// xargsReader reads argument words as busybox's process_stdin and its -0,
// -I and (GNU) -d variants do, into a buffer of at most maxChars bytes.
type xargsReader struct {
	r      *bufio.Reader
	state  int
	q      byte
	eof    string
	hasEOF bool
	delim  int // -1: words split at blanks with quotes; otherwise the byte
	eol    byte
}

type xargsDie struct{ msg string }

// read returns the next words; tail is a partial word that did not fit.
// Like busybox's buffer, the words taken and their NUL terminators count
// toward maxChars.
func (x *xargsReader) read(maxChars, maxArgs int, seed []byte) (words []string, tail []byte) {
	used := 0 // bytes of the words taken, terminators included
	word := append([]byte(nil), seed...)
	full := func() bool { return used+len(word) >= maxChars }
	take := func() bool { // reports whether reading must stop
		words = append(words, string(word))
		used += len(word) + 1
		word = word[:0]
		maxArgs--
		return maxArgs == 0 || used >= maxChars
	}
	if x.delim >= 0 {
		for {
			c, err := x.r.ReadByte()
			if err != nil {
				if len(word) == 0 {
					return words, nil
				}
				c = byte(x.delim)
			}
			if int(c) == x.delim {
				if take() || err != nil {
					return words, nil
				}
				continue
			}
			word = append(word, c)
			if full() {
				return words, word
			}
		}
	}
	for {
		c, err := x.r.ReadByte()
		closeWord := false
		if err != nil {
			if len(word) == 0 {
				return words, nil
			}
			closeWord = true
		}
		set := false
		switch {
		case closeWord:
		case x.state == xBackslash:
			x.state = xNorm
			set = true
		case x.state == xQuote:
			if c != x.q {
				set = true
			} else {
				x.q = 0
				x.state = xNorm
			}
		case isSpaceC(c):
			closeWord = len(word) != 0
		case c == '\\':
			x.state = xBackslash
		case c == '\'' || c == '"':
			x.q, x.state = c, xQuote
		default:
			set = true
		}
		if set {
			word = append(word, c)
			if full() {
				return words, word
			}
		}
		if closeWord {
			x.state = xNorm
			if x.q != 0 {
				kind := "double"
				if x.q == '\'' {
					kind = "single"
				}
				panic(xargsDie{"unmatched " + kind + " quote"})
			}
			if x.hasEOF && string(word) == x.eof {
				io.Copy(io.Discard, x.r)
				return words, nil
			}
			if take() || err != nil {
				return words, nil
			}
		}
	}
}

// readLine is -I's reader: one line, leading blanks and empty lines skipped.
func (x *xargsReader) readLine(maxChars int) (string, bool) {
	var buf []byte
	for {
		c, err := x.r.ReadByte()
		if len(buf) == 0 {
			if err != nil {
				return "", false
			}
			if c == x.eol || isSpaceC(c) {
				continue
			}
		}
		if err != nil || c == x.eol {
			return string(buf), true
		}
		buf = append(buf, c)
		if len(buf) >= maxChars {
			return string(buf), true
		}
	}
}

func xargs(e *Env) (status int) {
	defer func() {
		if r := recover(); r != nil {
			d, ok := r.(xargsDie)
			if !ok {
				panic(r)
			}
			fmt.Fprintf(e.Stderr, "xargs: %s\n", d.msg)
			status = 1
		}
	}()
	p, ok := xargsOptions.parse(e, e.Args[1:])
	if !ok {
		return usageError(e, 1)
	}
	x := &xargsReader{delim: -1, eol: '\n'}
	in := e.Stdin
	if name, ok := p.last('a'); ok {
		f, err := os.Open(e.Path(name))
		if err != nil {
			panic(xargsDie{fmt.Sprintf("can't open '%s': %s", name, errText(err))})
		}
		defer f.Close()
		in = f
	}
	x.r = bufio.NewReader(in)
	for _, o := range p.list {
		switch o.name {
		case 'e':
			x.eof, x.hasEOF = o.value, o.set && o.value != ""
		case 'E':
			x.eof, x.hasEOF = o.value, o.value != ""
		}
	}
	if p.has('0') {
		x.delim, x.eol = 0, 0
	}
	if d, ok := p.last('d'); ok {
		c, n := escapeSequence(strings.TrimPrefix(d, "\\"))
		if !strings.HasPrefix(d, "\\") || n == 0 {
			c = d[0]
		}
		if len(d) == 0 {
			panic(xargsDie{"invalid delimiter for -d"})
		}
		x.delim, x.eol = int(c), c
	}
	cmd := p.operands
	if len(cmd) == 0 {
		cmd = []string{"echo"}
	}
	maxChars := 32*1024 - 2048
	if v, ok := p.last('s'); ok {
		n, ok := atoiPositive(v)
		if !ok || n < 1 {
			panic(xargsDie{fmt.Sprintf("invalid number '%s'", v)})
		}
		maxChars = n
	}
	for _, a := range cmd {
		maxChars -= len(a) + 1
	}
	if maxChars <= 0 {
		panic(xargsDie{"can't fit single argument within argument list size limit"})
	}
	maxArgs := maxChars
	if v, ok := p.last('n'); ok {
		n, ok := atoiPositive(v)
		if !ok || n < 1 {
			panic(xargsDie{fmt.Sprintf("invalid number '%s'", v)})
		}
		maxArgs = n
	}
	if v, ok := p.last('P'); ok {
		if _, ok := atoiPositive(v); !ok {
			panic(xargsDie{fmt.Sprintf("invalid number '%s'", v)})
		}
	}
	repl, replace := "", false
	for _, o := range p.list {
		switch o.name {
		case 'I':
			repl, replace = o.value, true
		case 'i':
			repl, replace = "{}", true
			if o.set {
				repl = o.value
			}
		}
	}
	noEmpty := p.has('r') || replace // -I implies -r
	exitcode := 0
	var tail []byte
	for {
		var args []string
		if replace {
			line, ok := x.readLine(maxChars)
			if !ok {
				break
			}
			for _, a := range cmd {
				args = append(args, strings.ReplaceAll(a, repl, line))
			}
		} else {
			var words []string
			words, tail = x.read(maxChars, maxArgs, tail)
			if len(words) == 0 {
				if len(tail) > 0 {
					panic(xargsDie{"argument line too long"})
				}
				if noEmpty {
					break
				}
			}
			args = append(append([]string(nil), cmd...), words...)
		}
		noEmpty = true
		if p.has('t') || p.has('p') {
			fmt.Fprint(e.Stderr, strings.Join(args, " "))
			if !p.has('p') {
				fmt.Fprintln(e.Stderr)
			}
		}
		if p.has('p') && !xargsConfirm(e) {
			continue
		}
		if stop := xargsExec(e, args, &exitcode); stop {
			break
		}
	}
	return exitcode
}

// xargsConfirm asks on /dev/tty, as busybox does for -p.
func xargsConfirm(e *Env) bool {
	tty, err := os.Open("/dev/tty")
	if err != nil {
		panic(xargsDie{fmt.Sprintf("can't open '/dev/tty': %s", errText(err))})
	}
	defer tty.Close()
	fmt.Fprint(e.Stderr, " ?...")
	answer, _ := bufio.NewReader(tty).ReadString('\n')
	return strings.HasPrefix(strings.TrimLeft(answer, " \t"), "y") || strings.HasPrefix(strings.TrimLeft(answer, " \t"), "Y")
}

// xargsExec runs one command line through Exec and applies busybox's
// status rules; it reports whether xargs must stop.
func xargsExec(e *Env, args []string, exitcode *int) bool {
	sub := *e
	sub.Args = args
	sub.Stdin = strings.NewReader("")
	status, err := Exec(&sub)
	switch {
	case err != nil:
		fmt.Fprintf(e.Stderr, "xargs: %s: %s\n", args[0], err)
		*exitcode = 126
		if errors.Is(err, ErrNotFound) {
			*exitcode = 127
		}
		return true
	case status == SIGPIPE:
		fmt.Fprintf(e.Stderr, "xargs: '%s' terminated by signal %d\n", args[0], SIGPIPE-128)
		*exitcode = 125
		return true
	case status == 255:
		fmt.Fprintf(e.Stderr, "xargs: %s: exited with status 255; aborting\n", args[0])
		*exitcode = 124
		return true
	case status != 0:
		*exitcode = 123
	}
	return false
}
