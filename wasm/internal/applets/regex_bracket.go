package applets

// Bracket expressions ([a-z], [^[:space:]], [[=a=]], [[.-.]]) of the POSIX
// patterns in regex.go, as glibc's parse_bracket_exp reads them.

import (
	"strconv"
	"strings"
)

// C-locale character classes.
var ctypes = map[string]func(b byte) bool{
	"alpha":  func(b byte) bool { return isAlpha(b) },
	"upper":  func(b byte) bool { return b >= 'A' && b <= 'Z' },
	"lower":  func(b byte) bool { return b >= 'a' && b <= 'z' },
	"digit":  func(b byte) bool { return b >= '0' && b <= '9' },
	"xdigit": func(b byte) bool { return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F' },
	"space":  func(b byte) bool { return b == ' ' || b >= '\t' && b <= '\r' },
	"print":  func(b byte) bool { return b >= ' ' && b < 0x7f },
	"punct":  func(b byte) bool { return b > ' ' && b < 0x7f && !isAlnum(b) },
	"graph":  func(b byte) bool { return b > ' ' && b < 0x7f },
	"cntrl":  func(b byte) bool { return b < ' ' || b == 0x7f },
	"blank":  func(b byte) bool { return b == ' ' || b == '\t' },
	"alnum":  func(b byte) bool { return isAlnum(b) },
}

func isAlpha(b byte) bool    { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
func isAlnum(b byte) bool    { return isAlpha(b) || b >= '0' && b <= '9' }
func isWordByte(b byte) bool { return isAlnum(b) || b == '_' }

// bracket is parse_bracket_exp; the set is computed over all 256 bytes and
// written out as a positive class, so negation stays within bytes.
func (p *reParser) bracket() string {
	var set [256]bool
	s := p.src
	at := p.pos
	trans := func(c byte) byte {
		if p.syn.icase {
			return upper(c)
		}
		return c
	}
	type elem struct {
		kind byte // 'c' char, ':' class, '=' equivalence, '.' collating symbol
		c    byte
		name string
	}
	// peekB is peek_token_bracket: returns kind ('E' end, '-' range, ']'
	// close, '^' negate, '[' open of [: [= [., 'c' char) and the length.
	peekB := func(at int) (byte, byte, int) {
		if at >= len(s) {
			return 'E', 0, 0
		}
		c := s[at]
		if c == '[' && at+1 < len(s) && (s[at+1] == '.' || s[at+1] == '=' || s[at+1] == ':') {
			return '[', s[at+1], 2
		}
		switch c {
		case '-', ']', '^':
			return c, c, 1
		}
		return 'c', c, 1
	}
	// element is parse_bracket_element.
	element := func(kind, c byte, n int, acceptHyphen bool) (elem, *reError) {
		at += n
		if kind == '[' {
			// parse_bracket_symbol: up to "c]" with c the opening delimiter.
			var name []byte
			for i := 0; ; i++ {
				if i >= 32 || at >= len(s) {
					return elem{}, errBrack
				}
				ch := s[at]
				at++
				if at >= len(s) {
					return elem{}, errBrack
				}
				if ch == c && s[at] == ']' {
					break
				}
				if c != ':' {
					ch = trans(ch)
				}
				name = append(name, ch)
			}
			at++
			return elem{kind: c, name: string(name)}, nil
		}
		if kind == '-' && !acceptHyphen {
			if k, _, _ := peekB(at); k != ']' {
				return elem{}, errRange
			}
		}
		return elem{kind: 'c', c: trans(c)}, nil
	}
	single := func(el elem) (byte, *reError) {
		if el.kind == 'c' {
			return el.c, nil
		}
		if len(el.name) != 1 {
			return 0, errCollate
		}
		return el.name[0], nil
	}

	negate := false
	kind, c, n := peekB(at)
	if kind == '^' {
		negate = true
		at += n
		kind, c, n = peekB(at)
	}
	if kind == ']' {
		kind = 'c'
	}
	first := true
	for {
		start, err := element(kind, c, n, first)
		if err != nil {
			p.fail(err)
			return ""
		}
		first = false
		kind, c, n = peekB(at)
		isRange := false
		var k2, c2 byte
		var n2 int
		if start.kind != ':' && start.kind != '=' {
			if kind == 'E' {
				p.fail(errBrack)
				return ""
			}
			if kind == '-' {
				at += n
				k2, c2, n2 = peekB(at)
				if k2 == 'E' {
					p.fail(errBrack)
					return ""
				}
				if k2 == ']' {
					at -= n // the last '-' is an ordinary character
					kind = 'c'
				} else {
					isRange = true
				}
			}
		}
		if isRange {
			end, err := element(k2, c2, n2, true)
			if err != nil {
				p.fail(err)
				return ""
			}
			if end.kind == ':' || end.kind == '=' {
				p.fail(errRange)
				return ""
			}
			lo, err1 := single(start)
			hi, err2 := single(end)
			if err1 != nil || err2 != nil {
				p.fail(errCollate)
				return ""
			}
			if lo > hi {
				p.fail(errRange)
				return ""
			}
			for b := int(lo); b <= int(hi); b++ {
				set[b] = true
			}
			kind, c, n = peekB(at)
		} else {
			switch start.kind {
			case 'c':
				set[start.c] = true
			case '=', '.':
				b, err := single(start)
				if err != nil {
					p.fail(err)
					return ""
				}
				set[b] = true
			case ':':
				name := start.name
				if p.syn.icase && (name == "upper" || name == "lower") {
					name = "alpha"
				}
				is, ok := ctypes[name]
				if !ok {
					p.fail(errCtype)
					return ""
				}
				for b := 0; b < 256; b++ {
					if is(byte(b)) {
						set[trans(byte(b))] = true
					}
				}
			}
		}
		if kind == 'E' {
			p.fail(errBrack)
			return ""
		}
		if kind == ']' {
			at += n
			break
		}
	}
	p.pos = at
	// A byte matches when its translation is in the set.
	var final [256]bool
	for b := 0; b < 256; b++ {
		final[b] = set[trans(byte(b))] != negate
	}
	return classOf(final)
}

// classOf writes a byte set as a Go character class over byteRune.
func classOf(set [256]bool) string {
	var b strings.Builder
	any := false
	b.WriteByte('[')
	for i := 0; i < 256; {
		if !set[i] {
			i++
			continue
		}
		j := i
		for j+1 < 256 && set[j+1] && (j+1 < 0x80) == (i < 0x80) {
			j++
		}
		any = true
		b.WriteString(classRune(byte(i)))
		if j > i {
			b.WriteByte('-')
			b.WriteString(classRune(byte(j)))
		}
		i = j + 1
	}
	if !any {
		return neverMatch
	}
	b.WriteByte(']')
	return b.String()
}

func classRune(b byte) string {
	return `\x{` + strconv.FormatInt(int64(byteRune(b)), 16) + `}`
}
