package applets

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
)

const grepHelp = `Search for PATTERN in FILEs (or stdin)

	-H	Add 'filename:' prefix
	-h	Do not add 'filename:' prefix
	-n	Add 'line_no:' prefix
	-l	Show only names of files that match
	-L	Show only names of files that don't match
	-c	Show only count of matching lines
	-o	Show only the matching part of line
	-q	Quiet. Return 0 if PATTERN is found, 1 otherwise
	-v	Select non-matching lines
	-s	Suppress open and read errors
	-r	Recurse
	-R	Recurse and dereference symlinks
	-i	Ignore case
	-w	Match whole words only
	-x	Match whole lines only
	-F	PATTERN is a literal (not regexp)
	-E	PATTERN is an extended regexp
	-z	NUL terminated input
	-m N	Match up to N times per file
	-A N	Print N lines of trailing context
	-B N	Print N lines of leading context
	-C N	Same as '-A N -B N'
	-e PTRN	Pattern to match
	-f FILE	Read pattern from file

PATTERN is a POSIX basic regular expression (-E: extended) with GNU's
\+ \? \| \w \W \s \S \b \B \< \> as busybox has them. Not supported
(an error, exit 2): back-references \1-\9, \< or \> not next to a word
character, repeat counts above 1000.`

func init() {
	usage := "[-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]..."
	Register(&Applet{Name: "grep", Usage: usage, Help: grepHelp, Run: grep})
	Register(&Applet{Name: "egrep", Usage: usage, Help: "Same as grep -E.", Run: grep})
	Register(&Applet{Name: "fgrep", Usage: usage, Help: "Same as grep -F.", Run: grep})
}

var grepOptions = getopt{
	short: "lnqvscFiHhe:f:LorRm:wxA:B:C:EzaI",
	long:  map[string]string{"color": "\xff::", "colour": "\xff::"},
}

// grepPattern is one pattern, compiled when first needed (as busybox does: a
// bad regex on empty input is never reported).
type grepPattern struct {
	text     string
	re       *posixRegex
	compiled bool
}

type grepState struct {
	e                 *Env
	out               *bufio.Writer
	opt               map[byte]bool
	syn               reSyntax
	patterns          []*grepPattern
	invert, printName bool
	maxMatches        int
	before, after     int
	didPrint          bool
	lastPrinted       int
	beforeBuf         []*[]byte // circular, as busybox's before_buf
	beforeNum         int
	curFile           string
	openErrors        bool
	quitStatus        int // set when grep must stop: -q found (0) or a bad regex (2)
	quit              bool
}

func grep(e *Env) int {
	p, ok := grepOptions.parse(e, e.Args[1:])
	if !ok {
		return usageError(e, 2)
	}
	g := &grepState{e: e, opt: map[byte]bool{}}
	var ePatterns, fFiles []string
	var aNum, bNum, cNum int
	setA, setB := false, false
	num := func(v string) (int, bool) {
		n, ok := atoiPositive(v)
		if !ok {
			fmt.Fprintf(e.Stderr, "grep: invalid number '%s'\n", v)
		}
		return n, ok
	}
	for _, o := range p.list {
		switch o.name {
		case 'e':
			ePatterns = append(ePatterns, o.value)
		case 'f':
			fFiles = append(fFiles, o.value)
		case 'm', 'A', 'B', 'C':
			n, ok := num(o.value)
			if !ok {
				return 2
			}
			switch o.name {
			case 'm':
				g.maxMatches = n
			case 'A':
				aNum, setA = n, true
			case 'B':
				bNum, setB = n, true
			case 'C':
				cNum = n
				setA, setB = false, false // -C unsets earlier -A and -B
			}
		case 'H':
			g.opt['h'] = false
		case 0xff:
			continue
		}
		g.opt[o.name] = true
	}
	if e.Args[0] == "egrep" {
		g.opt['E'] = true
	}
	if e.Args[0] == "fgrep" {
		g.opt['F'] = true
	}
	if setA {
		g.after = aNum
	}
	if setB {
		g.before = bNum
	}
	if g.opt['C'] {
		if !setA {
			g.after = cNum
		}
		if !setB {
			g.before = cNum
		}
	}
	if g.opt['c'] || g.opt['q'] || g.opt['l'] || g.opt['L'] {
		g.opt['n'] = false
		g.before, g.after = 0, 0
	} else if g.before > 0 {
		g.beforeBuf = make([]*[]byte, g.before)
	}
	g.invert = g.opt['v']
	g.syn = grepBRE
	if g.opt['E'] {
		g.syn = grepERE
	}
	g.syn.icase = g.opt['i']

	// busybox prepends every pattern to its list: the last one is tried first.
	var texts []string
	for _, pe := range ePatterns {
		texts = append(texts, strings.Split(pe, "\n")...)
	}
	if g.opt['f'] {
		for _, name := range fFiles {
			r, err := openInput(e, name)
			if err != nil {
				fmt.Fprintf(e.Stderr, "grep: can't open '%s': %s\n", name, errText(err))
				return 2
			}
			data, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				fmt.Fprintf(e.Stderr, "grep: %s: %s\n", name, errText(err))
				return 2
			}
			for _, l := range splitLines(data, '\n') {
				texts = append(texts, string(l))
			}
		}
		if len(texts) == 0 {
			// -f EMPTY_FILE: GNU grep matches nothing, except with -x.
			pat := ""
			if g.opt['x'] {
				pat = ".*"
			}
			texts = []string{pat}
			g.invert = !g.invert
		}
	}
	files := p.operands
	if len(texts) == 0 {
		if len(files) == 0 {
			fmt.Fprintf(e.Stderr, "Usage: grep %s\n", "[-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...")
			return 2
		}
		texts = strings.Split(files[0], "\n")
		files = files[1:]
	}
	for i := len(texts) - 1; i >= 0; i-- {
		g.patterns = append(g.patterns, &grepPattern{text: texts[i]})
	}

	g.printName = len(files) > 1
	if g.opt['H'] {
		g.printName = true
	}
	if g.opt['h'] {
		g.printName = false
	}
	g.out = bufio.NewWriter(e.Stdout)
	defer g.out.Flush()

	matched := false
	if len(files) == 0 {
		files = []string{"-"}
	}
	for _, name := range files {
		if name == "-" {
			g.curFile = "(standard input)"
			matched = g.grepReader(e.Stdin) || matched
		} else if (g.opt['r'] || g.opt['R']) && isDir(e.Path(name)) {
			if !g.opt['h'] {
				g.printName = true
			}
			matched = g.grepDir(name, true) || matched
		} else {
			matched = g.grepFile(name) || matched
		}
		if g.quit {
			return g.quitStatus
		}
	}
	if g.openErrors {
		return 2
	}
	if matched {
		return 0
	}
	return 1
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func (g *grepState) warn(name string, err error) {
	if !g.opt['s'] {
		g.out.Flush()
		fmt.Fprintf(g.e.Stderr, "grep: %s: %s\n", name, errText(err))
	}
}

func (g *grepState) grepFile(name string) bool {
	f, err := os.Open(g.e.Path(name))
	if err != nil {
		g.warn(name, err)
		g.openErrors = true
		return false
	}
	defer f.Close()
	g.curFile = name
	return g.grepReader(f)
}

// grepDir walks a directory depth-first, as busybox's recursive_action
// (entries sorted by name here; busybox takes readdir's order).
func (g *grepState) grepDir(name string, top bool) bool {
	entries, err := os.ReadDir(g.e.Path(name))
	if err != nil {
		g.warn(name, err)
		g.openErrors = true
		return false
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	matched := false
	for _, ent := range entries {
		child := strings.TrimSuffix(name, "/") + "/" + ent.Name()
		if name == "/" {
			child = "/" + ent.Name()
		}
		mode := ent.Type()
		if mode&fs.ModeSymlink != 0 {
			st, err := os.Stat(g.e.Path(child))
			if err != nil {
				g.warn(child, err)
				continue
			}
			if st.IsDir() {
				if g.opt['R'] {
					matched = g.grepDir(child, false) || matched
				}
				continue
			}
		} else if mode.IsDir() {
			matched = g.grepDir(child, false) || matched
			if g.quit {
				return matched
			}
			continue
		}
		matched = g.grepFile(child) || matched
		if g.quit {
			return matched
		}
	}
	return matched
}

// compile prepares a pattern; a bad one ends grep with status 2.
func (g *grepState) compile(p *grepPattern) bool {
	if p.compiled {
		return true
	}
	re, err := compileRegex(p.text, g.syn)
	if err != nil {
		g.out.Flush()
		var re *reError
		if errors.As(err, &re) && re.unsupported {
			fmt.Fprintf(g.e.Stderr, "grep: bad regex '%s': %s\n", p.text, re.msg)
		} else {
			fmt.Fprintf(g.e.Stderr, "grep: bad regex '%s'\n", p.text)
		}
		g.quit, g.quitStatus = true, 2
		return false
	}
	p.re, p.compiled = re, true
	return true
}

// printLine is busybox's print_line, with its "--" between context groups.
func (g *grepState) printLine(line []byte, num int, deco byte) {
	if num < 1 {
		return
	}
	if (g.before > 0 || g.after > 0) && g.didPrint && g.lastPrinted != num-1 {
		g.out.WriteString("--\n")
	}
	g.didPrint = true
	g.lastPrinted = num
	if g.printName {
		g.out.WriteString(g.curFile)
		g.out.WriteByte(deco)
	}
	if g.opt['n'] {
		fmt.Fprintf(g.out, "%d%c", num, deco)
	}
	if g.opt['v'] && g.opt['o'] {
		return // busybox imitates GNU's -ov: nothing of the line
	}
	g.out.Write(line)
	if g.opt['z'] {
		g.out.WriteByte(0)
	} else {
		g.out.WriteByte('\n')
	}
}

// lineMatch tries the patterns on one line. It returns whether one matched,
// the pattern that did and, for a regex, where (for -o).
func (g *grepState) lineMatch(line []byte) (bool, *grepPattern, []int, *subject) {
	var subj *subject
	for _, p := range g.patterns {
		if g.opt['F'] {
			if fixedMatch(line, p.text, g.opt['i'], g.opt['x'], g.opt['w']) {
				return true, p, nil, nil
			}
			continue
		}
		if !g.compile(p) {
			return false, nil, nil, nil
		}
		if subj == nil {
			subj = newSubject(line)
		}
		m := p.re.find(subj)
		if m == nil {
			continue
		}
		switch {
		case g.opt['x']:
			if m[0] == 0 && m[1] == len(line) {
				return true, p, m[:2], subj
			}
		case !g.opt['w']:
			return true, p, m[:2], subj
		default:
			// busybox retries after a match that is not a whole word,
			// from its end, until one is or the match is empty. The
			// retries are RE2's successive matches; they differ only when
			// an empty match would start right where a rejected one ended
			// (busybox stops there, RE2 skips it): patterns that can match
			// the empty string, with -w.
			for _, loc := range p.re.findAll(subj) {
				if wordBounded(line, loc[0], loc[1]) {
					return true, p, loc, subj
				}
				if loc[0] == loc[1] {
					break
				}
			}
		}
	}
	return false, nil, nil, nil
}

func wordBounded(line []byte, start, end int) bool {
	if start > 0 && isWordByte(line[start-1]) {
		return false
	}
	return end >= len(line) || !isWordByte(line[end])
}

// fixedMatch is grep -F's strstr (or strcasestr) test on one pattern.
func fixedMatch(line []byte, pat string, icase, whole, word bool) bool {
	if i := bytes.IndexByte(line, 0); i >= 0 {
		line = line[:i] // C strings end at NUL
	}
	find := func(from int) int {
		if icase {
			return indexFold(line[from:], pat)
		}
		return bytes.Index(line[from:], []byte(pat))
	}
	from := 0
	for {
		i := find(from)
		if i < 0 {
			return false
		}
		at := from + i
		if whole {
			return from == 0 && at == 0 && len(pat) == len(line)
		}
		if !word {
			return true
		}
		if (at == 0 || !isWordByte(line[at-1])) && (at+len(pat) >= len(line) || !isWordByte(line[at+len(pat)])) {
			return true
		}
		from = at + 1
		if from > len(line) {
			return false
		}
	}
}

// indexFold is strcasestr in the C locale (ASCII folding only).
func indexFold(s []byte, pat string) int {
	for i := 0; i+len(pat) <= len(s); i++ {
		ok := true
		for j := 0; j < len(pat); j++ {
			if upper(s[i+j]) != upper(pat[j]) {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// splitLines splits data at delim; a final unterminated line counts.
func splitLines(data []byte, delim byte) [][]byte {
	var lines [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, delim)
		if i < 0 {
			lines = append(lines, data)
			break
		}
		lines = append(lines, data[:i])
		data = data[i+1:]
	}
	return lines
}

// grepReader is busybox's grep_file: it returns whether the file counts as
// matched (for -L: whether its name was printed).
func (g *grepState) grepReader(r io.Reader) bool {
	delim := byte('\n')
	if g.opt['z'] {
		delim = 0
	}
	br := bufio.NewReaderSize(r, 64*1024)
	linenum, nmatches := 0, 0
	printAfter, curpos := 0, 0
	for {
		raw, err := br.ReadBytes(delim)
		if len(raw) == 0 && err != nil {
			break
		}
		line := bytes.TrimSuffix(raw, []byte{delim})
		linenum++
		found, pat, loc, subj := g.lineMatch(line)
		if g.quit {
			return false
		}
		if found != g.invert {
			nmatches++
			if g.opt['q'] || g.opt['l'] || g.opt['L'] {
				if g.opt['q'] {
					g.quit, g.quitStatus = true, 0
					return true
				}
				if g.opt['l'] {
					g.out.WriteString(g.curFile)
					g.out.WriteByte('\n')
					return true
				}
				return false
			}
			if g.opt['m'] && nmatches > g.maxMatches {
				break
			}
			if !g.opt['c'] {
				if g.before > 0 {
					prev := curpos - 1
					if curpos == 0 {
						prev = g.before - 1
					}
					if g.beforeBuf[prev] != nil {
						first := linenum - g.before
						idx := curpos
						for g.beforeBuf[idx] == nil {
							idx = (idx + 1) % g.before
							first++
						}
						for g.beforeBuf[idx] != nil {
							g.printLine(*g.beforeBuf[idx], first, '-')
							g.beforeBuf[idx] = nil
							idx = (idx + 1) % g.before
							first++
						}
					}
				}
				printAfter = g.after
				switch {
				case !g.opt['o']:
					g.printLine(line, linenum, ':')
				case g.opt['F']:
					// -Fo prints the pattern itself (-Fov nothing)
					if found {
						g.printLine([]byte(pat.text), linenum, ':')
					}
				case found:
					g.printMatches(pat, loc, subj, linenum)
				}
			}
		} else {
			if printAfter > 0 {
				g.printLine(line, linenum, '-')
				printAfter--
			} else if g.before > 0 {
				cp := append([]byte(nil), line...)
				g.beforeBuf[curpos] = &cp
				curpos = (curpos + 1) % g.before
			}
		}
		if g.opt['m'] && printAfter == 0 && nmatches == g.maxMatches {
			break
		}
		if err != nil {
			break
		}
	}
	if g.opt['c'] {
		if g.printName {
			g.out.WriteString(g.curFile)
			g.out.WriteByte(':')
		}
		fmt.Fprintf(g.out, "%d\n", nmatches)
	}
	if g.opt['L'] {
		g.out.WriteString(g.curFile)
		g.out.WriteByte('\n')
		return true
	}
	return nmatches != 0
}

// printMatches is -o: the match found, then every later non-empty match of
// the same pattern (busybox does not re-check -w for those).
func (g *grepState) printMatches(p *grepPattern, loc []int, subj *subject, num int) {
	all := p.re.findAll(subj)
	started := false
	for _, m := range all {
		if !started {
			if m[0] != loc[0] || m[1] != loc[1] {
				continue
			}
			started = true
		}
		if m[1] > m[0] {
			g.printLine(subj.orig[m[0]:m[1]], num, ':')
		}
	}
	if !started && loc[1] > loc[0] {
		g.printLine(subj.orig[loc[0]:loc[1]], num, ':')
	}
}
