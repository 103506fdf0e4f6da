package applets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

func init() {
	Register(&Applet{Name: "sort", Usage: "[-nrughMcszbdfiokt] [-o FILE] [-k START[.OFS][OPTS][,END[.OFS][OPTS]] [-t CHAR] [FILE]...",
		Help: `Sort lines of text

	-o FILE	Output to FILE
	-c	Check whether input is sorted
	-b	Ignore leading blanks
	-f	Ignore case
	-i	Ignore unprintable characters
	-d	Dictionary order (blank or alphanumeric only)
	-n	Sort numbers
	-g	General numerical sort
	-h	Sort human readable numbers (2K 1G), as GNU sort does
	-M	Sort month
	-V	Sort version
	-t CHAR	Field separator
	-k N[,M] Sort by Nth field
	-r	Reverse sort order
	-s	Stable (don't sort ties alphabetically)
	-u	Suppress duplicate lines
	-z	NUL terminated input and output`,
		Run: sortApplet})
}

// Sort flags, in the order of busybox's option string (a key's letters are
// looked up there too).
const sortOptLetters = "ngMVucszbrdfimS:T:o:k:t:h"

const (
	sortN          uint      = 1 << iota // numeric (atof)
	sortG                                // general numeric (strtod, NaN and infinities)
	sortM                                // month
	sortV                                // version
	sortU                                // unique
	sortC                                // check
	sortS                                // stable
	sortZ                                // NUL-terminated lines
	sortB                                // ignore leading blanks
	sortR                                // reverse
	sortD                                // dictionary order
	sortF                                // fold case
	sortI                                // ignore unprintable
	sortH          = 1 << 20             // human numeric (GNU's -h; busybox 1.35 has none)
	sortBB         = 1 << 30             // ignore trailing blanks (b after the comma)
	sortNoTieBreak = 1 << 29
)

var sortLetterFlag = map[byte]uint{'n': sortN, 'g': sortG, 'M': sortM, 'V': sortV, 'u': sortU, 'c': sortC, 's': sortS, 'z': sortZ,
	'b': sortB, 'r': sortR, 'd': sortD, 'f': sortF, 'i': sortI, 'h': sortH}

type sortKey struct {
	r     [4]int // start field, start char, end field, end char (0: unset)
	flags uint
}

type sortLine struct {
	b   []byte
	idx int
}

type sorter struct {
	flags uint
	keys  []sortKey
	sep   byte // 0: fields are separated by runs of blanks
}

var sortOptions = getopt{short: "ngMVucszbrdfimS:T:o:k:t:h"}

func sortApplet(e *Env) int {
	p, ok := sortOptions.parse(e, e.Args[1:])
	if !ok {
		return usageError(e, 2)
	}
	die := func(msg string) int {
		fmt.Fprintf(e.Stderr, "sort: %s\n", msg)
		return 2
	}
	s := &sorter{}
	for _, o := range p.list {
		s.flags |= sortLetterFlag[o.name]
	}
	if len(p.all('o')) > 1 || len(p.all('t')) > 1 {
		return usageError(e, 2)
	}
	if s.flags&sortB != 0 {
		s.flags |= sortBB // a global -b strips both ends
	}
	if t, ok := p.last('t'); ok {
		if len(t) != 1 {
			return die("bad -t parameter")
		}
		s.sep = t[0]
	}
	const allowedForKey = sortN | sortG | sortM | sortB | sortR | sortD | sortF | sortI | sortH
	for _, spec := range p.all('k') {
		var k sortKey
		i := 0 // 0 before the comma, 1 after
		for spec != "" {
			n, rest, ok := keyNumber(spec)
			if !ok {
				return die("bad field specification")
			}
			k.r[2*i], spec = n, rest
			if strings.HasPrefix(spec, ".") {
				n, rest, ok := keyNumber(spec[1:])
				if !ok {
					return die("bad field specification")
				}
				k.r[2*i+1], spec = n, rest
			}
			for spec != "" {
				c := spec[0]
				if c == ',' && i == 0 {
					i++
					spec = spec[1:]
					break
				}
				if strings.IndexByte(sortOptLetters, c) < 0 || c == ':' {
					return die("unknown key option")
				}
				f := sortLetterFlag[c]
				if f&allowedForKey == 0 {
					return die("unknown sort type")
				}
				if i == 1 && f == sortB {
					f = sortBB // b after the comma strips trailing blanks
				}
				k.flags |= f
				spec = spec[1:]
			}
		}
		s.keys = append(s.keys, k)
	}
	if len(s.keys) == 0 {
		s.keys = []sortKey{{r: [4]int{1, 0, 0, 0}}}
	}

	delim := byte('\n')
	if s.flags&sortZ != 0 {
		delim = 0
	}
	files := p.operands
	if len(files) == 0 {
		files = []string{"-"}
	}
	var lines []sortLine
	for _, name := range files {
		r, err := openInput(e, name)
		if err != nil {
			return die(fmt.Sprintf("%s: %s", name, errText(err)))
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return die(fmt.Sprintf("%s: %s", name, errText(err)))
		}
		for _, l := range splitLines(data, delim) {
			lines = append(lines, sortLine{b: l, idx: len(lines)})
		}
	}
	for _, k := range s.keys {
		f := k.flags
		if f == 0 {
			f = s.flags
		}
		if t := f & (sortN | sortG | sortM | sortV | sortH); t&(t-1) != 0 && len(lines) > 1 {
			return die("unknown sort type") // busybox finds out when comparing
		}
	}

	if s.flags&sortC != 0 {
		limit := 0
		if s.flags&sortU != 0 {
			limit = -1
		}
		for i := 1; i < len(lines); i++ {
			if s.compare(lines[i-1], lines[i]) > limit {
				fmt.Fprintf(e.Stderr, "Check line %d\n", i)
				return 1
			}
		}
		return 0
	}
	sort.SliceStable(lines, func(i, j int) bool { return s.compare(lines[i], lines[j]) < 0 })
	if s.flags&sortU != 0 {
		s.flags |= sortNoTieBreak
		j := 0
		for i := 1; i < len(lines); i++ {
			if s.compare(lines[j], lines[i]) != 0 {
				j++
				lines[j] = lines[i]
			}
		}
		if len(lines) > 0 {
			lines = lines[:j+1]
		}
	}
	out := e.Stdout
	if name, ok := p.last('o'); ok {
		f, err := os.OpenFile(e.Path(name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
		if err != nil {
			return die(fmt.Sprintf("can't open '%s': %s", name, errText(err)))
		}
		defer f.Close()
		out = f
	}
	w := bufio.NewWriter(out)
	for _, l := range lines {
		w.Write(l.b)
		w.WriteByte(delim)
	}
	if w.Flush() != nil {
		return 1
	}
	return 0
}

// keyNumber is busybox's str2u: a positive decimal field or column number.
func keyNumber(s string) (int, string, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, s, false
	}
	n, ok := atoiPositive(s[:i])
	if !ok || n == 0 {
		return 0, s, false
	}
	return n, s[i:], true
}

func isSpaceC(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// getKey is busybox's get_key: the part of str a key compares. Its quirk is
// kept: an end column (-k2,2.3) counts from the start of the line.
func (s *sorter) getKey(str []byte, k *sortKey, flags uint) []byte {
	if k.r == [4]int{1, 0, 0, 0} && flags&(sortB|sortD|sortF|sortI|sortBB) == 0 {
		return str
	}
	n := len(str)
	start, end := 0, 0
	for j := 0; j < 2; j++ {
		if k.r[2*j] == 0 {
			end = n
		} else {
			var ch byte
			end = 0
			for i := 1; i < k.r[2*j]+j; i++ {
				if s.sep != 0 {
					ch = 0
					for end < n {
						ch = str[end]
						end++
						if ch == s.sep {
							break
						}
						ch = 0
					}
				} else {
					for end < n && isSpaceC(str[end]) {
						end++
					}
					for end < n && !isSpaceC(str[end]) {
						end++
					}
				}
			}
			if j == 1 && ch != 0 {
				end-- // drop the separator that ended the last field
			}
		}
		if j == 0 {
			start = end
		}
	}
	if flags&sortB != 0 {
		for start < n && isSpaceC(str[start]) {
			start++
		}
	}
	if flags&sortBB != 0 {
		for end > start && isSpaceC(str[end-1]) {
			end--
		}
	}
	if k.r[3] != 0 {
		end = min(k.r[3], n)
	}
	if k.r[1] != 0 {
		start = min(start+k.r[1]-1, n)
	}
	if end < start {
		end = start
	}
	key := append([]byte(nil), str[start:end]...)
	if flags&sortD != 0 {
		key = filterBytes(key, func(c byte) bool { return isSpaceC(c) || isAlnum(c) })
	}
	if flags&sortI != 0 {
		key = filterBytes(key, func(c byte) bool { return c >= ' ' && c < 0x7f })
	}
	if flags&sortF != 0 {
		for i := range key {
			key[i] = upper(key[i])
		}
	}
	return key
}

func filterBytes(b []byte, keep func(byte) bool) []byte {
	out := b[:0]
	for _, c := range b {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// compare is busybox's compare_keys.
func (s *sorter) compare(a, b sortLine) int {
	retval := 0
	flags := s.flags
	for i := range s.keys {
		if retval != 0 {
			break
		}
		k := &s.keys[i]
		flags = s.flags
		if k.flags != 0 {
			flags = k.flags
		}
		x, y := s.getKey(a.b, k, flags), s.getKey(b.b, k, flags)
		switch flags & (sortN | sortG | sortM | sortV | sortH) {
		case 0:
			retval = bytes.Compare(x, y)
		case sortN:
			dx, _ := cStrtod(x)
			dy, _ := cStrtod(y)
			retval = cmpFloat(dx, dy)
		case sortG:
			retval = cmpGeneral(x, y)
		case sortM:
			mx, okx := monthOf(x)
			my, oky := monthOf(y)
			switch {
			case !okx && !oky:
				retval = 0
			case !okx:
				retval = -1
			case !oky:
				retval = 1
			default:
				retval = mx - my
			}
		case sortV:
			retval = strverscmp(x, y)
		case sortH:
			retval = cmpFloat(humanValue(x), humanValue(y))
		}
	}
	if retval == 0 {
		if s.flags&sortS != 0 {
			retval = 1
			if a.idx < b.idx {
				retval = -1
			}
		} else if s.flags&sortNoTieBreak == 0 {
			flags = s.flags
			retval = bytes.Compare(a.b, b.b)
		}
	}
	if flags&sortR != 0 {
		return -retval
	}
	return retval
}

func cmpFloat(x, y float64) int {
	switch {
	case x > y:
		return 1
	case x < y:
		return -1
	}
	return 0
}

// cmpGeneral is -g: not numbers < NaN < -inf < numbers < +inf.
func cmpGeneral(x, y []byte) int {
	dx, nx := cStrtod(x)
	dy, ny := cStrtod(y)
	switch {
	case nx == 0:
		if ny == 0 {
			return 0
		}
		return -1
	case ny == 0:
		return 1
	case math.IsNaN(dx):
		if math.IsNaN(dy) {
			return 0
		}
		return -1
	case math.IsNaN(dy):
		return 1
	}
	return cmpFloat(dx, dy)
}

// cStrtod parses the longest prefix of b that C's strtod accepts (after
// blanks): decimal or hex floats, inf, infinity, nan. n is 0 if none.
func cStrtod(b []byte) (float64, int) {
	i := 0
	for i < len(b) && isSpaceC(b[i]) {
		i++
	}
	start := i
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	rest := strings.ToLower(string(b[i:min(len(b), i+8)]))
	sign := 1.0
	if neg {
		sign = -1
	}
	switch {
	case strings.HasPrefix(rest, "infinity"):
		return sign * math.Inf(1), i + 8
	case strings.HasPrefix(rest, "inf"):
		return sign * math.Inf(1), i + 3
	case strings.HasPrefix(rest, "nan"):
		return math.NaN(), i + 3
	}
	if i+1 < len(b) && b[i] == '0' && (b[i+1] == 'x' || b[i+1] == 'X') {
		j := i + 2
		mant, digits, exp := 0.0, 0, 0
		for ; j < len(b) && hexDigit(b[j]) < 16; j++ {
			mant, digits = mant*16+float64(hexDigit(b[j])), digits+1
		}
		if j < len(b) && b[j] == '.' {
			for j++; j < len(b) && hexDigit(b[j]) < 16; j++ {
				mant, digits, exp = mant*16+float64(hexDigit(b[j])), digits+1, exp-4
			}
		}
		if digits == 0 {
			return 0, i + 1 // just the "0"
		}
		if j < len(b) && (b[j] == 'p' || b[j] == 'P') {
			if e, n := cExponent(b[j+1:]); n > 0 {
				exp += e
				j += 1 + n
			}
		}
		return sign * math.Ldexp(mant, exp), j
	}
	j := i
	digits := 0
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j, digits = j+1, digits+1
	}
	if j < len(b) && b[j] == '.' {
		j++
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j, digits = j+1, digits+1
		}
	}
	if digits == 0 {
		return 0, 0
	}
	end := j
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		if _, n := cExponent(b[j+1:]); n > 0 {
			end = j + 1 + n
		}
	}
	v, _ := strconv.ParseFloat(string(b[start:end]), 64) // ±Inf on overflow, as strtod
	return v, end
}

// cExponent reads [+-]digits.
func cExponent(b []byte) (int, int) {
	i, neg := 0, false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	j := i
	v := 0
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		if v < 100000 {
			v = v*10 + int(b[j]-'0')
		}
		j++
	}
	if j == i {
		return 0, 0
	}
	if neg {
		v = -v
	}
	return v, j
}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// monthOf is strptime's %b in the C locale: a month's full or 3-letter name.
func monthOf(b []byte) (int, bool) {
	s := strings.ToLower(string(b))
	for i, m := range monthNames {
		if strings.HasPrefix(s, m) || strings.HasPrefix(s, m[:3]) {
			return i, true
		}
	}
	return 0, false
}

// humanValue reads GNU sort -h's numbers: 1.5K, 2M, 3G ... (powers of 1024).
func humanValue(b []byte) float64 {
	v, n := cStrtod(b)
	if n > 0 && n < len(b) {
		if i := strings.IndexByte("KMGTPEZY", upper(b[n])); i >= 0 {
			v *= math.Pow(1024, float64(i+1))
		}
	}
	return v
}

// strverscmp is glibc's version comparison (sort -V).
func strverscmp(s1, s2 []byte) int {
	const (
		sN = 0 // normal
		sI = 3 // comparing integral part
		sF = 6 // comparing fractional parts
		sZ = 9 // idem but with leading zeroes only
	)
	const (
		cmp  = 2
		len_ = 3
	)
	nextState := [...]uint8{
		/* S_N */ sN, sI, sZ,
		/* S_I */ sN, sI, sI,
		/* S_F */ sN, sF, sF,
		/* S_Z */ sN, sF, sZ,
	}
	result := [...]int8{
		/* S_N */ cmp, cmp, cmp, cmp, len_, cmp, cmp, cmp, cmp,
		/* S_I */ cmp, -1, -1, +1, len_, len_, +1, len_, len_,
		/* S_F */ cmp, cmp, cmp, cmp, cmp, cmp, cmp, cmp, cmp,
		/* S_Z */ cmp, +1, +1, -1, cmp, cmp, -1, cmp, cmp,
	}
	class := func(c byte) int {
		switch {
		case c >= '1' && c <= '9':
			return 1
		case c == '0':
			return 2
		}
		return 0
	}
	at := func(s []byte, i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	if bytes.Equal(s1, s2) {
		return 0
	}
	i := 0
	c1, c2 := at(s1, 0), at(s2, 0)
	state := int(sN) + class(c1)
	diff := int(c1) - int(c2)
	for diff == 0 {
		if c1 == 0 {
			return diff
		}
		state = int(nextState[state])
		i++
		c1, c2 = at(s1, i), at(s2, i)
		state += class(c1)
		diff = int(c1) - int(c2)
	}
	switch r := result[state*3+class(c2)]; r {
	case cmp:
		return diff
	case len_:
		isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
		j := i + 1
		for ; isDigit(at(s1, j)); j++ {
			if !isDigit(at(s2, j)) {
				return 1
			}
		}
		if isDigit(at(s2, j)) {
			return -1
		}
		return diff
	default:
		return int(r)
	}
}
