package applets

import (
	"io"
	"strings"
)

func init() {
	// echo answers no --help, as busybox's: "echo --help" prints "--help".
	Register(&Applet{Name: "echo", Usage: "[-neE] [ARG]...", Run: echo})
}

// echo is busybox's fancy echo: leading arguments made only of the letters
// n, e and E are options (-n no newline, -e escapes; -E is accepted and, as
// in busybox 1.35, does not undo an -e); anything else, "-" and "--"
// included, is printed.
func echo(e *Env) int {
	args := e.Args[1:]
	newline, escapes := true, false
	for len(args) > 0 {
		a := args[0]
		if len(a) < 2 || a[0] != '-' || strings.Trim(a[1:], "neE") != "" {
			break
		}
		for _, c := range a[1:] {
			switch c {
			case 'n':
				newline = false
			case 'e':
				escapes = true
			} // 'E' is accepted but, as in busybox, turns nothing off

		}
		args = args[1:]
	}
	var out []byte
	for i, a := range args {
		if i > 0 {
			out = append(out, ' ')
		}
		if !escapes {
			out = append(out, a...)
			continue
		}
		for j := 0; j < len(a); j++ {
			if a[j] != '\\' {
				out = append(out, a[j])
				continue
			}
			rest := a[j+1:]
			if strings.HasPrefix(rest, "c") {
				// \c: no newline and nothing after it.
				return writeAll(e.Stdout, out)
			}
			// SUSv3's \0NNN: a leading 0 before an octal digit is skipped.
			if len(rest) > 1 && rest[0] == '0' && rest[1] >= '0' && rest[1] <= '7' {
				rest = rest[1:]
			}
			c, n := escapeSequence(rest)
			out = append(out, c)
			j = len(a) - len(rest) + n - 1
		}
	}
	if newline {
		out = append(out, '\n')
	}
	return writeAll(e.Stdout, out)
}

func writeAll(w io.Writer, b []byte) int {
	if _, err := w.Write(b); err != nil {
		return 1
	}
	return 0
}

// escapeSequence is busybox's bb_process_escape_sequence: s follows a
// backslash; it returns the byte meant and how many bytes of s it used.
// Up to 3 octal digits (value <= 255), \xHH with 1-2 hex digits, the letters
// a b e f n r t v and \\; anything else stands for a backslash and uses
// nothing.
func escapeSequence(s string) (byte, int) {
	base, digits, q := 8, 0, 0
	n := 0
	if strings.HasPrefix(s, "x") {
		q, base, digits = 1, 16, 1
	}
	for {
		if q >= len(s) {
			if base == 16 && digits == 1 {
				return '\\', 0
			}
			break
		}
		d := hexDigit(s[q])
		if d >= base {
			if base == 16 && digits == 1 {
				return '\\', 0 // "\x" without a hex digit: a backslash
			}
			break
		}
		r := n*base + d
		if r > 255 {
			break
		}
		n = r
		q++
		digits++
		if digits >= 3 {
			break
		}
	}
	if digits > 0 && !(base == 16 && digits == 1) {
		return byte(n), q
	}
	if len(s) > 0 {
		if i := strings.IndexByte("abefnrtv\\", s[0]); i >= 0 {
			return "\a\b\x1b\f\n\r\t\v\\"[i], 1
		}
	}
	return '\\', 0
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return 99
}
