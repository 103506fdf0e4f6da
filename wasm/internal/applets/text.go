package applets

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

func init() {
	Register(&Applet{Name: "cat", Usage: "[FILE]...", Help: "Print FILEs (or stdin, also for -) to stdout.", Run: cat})
	Register(&Applet{Name: "head", Usage: "[-n N] [-c BYTES] [FILE]...", Help: "Print the first N (10) lines of each FILE (-c: the first BYTES bytes; suffixes k m g b).", Run: func(e *Env) int { return headTail(e, true) }})
	Register(&Applet{Name: "tail", Usage: "[-n N] [-c BYTES] [-f] [FILE]...", Help: "Print the last N (10) lines of each FILE (-c: the last BYTES bytes); -f keeps printing what is appended.", Run: func(e *Env) int { return headTail(e, false) }})
	Register(&Applet{Name: "wc", Usage: "[-lwc] [FILE]...", Help: "Count lines, words and bytes.", Run: wc})
	Register(&Applet{Name: "tee", Usage: "[-a] [FILE]...", Help: "Copy stdin to stdout and to each FILE (-a appends).", Run: tee})
	Register(&Applet{Name: "sha256sum", Usage: "[FILE]...", Help: "Print the SHA-256 checksum of each FILE.", Run: sha256sum})
	Register(&Applet{Name: "tr", Usage: "[-d] SET1 [SET2]", Help: "Translate (or with -d delete) characters of stdin; sets may hold ranges like a-z.", Run: tr})
}

func eachInput(e *Env, names []string, fn func(name string, r io.Reader) error) int {
	if len(names) == 0 {
		names = []string{"-"}
	}
	status := 0
	for _, n := range names {
		r, err := openInput(e, n)
		if err != nil {
			status = e.Errorf("%s: %s", n, errText(err))
			continue
		}
		if err := fn(n, r); err != nil {
			status = e.Errorf("%s: %s", n, errText(err))
		}
		r.Close()
	}
	return status
}

func cat(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "u", "")
	if !ok {
		return 1
	}
	return eachInput(e, f.rest, func(_ string, r io.Reader) error {
		_, err := io.Copy(e.Stdout, r)
		return err
	})
}

func lineCount(e *Env, args []string) ([]string, int, bool) {
	n := 10
	// busybox and GNU accept the obsolete "-5" form too.
	if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		if v, err := strconv.Atoi(args[0][1:]); err == nil {
			return args[1:], v, true
		}
	}
	return args, n, true
}

func headTail(e *Env, head bool) int {
	args, n, _ := lineCount(e, e.Args[1:])
	f, ok := parseFlags(e, args, "fqv", "nc")
	if !ok {
		return 1
	}
	bytes := int64(-1)
	if v, set := f.values['c']; set {
		num, err := parseSize(v)
		if err != nil || num < 0 {
			return e.Errorf("invalid number '%s'", v)
		}
		bytes = num
	}
	if v, set := f.values['n']; set {
		num, err := strconv.Atoi(strings.TrimPrefix(v, "+"))
		if err != nil {
			return e.Errorf("invalid number '%s'", v)
		}
		n = num
	}
	many := len(f.rest) > 1
	first := true
	return eachInput(e, f.rest, func(name string, r io.Reader) error {
		if many {
			if !first {
				fmt.Fprintln(e.Stdout)
			}
			fmt.Fprintf(e.Stdout, "==> %s <==\n", name)
		}
		first = false
		if bytes >= 0 {
			if head {
				_, err := io.Copy(e.Stdout, io.LimitReader(r, bytes))
				return err
			}
			data, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			e.Stdout.Write(data[max(0, int64(len(data))-bytes):])
			return nil
		}
		if head {
			br := bufio.NewReader(r)
			for i := 0; i < n; i++ {
				line, err := br.ReadString('\n')
				io.WriteString(e.Stdout, line)
				if err != nil {
					break
				}
			}
			return nil
		}
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		e.Stdout.Write(lastLines(data, n))
		if f.set['f'] && name != "-" {
			return follow(e, name, int64(len(data)))
		}
		return nil
	})
}

func lastLines(data []byte, n int) []byte {
	end := len(data)
	if end > 0 && data[end-1] == '\n' {
		end--
	}
	start := end
	for count := 0; start > 0; start-- {
		if data[start-1] == '\n' {
			count++
			if count == n {
				break
			}
		}
	}
	if n == 0 {
		return nil
	}
	return data[start:]
}

// follow polls the file for appended bytes until the process is killed.
func follow(e *Env, name string, offset int64) error {
	for {
		time.Sleep(300 * time.Millisecond)
		fh, err := os.Open(e.Path(name))
		if err != nil {
			continue
		}
		st, err := fh.Stat()
		if err == nil && st.Size() < offset {
			offset = 0 // truncated: start over, as tail -f does
		}
		if err == nil && st.Size() > offset {
			fh.Seek(offset, io.SeekStart)
			n, _ := io.Copy(e.Stdout, fh)
			offset += n
		}
		fh.Close()
	}
}

func wc(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "lwc", "")
	if !ok {
		return 1
	}
	all := !f.set['l'] && !f.set['w'] && !f.set['c']
	var tl, tw, tc int
	print := func(l, w, c int, name string) {
		var cols []string
		if all || f.set['l'] {
			cols = append(cols, fmt.Sprintf("%7d", l))
		}
		if all || f.set['w'] {
			cols = append(cols, fmt.Sprintf("%7d", w))
		}
		if all || f.set['c'] {
			cols = append(cols, fmt.Sprintf("%7d", c))
		}
		line := strings.Join(cols, " ")
		if name != "-" {
			line += " " + name
		}
		fmt.Fprintln(e.Stdout, line)
	}
	status := eachInput(e, f.rest, func(name string, r io.Reader) error {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		l, w, c := bytes.Count(data, []byte{'\n'}), len(bytes.Fields(data)), len(data)
		tl, tw, tc = tl+l, tw+w, tc+c
		print(l, w, c, name)
		return nil
	})
	if len(f.rest) > 1 {
		print(tl, tw, tc, "total")
	}
	return status
}

func tee(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "a", "")
	if !ok {
		return 1
	}
	writers := []io.Writer{e.Stdout}
	status := 0
	mode := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if f.set['a'] {
		mode = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	for _, n := range f.rest {
		fh, err := os.OpenFile(e.Path(n), mode, 0o644)
		if err != nil {
			status = e.Errorf("%s: %s", n, errText(err))
			continue
		}
		defer fh.Close()
		writers = append(writers, fh)
	}
	io.Copy(io.MultiWriter(writers...), e.Stdin)
	return status
}

func sha256sum(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "b", "")
	if !ok {
		return 1
	}
	return eachInput(e, f.rest, func(name string, r io.Reader) error {
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "%s  %s\n", hex.EncodeToString(h.Sum(nil)), name)
		return nil
	})
}

func expandSet(s string) []rune {
	var out []rune
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		if i+2 < len(r) && r[i+1] == '-' {
			for c := r[i]; c <= r[i+2]; c++ {
				out = append(out, c)
			}
			i += 2
			continue
		}
		out = append(out, r[i])
	}
	return out
}

func tr(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "d", "")
	if !ok {
		return 1
	}
	if len(f.rest) < 1 || (!f.set['d'] && len(f.rest) < 2) {
		return e.Errorf("missing operand")
	}
	from := expandSet(f.rest[0])
	mapping := map[rune]rune{}
	if !f.set['d'] {
		to := expandSet(f.rest[1])
		for i, c := range from {
			j := i
			if j >= len(to) {
				j = len(to) - 1
			}
			mapping[c] = to[j]
		}
	}
	in := bufio.NewReader(e.Stdin)
	out := bufio.NewWriter(e.Stdout)
	defer out.Flush()
	for {
		c, _, err := in.ReadRune()
		if err != nil {
			return 0
		}
		if f.set['d'] {
			if strings.ContainsRune(string(from), c) {
				continue
			}
		} else if m, ok := mapping[c]; ok {
			c = m
		}
		out.WriteRune(c)
		if c == '\n' {
			out.Flush()
		}
	}
}

// parseSize reads busybox's sizes: 100, 10k, 1m, 2g, 3b (512-byte blocks).
func parseSize(v string) (int64, error) {
	mult := int64(1)
	if v != "" {
		switch v[len(v)-1] {
		case 'b':
			mult, v = 512, v[:len(v)-1]
		case 'k', 'K':
			mult, v = 1024, v[:len(v)-1]
		case 'm', 'M':
			mult, v = 1<<20, v[:len(v)-1]
		case 'g', 'G':
			mult, v = 1<<30, v[:len(v)-1]
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n * mult, err
}
