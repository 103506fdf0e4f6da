package applets

import (
	"fmt"
	"strings"
)

// getopt parses options the way busybox's getopt32 does through glibc's
// getopt_long: short options cluster ("-nv"), a valued one takes the rest of
// its word or the next word ("-e PAT", "-ePAT"), "--" ends options. Unlike
// parseFlags it keeps every occurrence in order (grep -e repeats, -H/-h: the
// last wins) and knows long options.
type getopt struct {
	short string            // getopt letters; "x:" takes a value, "x::" an optional attached one
	long  map[string]string // long name -> short letter it stands for; a trailing ":" or "::" as in short
	// stopAtOperand: options end at the first operand (a leading "+" in
	// getopt's string: env, xargs). Otherwise operands and options mix, as
	// glibc permutes them: "grep a file -n".
	stopAtOperand bool
}

type option struct {
	name  byte   // the short letter (long options map to one)
	value string // its argument, if it takes one
	set   bool   // an optional argument was given
}

type parsedOpts struct {
	list     []option
	operands []string
}

// has reports whether the option occurred.
func (p *parsedOpts) has(c byte) bool {
	for _, o := range p.list {
		if o.name == c {
			return true
		}
	}
	return false
}

// last returns the value of the option's last occurrence.
func (p *parsedOpts) last(c byte) (string, bool) {
	v, ok := "", false
	for _, o := range p.list {
		if o.name == c {
			v, ok = o.value, true
		}
	}
	return v, ok
}

// all returns the values of every occurrence, in order.
func (p *parsedOpts) all(c byte) []string {
	var vs []string
	for _, o := range p.list {
		if o.name == c {
			vs = append(vs, o.value)
		}
	}
	return vs
}

// takes returns 0 (no value), 1 (required) or 2 (optional, attached only).
func (g *getopt) takes(c byte) (int, bool) {
	i := strings.IndexByte(g.short, c)
	if i < 0 || c == ':' {
		return 0, false
	}
	switch {
	case strings.HasPrefix(g.short[i+1:], "::"):
		return 2, true
	case strings.HasPrefix(g.short[i+1:], ":"):
		return 1, true
	}
	return 0, true
}

// parse reads args (without the applet name). On a bad option it prints
// glibc's message to stderr and returns ok=false; the caller exits with its
// own usage status.
func (g *getopt) parse(e *Env, args []string) (*parsedOpts, bool) {
	p := &parsedOpts{}
	bad := func(format string, a ...any) (*parsedOpts, bool) {
		fmt.Fprintf(e.Stderr, "%s: %s\n", e.Args[0], fmt.Sprintf(format, a...))
		return nil, false
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			p.operands = append(p.operands, args[i+1:]...)
			return p, true
		}
		if len(a) < 2 || a[0] != '-' {
			if g.stopAtOperand {
				p.operands = append(p.operands, args[i:]...)
				return p, true
			}
			p.operands = append(p.operands, a)
			continue
		}
		if strings.HasPrefix(a, "--") {
			name, val, hasVal := strings.Cut(a[2:], "=")
			spec, ok := g.long[name]
			if !ok {
				// glibc accepts an unambiguous prefix of a long option.
				var found []string
				for n := range g.long {
					if strings.HasPrefix(n, name) {
						found = append(found, n)
					}
				}
				if len(found) != 1 {
					return bad("unrecognized option '%s'", a)
				}
				name, spec = found[0], g.long[found[0]]
			}
			o := option{name: spec[0]}
			switch {
			case strings.HasSuffix(spec, "::"):
				o.value, o.set = val, hasVal
			case strings.HasSuffix(spec, ":"):
				if !hasVal {
					if i+1 >= len(args) {
						return bad("option '--%s' requires an argument", name)
					}
					i++
					val = args[i]
				}
				o.value, o.set = val, true
			default:
				if hasVal {
					return bad("option '--%s' doesn't allow an argument", name)
				}
			}
			p.list = append(p.list, o)
			continue
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			kind, ok := g.takes(c)
			if !ok {
				return bad("invalid option -- '%c'", c)
			}
			o := option{name: c}
			switch kind {
			case 1:
				v := a[j+1:]
				if v == "" {
					if i+1 >= len(args) {
						return bad("option requires an argument -- '%c'", c)
					}
					i++
					v = args[i]
				}
				o.value, o.set = v, true
				j = len(a)
			case 2:
				o.value, o.set = a[j+1:], j+1 < len(a)
				j = len(a)
			}
			p.list = append(p.list, o)
		}
	}
	return p, true
}

// usageError prints the one-line hint busybox's usage screen stands for and
// returns status.
func usageError(e *Env, status int) int {
	fmt.Fprintf(e.Stderr, "Try '%s --help' for more information.\n", e.Args[0])
	return status
}

// atoiPositive is busybox's xatoi_positive: decimal digits only, no sign.
func atoiPositive(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
		if n > 1<<31-1 {
			return 0, false
		}
	}
	return n, true
}
