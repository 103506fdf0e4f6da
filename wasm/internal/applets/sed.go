package applets

// sed follows busybox 1.35's editors/sed.c closely: the same command parser
// (no separator needed between commands, "a text" to the end of the line),
// the same address-range rules, substitution loop and newline bookkeeping
// (a last line without "\n" stays without one). Regular expressions are
// POSIX BRE, or ERE with -E/-r, as in grep (see regex.go for what is not
// supported: back-references inside a pattern, among others; \1-\9 in the
// replacement work).

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
)

func init() {
	Register(&Applet{Name: "sed", Usage: "[-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\nor: sed [-i[SFX]] [-nrE] CMD [FILE]...",
		Help: `	-e CMD	Add CMD to sed commands to be executed
	-f FILE	Add FILE contents to sed commands to be executed
	-i[SFX]	Edit files in-place (otherwise write to stdout)
		Optionally back files up, appending SFX
	-n	Suppress automatic printing of pattern space
	-r,-E	Use extended regex syntax

If no -e or -f, the first non-option argument is the sed command string.
Remaining arguments are input files (stdin if none).
Commands: s/RE/REPL/[gpNIw FILE] d D p P q a i c y = { } ! n N g G h H x
b t T : r w. No back-references (\1) inside RE; in REPL they work.`,
		Run: sed})
}

var sedOptions = getopt{
	short: "i::rEne:f:",
	long: map[string]string{"in-place": "i::", "regexp-extended": "r", "quiet": "n", "silent": "n",
		"expression": "e:", "file": "f:"},
}

const (
	sedNoEOL     = 1 // the line had no terminator
	sedLastIsNul = 2 // it ended with NUL and was the last of its file
)

type sedCmd struct {
	begMatch, endMatch, subMatch *posixRegex
	begLine, begLineOrig         int // 0: none, -1: $, -2: a numeric range already done
	endLine, endLineOrig         int // 0: none, -1: $, <= -2: +N as -2-N
	sw                           *sedOut
	str                          string
	hasStr                       bool
	whichMatch                   int
	invert, inMatch, subP        bool
	cmd                          byte
}

// sedOut is a destination and the last character written to it, so that a
// missing newline is put back between two outputs (busybox's last_puts_char).
type sedOut struct {
	w    io.Writer
	last byte
}

type sedState struct {
	e          *Env
	beQuiet    int
	syn        reSyntax
	cmds       []*sedCmd
	prevRegex  *posixRegex
	appendList []string
	hold       string
	addCmdLine *string
	out        *sedOut
	wfiles     map[string]*sedOut
	closers    []io.Closer
	exitcode   int

	files   []string
	cur     int // index in files
	reader  *bufio.Reader
	closer  io.Closer
	lastRun int // files[cur:lastRun+1] are this run's input
}

// sedDie ends sed with busybox's message and status 1.
type sedDie struct{ msg string }

func sed(e *Env) (status int) {
	s := &sedState{e: e, syn: posixBRE, wfiles: map[string]*sedOut{}}
	s.out = &sedOut{w: e.Stdout, last: '\n'}
	stdout := bufio.NewWriter(e.Stdout)
	s.out.w = stdout
	defer func() {
		stdout.Flush()
		for _, w := range s.wfiles {
			if f, ok := w.w.(*bufio.Writer); ok {
				f.Flush()
			}
		}
		for _, c := range s.closers {
			c.Close()
		}
		if r := recover(); r != nil {
			d, ok := r.(sedDie)
			if !ok {
				panic(r)
			}
			fmt.Fprintf(e.Stderr, "sed: %s\n", d.msg)
			status = 1
		}
	}()
	if len(e.Args) > 1 && e.Args[1] == "--version" {
		fmt.Fprintln(stdout, "This is not GNU sed version 4.0")
		return 0
	}
	p, ok := sedOptions.parse(e, e.Args[1:])
	if !ok {
		return usageError(e, 1)
	}
	inPlace := p.has('i')
	suffix, _ := p.last('i')
	for _, o := range p.list {
		switch o.name {
		case 'r', 'E':
			s.syn = posixERE
		case 'n':
			s.beQuiet++
		}
	}
	for _, cmd := range p.all('e') {
		s.addCmdBlock(cmd)
	}
	for _, name := range p.all('f') {
		r, err := openInput(e, name)
		if err != nil {
			panic(sedDie{fmt.Sprintf("can't open '%s': %s", name, errText(err))})
		}
		data, _ := io.ReadAll(r)
		r.Close()
		for _, l := range splitLines(data, '\n') {
			s.addCmd(string(l))
		}
	}
	files := p.operands
	if !p.has('e') && !p.has('f') {
		if len(files) == 0 {
			fmt.Fprintf(e.Stderr, "Usage: sed %s\n", "[-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...")
			return 1
		}
		s.addCmdBlock(files[0])
		files = files[1:]
	}
	s.addCmd("") // flush an unfinished (backslash-continued) command

	if len(files) == 0 {
		if inPlace {
			panic(sedDie{"-i requires an argument"})
		}
		files = []string{"-"}
	}
	s.files = files
	if !inPlace {
		s.lastRun = len(files) - 1
		s.processFiles()
		return s.exitcode
	}
	for i, name := range files {
		s.cur, s.lastRun = i, i
		st, err := os.Stat(e.Path(name))
		if err != nil {
			fmt.Fprintf(e.Stderr, "sed: %s: %s\n", name, errText(err))
			s.exitcode = 1
			continue
		}
		tmp, err := os.CreateTemp(path.Dir(e.Path(name)), path.Base(name)+"*")
		if err != nil {
			panic(sedDie{fmt.Sprintf("can't create temp file for '%s': %s", name, errText(err))})
		}
		tmp.Chmod(st.Mode().Perm())
		bw := bufio.NewWriter(tmp)
		s.out = &sedOut{w: bw, last: '\n'}
		s.processFiles()
		bw.Flush()
		tmp.Close()
		if suffix != "" {
			os.Rename(e.Path(name), e.Path(name)+suffix)
		}
		if err := os.Rename(tmp.Name(), e.Path(name)); err != nil {
			os.Remove(tmp.Name())
			panic(sedDie{fmt.Sprintf("can't move '%s' to '%s': %s", tmp.Name(), name, errText(err))})
		}
		for _, c := range s.cmds {
			c.begLine, c.endLine = c.begLineOrig, c.endLineOrig
		}
	}
	return s.exitcode
}

func (s *sedState) die(format string, a ...any) { panic(sedDie{fmt.Sprintf(format, a...)}) }

// parseEscapes copies str replacing "\from" with to; with from and to 0 it
// turns every "\c" into "c" (busybox's parse_escapes).
func parseEscapes(str string, from, to byte) string {
	var b strings.Builder
	for i := 0; i < len(str); i++ {
		if str[i] == '\\' && i+1 < len(str) {
			if to == 0 || str[i+1] == from {
				if to == 0 {
					b.WriteByte(str[i+1])
				} else {
					b.WriteByte(to)
				}
				i++
				continue
			}
			b.WriteByte('\\')
			i++
		}
		b.WriteByte(str[i])
	}
	return b.String()
}

// copyParsingEscapes turns \n, \t and \r into the characters.
func copyParsingEscapes(str string) string {
	for _, p := range [][2]byte{{'n', '\n'}, {'t', '\t'}, {'r', '\r'}} {
		str = parseEscapes(str, p[0], p[1])
	}
	return str
}

// nextDelim finds the next unescaped delimiter; a negative one disables the
// check for bracket expressions (in which a delimiter does not count).
func (s *sedState) nextDelim(delim int, str string) int {
	bracket := -1
	if delim < 0 {
		bracket--
		delim = -delim
	}
	escaped := false
	for idx := 0; idx < len(str); idx++ {
		ch := str[idx]
		switch {
		case bracket >= 0:
			if ch == ']' && !(bracket == idx-1 || (bracket == idx-2 && str[idx-1] == '^')) {
				bracket = -1
			}
		case escaped:
			escaped = false
		case ch == '\\':
			escaped = true
		case bracket == -1 && ch == '[':
			bracket = idx
		case int(ch) == delim:
			return idx
		}
	}
	s.die("unmatched '%c'", delim)
	return 0
}

// parseRegexDelim splits "/match/replace/" and returns the index of the
// third delimiter.
func (s *sedState) parseRegexDelim(cmdstr string) (match, replace string, idx int) {
	if cmdstr == "" {
		s.die("bad format in substitution expression")
	}
	delim := cmdstr[0]
	i := s.nextDelim(int(delim), cmdstr[1:])
	match = copyParsingEscapes(cmdstr[1 : 1+i])
	rest := 1 + i + 1
	j := s.nextDelim(-int(delim), cmdstr[rest:])
	replace = copyParsingEscapes(cmdstr[rest : rest+j])
	return match, replace, rest + j
}

func (s *sedState) compile(pattern string, syn reSyntax) *posixRegex {
	re, err := compileRegex(pattern, syn)
	if err != nil {
		s.die("bad regex '%s': %s", pattern, err)
	}
	return re
}

// getAddress reads a line number, $ or /regex/ (\cREGEXc); it returns how
// many bytes it used.
func (s *sedState) getAddress(str string, line *int, re **posixRegex) int {
	if str == "" {
		return 0
	}
	switch c := str[0]; {
	case c >= '0' && c <= '9':
		i := 0
		for i < len(str) && str[i] >= '0' && str[i] <= '9' {
			i++
		}
		*line, _ = strconv.Atoi(str[:i])
		return i
	case c == '$':
		*line = -1
		return 1
	case c == '/' || c == '\\':
		pos := 0
		delim := byte('/')
		if c == '\\' {
			pos++
			if pos >= len(str) {
				s.die("unmatched '%c'", 0)
			}
			delim = str[pos]
		}
		pos++
		next := s.nextDelim(int(delim), str[pos:])
		if next != 0 {
			*re = s.compile(copyParsingEscapes(str[pos:pos+next]), s.syn)
			s.prevRegex = *re
		} else {
			*re = s.prevRegex
			if s.prevRegex == nil {
				s.die("no previous regexp")
			}
		}
		return pos + next + 1
	}
	return 0
}

// fileName reads a file name: blanks skipped, then up to the end of line.
func (s *sedState) fileName(str string) (string, int) {
	start := len(str) - len(strings.TrimLeft(str, " \t\n\r\v\f"))
	eol := strings.IndexByte(str[start:], '\n')
	if eol < 0 {
		eol = len(str) - start
	}
	if eol == 0 {
		s.die("empty filename")
	}
	return str[start : start+eol], start + eol
}

func (s *sedState) openW(name string) *sedOut {
	if w, ok := s.wfiles[name]; ok {
		return w
	}
	var w *sedOut
	switch name {
	case "/dev/stdout":
		w = s.out
	case "/dev/stderr":
		w = &sedOut{w: s.e.Stderr, last: '\n'}
	default:
		f, err := os.OpenFile(s.e.Path(name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
		if err != nil {
			s.die("can't open '%s': %s", name, errText(err))
		}
		s.closers = append(s.closers, f)
		w = &sedOut{w: bufio.NewWriter(f), last: '\n'}
	}
	s.wfiles[name] = w
	return w
}

// parseSubst reads s's arguments; it returns the index where parsing goes on.
func (s *sedState) parseSubst(c *sedCmd, substr string) int {
	syn := s.syn
	match, repl, idx := s.parseRegexDelim(substr)
	c.str, c.hasStr = repl, true
	c.whichMatch = 1
flags:
	for idx++; idx < len(substr); idx++ {
		ch := substr[idx]
		if ch >= '0' && ch <= '9' {
			if !strings.HasPrefix(match, "^") {
				j := idx
				for j < len(substr) && substr[j] >= '0' && substr[j] <= '9' {
					j++
				}
				c.whichMatch, _ = strconv.Atoi(substr[idx:j])
				idx = j - 1
			}
			continue
		}
		if isSpaceC(ch) {
			continue
		}
		switch ch {
		case 'g':
			c.whichMatch = 0
		case 'p':
			c.subP = true
		case 'w':
			name, n := s.fileName(substr[idx+1:])
			c.sw = s.openW(name)
			idx += n
		case 'i', 'I':
			syn.icase = true
		case '#':
			idx = len(substr)
			break flags
		case ';', '}':
			break flags
		default:
			s.die("bad option in substitution expression")
		}
	}
	if match != "" {
		c.subMatch = s.compile(match, syn)
	}
	return idx
}

// parseCmdArgs reads the arguments of c.cmd from cmdstr; it returns the rest.
func (s *sedState) parseCmdArgs(c *sedCmd, cmdstr string) string {
	switch c.cmd {
	case 's':
		return cmdstr[min(s.parseSubst(c, cmdstr), len(cmdstr)):]
	case 'a', 'i', 'c':
		if c.cmd != 'c' && (c.endLine != 0 || c.endMatch != nil) {
			s.die("command '%c' uses only one address", c.cmd)
		}
		for len(cmdstr) > 0 {
			if cmdstr[0] == '\n' || cmdstr[0] == '\\' {
				cmdstr = cmdstr[1:]
				break
			}
			if !isSpaceC(cmdstr[0]) {
				break
			}
			cmdstr = cmdstr[1:]
		}
		c.str = parseEscapes(copyParsingEscapes(cmdstr), 0, 0)
		c.hasStr = true
		return ""
	case 'r', 'w':
		if c.cmd == 'r' && (c.endLine != 0 || c.endMatch != nil) {
			s.die("command '%c' uses only one address", c.cmd)
		}
		name, n := s.fileName(cmdstr)
		c.str, c.hasStr = name, true
		if c.cmd == 'w' {
			c.sw = s.openW(name)
		}
		return cmdstr[n:]
	case ':', 'b', 't', 'T':
		cmdstr = strings.TrimLeft(cmdstr, " \t\n\r\v\f")
		n := strings.IndexAny(cmdstr, "; \n\r\t\v")
		if n < 0 {
			n = len(cmdstr)
		}
		if n > 0 {
			c.str, c.hasStr = cmdstr[:n], true
		}
		return cmdstr[n:]
	case 'y':
		delim := cmdstr[0:min(1, len(cmdstr))]
		match, repl, idx := s.parseRegexDelim(cmdstr)
		if delim != "" {
			match = parseEscapes(match, delim[0], delim[0])
			repl = parseEscapes(repl, delim[0], delim[0])
		}
		var b strings.Builder
		for i := 0; i < len(match) && i < len(repl); i++ {
			b.WriteByte(match[i])
			b.WriteByte(repl[i])
		}
		c.str, c.hasStr = b.String(), true
		return cmdstr[min(idx+1, len(cmdstr)):]
	}
	if strings.IndexByte("dDgGhHlnNpPqx={}", c.cmd) < 0 {
		s.die("unsupported command %c", c.cmd)
	}
	return cmdstr
}

func (s *sedState) addCmdBlock(script string) {
	for _, l := range strings.Split(script, "\n") {
		s.addCmd(l)
	}
}

// addCmd parses one line of script (busybox's add_cmd).
func (s *sedState) addCmd(cmdstr string) {
	if s.addCmdLine != nil {
		cmdstr = *s.addCmdLine + "\n" + cmdstr
		s.addCmdLine = nil
	}
	n := len(cmdstr)
	for n > 0 && cmdstr[n-1] == '\\' {
		n--
	}
	if (len(cmdstr)-n)&1 == 1 { // an odd number of trailing backslashes: continued
		l := cmdstr[:len(cmdstr)-1]
		s.addCmdLine = &l
		return
	}
	const semicolonWhitespace = "; \n\r\t\v"
	for {
		cmdstr = strings.TrimLeft(cmdstr, semicolonWhitespace)
		if cmdstr == "" {
			return
		}
		if cmdstr[0] == '#' {
			if len(cmdstr) > 1 && cmdstr[1] == 'n' {
				s.beQuiet++
			}
			i := strings.IndexAny(cmdstr, "\n\r")
			if i < 0 {
				return
			}
			cmdstr = cmdstr[i:]
			continue
		}
		c := &sedCmd{}
		cmdstr = cmdstr[s.getAddress(cmdstr, &c.begLine, &c.begMatch):]
		c.begLineOrig = c.begLine
		if strings.HasPrefix(cmdstr, ",") {
			cmdstr = cmdstr[1:]
			if len(cmdstr) > 1 && cmdstr[0] == '+' && cmdstr[1] >= '0' && cmdstr[1] <= '9' {
				i := 1
				for i < len(cmdstr) && cmdstr[i] >= '0' && cmdstr[i] <= '9' {
					i++
				}
				v, _ := strconv.Atoi(cmdstr[1:i])
				c.endLine = -2 - v
				cmdstr = cmdstr[i:]
			} else {
				idx := s.getAddress(cmdstr, &c.endLine, &c.endMatch)
				if idx == 0 {
					s.die("no address after comma")
				}
				cmdstr = cmdstr[idx:]
			}
			c.endLineOrig = c.endLine
		}
		cmdstr = strings.TrimLeft(cmdstr, " \t\n\r\v\f")
		if strings.HasPrefix(cmdstr, "!") {
			c.invert = true
			cmdstr = strings.TrimLeft(cmdstr[1:], " \t\n\r\v\f")
		}
		if cmdstr == "" {
			s.die("missing command")
		}
		c.cmd = cmdstr[0]
		cmdstr = s.parseCmdArgs(c, cmdstr[1:])
		s.cmds = append(s.cmds, c)
	}
}

// puts writes str and the line's terminator, putting back a newline the
// previous output lacked (busybox's puts_maybe_newline).
func (s *sedState) puts(o *sedOut, str string, lastGets byte) {
	lpc := o.last
	if lpc != '\n' && lpc != 0 {
		io.WriteString(o.w, "\n")
		lpc = '\n'
	}
	io.WriteString(o.w, str)
	if str != "" {
		lpc = 'x'
	}
	switch lastGets {
	case sedLastIsNul:
		o.w.Write([]byte{0})
		lpc = 'x'
	case sedNoEOL:
	default:
		o.w.Write([]byte{lastGets})
		lpc = lastGets
	}
	o.last = lpc
}

func (s *sedState) flushAppend() {
	for _, a := range s.appendList {
		s.puts(s.out, a, '\n')
	}
	s.appendList = nil
}

// nextLine reads the next input line across this run's files (a line ends
// at a newline or a NUL byte); ok is false at the end.
func (s *sedState) nextLine() (string, byte, bool) {
	s.flushAppend()
	for ; s.cur <= s.lastRun; s.cur++ {
		if s.reader == nil {
			name := s.files[s.cur]
			if name == "-" {
				s.reader, s.closer = bufio.NewReader(s.e.Stdin), nil
			} else {
				f, err := os.Open(s.e.Path(name))
				if err != nil {
					fmt.Fprintf(s.e.Stderr, "sed: %s: %s\n", name, errText(err))
					s.exitcode = 1
					continue
				}
				s.reader, s.closer = bufio.NewReader(f), f
			}
		}
		var chunk []byte
		for {
			b, err := s.reader.ReadByte()
			if err != nil {
				break
			}
			chunk = append(chunk, b)
			if b == '\n' || b == 0 {
				break
			}
		}
		if len(chunk) > 0 {
			gc := byte(sedNoEOL)
			if c := chunk[len(chunk)-1]; c == '\n' || c == 0 {
				chunk = chunk[:len(chunk)-1]
				gc = c
				if c == 0 {
					if _, err := s.reader.Peek(1); err != nil {
						gc = sedLastIsNul
					}
				}
			}
			return string(chunk), gc, true
		}
		if s.closer != nil {
			s.closer.Close()
		}
		s.reader, s.closer = nil, nil
	}
	return "", sedNoEOL, false
}

func (s *sedState) begMatches(c *sedCmd, ps string) bool {
	if c.begMatch != nil && c.begMatch.match([]byte(ps)) {
		s.prevRegex = c.begMatch
		return true
	}
	return false
}

func (s *sedState) branchTo(label string) int {
	for i, c := range s.cmds {
		if c.cmd == ':' && c.hasStr && c.str == label {
			return i
		}
	}
	s.die("can't find label for jump to '%s'", label)
	return 0
}

// processFiles is busybox's process_files: every line through every command.
func (s *sedState) processFiles() {
	next, nextGets, haveNext := s.nextLine()
	linenum := 0
	for haveNext {
		ps, lastGets := next, nextGets
		next, nextGets, haveNext = s.nextLine()
		linenum++
		substituted := false
		quiet := s.beQuiet > 0
	restart:
		discard, quit := false, false
		for i := 0; i < len(s.cmds) && !discard && !quit; i++ {
			c := s.cmds[i]
			oldMatched := c.inMatch
			if !oldMatched {
				c.endLine = c.endLineOrig
			}
			c.inMatch = c.inMatch ||
				(c.begLine == 0 && c.endLine == 0 && c.begMatch == nil && c.endMatch == nil) ||
				(c.begLine > 0 && ((c.endLine != 0 || c.endMatch != nil) && c.begLine <= linenum ||
					!(c.endLine != 0 || c.endMatch != nil) && c.begLine == linenum)) ||
				s.begMatches(c, ps) ||
				(c.begLine == -1 && !haveNext)
			matched := c.inMatch
			if matched {
				if c.endLine <= -2 {
					c.endLine = linenum + (-c.endLine - 2)
				}
				if c.begLine > 0 {
					c.begLine = -2 // a numeric range starts once
				}
				var ended bool
				switch {
				case c.endLine != 0:
					if c.endLine == -1 {
						ended = !haveNext
					} else {
						ended = c.endLine <= linenum
					}
				default:
					ended = c.endMatch == nil
				}
				ended = ended || (c.endMatch != nil && oldMatched && c.endMatch.match([]byte(ps)))
				c.inMatch = !ended
			}
			if c.cmd == '{' {
				if matched == c.invert {
					nest := 0
					for {
						if s.cmds[i].cmd == '{' {
							nest++
						}
						if s.cmds[i].cmd == '}' {
							nest--
							if nest == 0 {
								break
							}
						}
						i++
						if i >= len(s.cmds) {
							s.die("unterminated {")
						}
					}
				}
				continue
			}
			if matched == c.invert {
				continue
			}
			if c.begMatch != nil {
				s.prevRegex = c.begMatch
			}
			switch c.cmd {
			case '=':
				fmt.Fprintf(s.out.w, "%d\n", linenum)
			case 'P':
				if j := strings.IndexByte(ps, '\n'); j >= 0 {
					s.puts(s.out, ps[:j], '\n')
					break
				}
				s.puts(s.out, ps, '\n')
			case 'p':
				s.puts(s.out, ps, '\n')
			case 'D':
				if j := strings.IndexByte(ps, '\n'); j >= 0 {
					ps = ps[j+1:]
					goto restart
				}
				discard = true
			case 'd':
				discard = true
			case 's':
				changed, res := s.subst(c, ps)
				if !changed {
					break
				}
				ps = res
				substituted = true
				if c.subP {
					s.puts(s.out, ps, lastGets)
				}
				if c.sw != nil {
					s.puts(c.sw, ps, lastGets)
				}
			case 'a':
				s.appendList = append(s.appendList, c.str)
			case 'i':
				s.puts(s.out, c.str, '\n')
			case 'c':
				if !c.inMatch {
					s.puts(s.out, c.str, '\n')
				}
				discard = true
			case 'r':
				if data, err := os.ReadFile(s.e.Path(c.str)); err == nil {
					for _, l := range splitLines(data, '\n') {
						s.appendList = append(s.appendList, string(l))
					}
				}
			case 'w':
				s.puts(c.sw, ps, lastGets)
			case 'n':
				if !quiet {
					s.puts(s.out, ps, lastGets)
				}
				if !haveNext {
					discard = true
					break
				}
				ps, lastGets = next, nextGets
				next, nextGets, haveNext = s.nextLine()
				substituted = false
				linenum++
			case 'q':
				haveNext = false
				quit = true
			case 'N':
				if !haveNext {
					quit = true // GNU prints the pattern space
					break
				}
				ps += "\n" + next
				lastGets = nextGets
				next, nextGets, haveNext = s.nextLine()
				linenum++
			case 't', 'T', 'b':
				if c.cmd == 't' {
					if !substituted {
						break
					}
					substituted = false
				}
				if c.cmd == 'T' && substituted {
					break
				}
				if !c.hasStr {
					quit = true
					break
				}
				i = s.branchTo(c.str)
			case 'y':
				b := []byte(ps)
				for k := range b {
					for j := 0; j+1 < len(c.str); j += 2 {
						if b[k] == c.str[j] {
							b[k] = c.str[j+1]
							break
						}
					}
				}
				ps = string(b)
			case 'g':
				ps = s.hold
			case 'G':
				ps += "\n" + s.hold
				lastGets = '\n'
			case 'h':
				s.hold = ps
			case 'H':
				s.hold += "\n" + ps
			case 'x':
				ps, s.hold = s.hold, ps
				lastGets = '\n'
			}
		}
		if !discard && !quiet {
			s.puts(s.out, ps, lastGets)
		}
		s.flushAppend()
	}
	if s.closer != nil {
		s.closer.Close()
		s.reader, s.closer = nil, nil
	}
}

// subst is busybox's do_subst_command: after the first match, each search
// starts where the last ended with REG_NOTBOL; an empty match right after a
// non-empty one is not replaced ("cccd" s/c*/R/g gives "RdR").
func (s *sedState) subst(c *sedCmd, line string) (bool, string) {
	re := c.subMatch
	if re == nil {
		re = s.prevRegex
		if re == nil {
			s.die("no previous regexp")
		}
	}
	s.prevRegex = re
	m := re.find(newSubject([]byte(line)))
	if m == nil {
		return false, line
	}
	var out bytes.Buffer
	count, altered, prevEmpty, triedAtEOL := 0, false, true, false
	for {
		start, end := m[0], m[1]
		count++
		if c.whichMatch != 0 && c.whichMatch != count {
			out.WriteString(line[:end])
			line = line[end:]
			if start == end && line != "" {
				out.WriteByte(line[0])
				line = line[1:]
			}
		} else {
			out.WriteString(line[:start])
			if prevEmpty || start != 0 || start != end {
				substReplacement(&out, line, m, c.str)
				altered = true
			}
			prevEmpty = start == end
			if prevEmpty {
				if end == len(line) {
					triedAtEOL = true
				} else {
					out.WriteByte(line[end])
					end++
				}
			}
			line = line[end:]
			if c.whichMatch != 0 {
				break
			}
		}
		if line == "" {
			if triedAtEOL {
				break
			}
			triedAtEOL = true
		}
		if m = re.findNotBOL(newSubject([]byte(line))); m == nil {
			break
		}
	}
	out.WriteString(line)
	return altered, out.String()
}

// substReplacement writes repl with & and \0-\9 filled in from m.
func substReplacement(out *bytes.Buffer, line string, m []int, repl string) {
	group := func(n int) {
		if 2*n+1 < len(m) && m[2*n] >= 0 {
			out.WriteString(line[m[2*n]:m[2*n+1]])
		}
	}
	for i := 0; i < len(repl); i++ {
		switch c := repl[i]; {
		case c == '\\' && i+1 < len(repl):
			i++
			if d := repl[i]; d >= '0' && d <= '9' {
				group(int(d - '0'))
			} else {
				out.WriteByte(d)
			}
		case c == '&':
			group(0)
		default:
			out.WriteByte(c)
		}
	}
}
