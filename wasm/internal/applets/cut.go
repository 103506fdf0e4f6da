package applets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
)

func init() {
	Register(&Applet{Name: "cut", Usage: "[OPTIONS] [FILE]...",
		Help: `Print selected fields from FILEs to stdout

	-b LIST	Output only bytes from LIST
	-c LIST	Output only characters from LIST
	-d SEP	Field delimiter for input (default -f TAB, -F run of whitespace)
	-O SEP	Field delimiter for output (default = -d for -f, one space for -F)
	-D	Don't sort/collate sections or match -fF lines without delimiter
	-f LIST	Print only these fields (-d is single char)
	-F LIST	Print only these fields (-d is regex)
	-s	Output only lines containing delimiter
	-n	Ignored

LIST is N, N-M, N- or -M, separated by commas (1,3-5,7-).`,
		Run: cut})
}

var cutOptions = getopt{short: "b:c:f:d:O:sDF:n"}

type cutRange struct{ start, end int } // zero-based, inclusive

// cut is busybox's cut_file and cut_main.
func cut(e *Env) int {
	p, ok := cutOptions.parse(e, e.Args[1:])
	if !ok {
		return usageError(e, 1)
	}
	die := func(format string, a ...any) int {
		fmt.Fprintf(e.Stderr, "cut: %s\n", fmt.Sprintf(format, a...))
		return 1
	}
	mode := byte(0)
	var list string
	for _, o := range p.list {
		if strings.IndexByte("bcfF", o.name) >= 0 {
			if mode != 0 {
				return usageError(e, 1) // -b, -c, -f and -F exclude each other
			}
			mode, list = o.name, o.value
		}
	}
	delim, _ := p.last('d')
	regexMode := mode == 'F'
	if delim == "" {
		delim = "\t"
		if regexMode {
			delim = "[[:space:]]+"
		}
	}
	odelim, hasO := p.last('O')
	if !hasO {
		odelim = delim
		if regexMode {
			odelim = " "
		}
	}
	if mode == 0 {
		return die("expected a list of bytes, characters, or fields")
	}
	if mode == 'b' || mode == 'c' {
		if p.has('s') {
			return die("suppressing non-delimited lines makes sense only when operating on fields")
		}
		if p.has('d') {
			return die("a delimiter may be specified only when operating on fields")
		}
	}
	var lists []cutRange
	for _, tok := range strings.Split(list, ",") {
		if tok == "" {
			continue
		}
		first, rest, hasDash := strings.Cut(tok, "-")
		s, end := 0, 0
		if first != "" {
			n, ok := atoiPositive(first)
			if !ok {
				return die("invalid number '%s'", first)
			}
			s = max(n-1, 0)
		}
		switch {
		case !hasDash:
			end = s
		case rest == "":
			end = 1<<31 - 1
		default:
			n, ok := atoiPositive(rest)
			if !ok {
				return die("invalid number '%s'", rest)
			}
			if n < s {
				return die("%d<%d", n, s)
			}
			end = n - 1
		}
		lists = append(lists, cutRange{s, end})
	}
	if len(lists) == 0 {
		return die("missing list of positions")
	}
	if !p.has('D') {
		sort.SliceStable(lists, func(i, j int) bool { return lists[i].start < lists[j].start })
	}
	var re *posixRegex
	if regexMode {
		syn := posixERE
		syn.notBOL, syn.notEOL = true, true
		var err error
		if re, err = compileRegex(delim, syn); err != nil {
			return die("bad regex '%s': %s", delim, err)
		}
	}
	c := &cutter{w: bufio.NewWriter(e.Stdout), lists: lists, delim: delim, odelim: odelim, re: re,
		bytes: mode == 'b' || mode == 'c', suppress: p.has('s'), noSort: p.has('D')}
	status := 0
	files := p.operands
	if len(files) == 0 {
		files = []string{"-"}
	}
	for _, name := range files {
		r, err := openInput(e, name)
		if err != nil {
			c.w.Flush()
			fmt.Fprintf(e.Stderr, "cut: %s: %s\n", name, errText(err))
			status = 1
			continue
		}
		c.file(r)
		r.Close()
	}
	if c.w.Flush() != nil {
		return 1
	}
	return status
}

type cutter struct {
	w                       *bufio.Writer
	lists                   []cutRange
	delim, odelim           string
	re                      *posixRegex
	bytes, suppress, noSort bool
}

func (c *cutter) file(r io.Reader) {
	br := bufio.NewReader(r)
	for linenum := 0; ; linenum++ {
		raw, err := br.ReadBytes('\n')
		if len(raw) == 0 && err != nil {
			return
		}
		line := bytes.TrimSuffix(raw, []byte{'\n'})
		if c.line(line, linenum) {
			c.w.WriteByte('\n')
		}
		if err != nil {
			return
		}
	}
}

// line cuts one line; it reports whether a newline must follow.
func (c *cutter) line(line []byte, linenum int) bool {
	n := len(line)
	lists := c.lists
	if c.bytes {
		printed := make([]bool, n+1)
		for _, l := range lists {
			for spos := l.start; spos < n; {
				if !printed[spos] {
					printed[spos] = true
					c.w.WriteByte(line[spos])
				}
				spos++
				if spos > l.end {
					break
				}
			}
		}
		return true
	}
	if c.delim[0] == '\n' && c.re == nil { // cut by lines
		cl := 0
		spos := lists[cl].start
		if linenum < spos {
			return false
		}
		for spos < linenum {
			spos++
			if spos > lists[cl].end {
				cl++
				if cl >= len(lists) {
					return false
				}
				spos = lists[cl].start
				if linenum < spos {
					return false
				}
			}
		}
		c.w.Write(line)
		return true
	}
	cl, uu, start, end, out, dcount := 0, 0, 0, 0, 0, 0
	for {
		if end == n || dcount > lists[cl].end {
			cl++
			if cl >= len(lists) {
				break
			}
			if c.noSort {
				start, dcount, uu = 0, 0, 0
			}
			end = 0
		}
		if uu == n {
			if cl == 0 && dcount == 0 && c.re == nil {
				if c.suppress {
					return false
				}
			} else if dcount < lists[cl].start {
				start = n
			}
			end = n
		} else {
			if c.re != nil {
				m := c.re.find(newSubject(line[uu:]))
				if m == nil {
					uu = n
					continue
				}
				end = uu + m[0]
				uu += max(m[1], m[0]+1) // busybox loops forever on an empty match
				uu = min(uu, n)
			} else {
				end = uu
				uu++
				if line[end] != c.delim[0] {
					continue
				}
			}
			dcount++
			if dcount-1 < lists[cl].start {
				start = uu
				continue
			}
		}
		if end != start || c.re == nil {
			if out > 0 {
				c.w.WriteString(c.odelim)
			}
			out++
			c.w.Write(line[start:end])
		}
		start = uu
		if dcount == 0 {
			break
		}
	}
	return true
}
