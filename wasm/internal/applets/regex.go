package applets

// POSIX regular expressions (BRE and ERE, with the GNU extensions glibc has)
// for grep, sed and cut, translated to Go's RE2 syntax. busybox hands its
// patterns to glibc, so the parser below follows glibc's regcomp.c
// (peek_token, parse_expression, parse_dup_op, parse_bracket_exp) token for
// token: where an operator is literal, skipped or an error is decided the
// same way. Matching is leftmost-longest, as POSIX asks, and on bytes, as in
// the C locale busybox runs in: each byte >= 0x80 is one character.
//
// Not supported, with an error rather than a silent mismatch: back-references
// (\1-\9 inside a pattern), \< and \> where the neighbouring character is not
// certainly a word character, and repeat counts above 1000 (RE2's limit).

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// reSyntax selects a dialect, as glibc's syntax bits do.
type reSyntax struct {
	ere         bool // extended: + ? | ( ) { } are operators unescaped
	invalidDup  bool // RE_CONTEXT_INVALID_DUP (POSIX BRE): "a**" and a leading \{ are errors
	invalidOps  bool // RE_CONTEXT_INVALID_OPS (POSIX ERE): a leading * + ? { is an error
	intervalOrd bool // RE_INVALID_INTERVAL_ORD (egrep): a malformed { is a literal
	dotNotNull  bool // RE_DOT_NOT_NULL (POSIX): . does not match NUL
	icase       bool // ASCII case folding, as grep -i's translate table and REG_ICASE
	notBOL      bool // REG_NOTBOL: ^ never matches (searches that start mid-line)
	notEOL      bool // REG_NOTEOL: $ never matches
}

var (
	grepBRE  = reSyntax{}                                   // RE_SYNTAX_GREP
	grepERE  = reSyntax{ere: true, intervalOrd: true}       // RE_SYNTAX_EGREP | RE_INTERVALS | RE_NO_BK_BRACES
	posixBRE = reSyntax{invalidDup: true, dotNotNull: true} // regcomp(0)
	posixERE = reSyntax{ere: true, invalidOps: true, dotNotNull: true}
)

// reError is a compile error. msg is glibc's regerror text; unsupported marks
// what glibc accepts but this translation cannot express.
type reError struct {
	msg         string
	unsupported bool
}

func (e *reError) Error() string { return e.msg }

// glibc's regerror texts.
var (
	errBadPat   = &reError{msg: "Invalid regular expression"}
	errCollate  = &reError{msg: "Invalid collation character"}
	errCtype    = &reError{msg: "Invalid character class name"}
	errEscape   = &reError{msg: "Trailing backslash"}
	errSubreg   = &reError{msg: "Invalid back reference"}
	errBrack    = &reError{msg: "Unmatched [, [^, [:, [., or [="}
	errParen    = &reError{msg: "Unmatched ( or \\("}
	errBrace    = &reError{msg: "Unmatched \\{"}
	errBadBr    = &reError{msg: "Invalid content of \\{\\}"}
	errRange    = &reError{msg: "Invalid range end"}
	errBadRpt   = &reError{msg: "Invalid preceding regular expression"}
	errSize     = &reError{msg: "Regular expression too big"}
	errRParen   = &reError{msg: "Unmatched ) or \\)"}
	errBackref  = &reError{msg: "back-references (\\1-\\9) are not supported", unsupported: true}
	errWordEdge = &reError{msg: "\\< and \\> are supported only next to a word character", unsupported: true}
	errRepeat   = &reError{msg: "repeat counts above 1000 are not supported", unsupported: true}
)

type tokKind int

const (
	tEnd tokKind = iota
	tChar
	tBackslash // a trailing "\"
	tAnchor
	tPeriod
	tBracket
	tStar
	tPlus
	tQuestion
	tOpenDup
	tCloseDup
	tOpenGroup
	tCloseGroup
	tAlt
	tBackref
	tWord
	tNotWord
	tSpace
	tNotSpace
)

type token struct {
	kind   tokKind
	c      byte // the character (tChar), anchor letter (tAnchor), or digit (tBackref)
	len    int
	escape bool // came as "\c": glibc reads it untranslated (no -i folding)
}

type reParser struct {
	src    string
	pos    int
	syn    reSyntax
	tok    token
	groups int      // opened so far
	closed []bool   // closed[n]: group n+1 has been closed (back-references need it)
	err    *reError // first error
}

// peek reads the token at p.pos without consuming it. caretHere is glibc's
// RE_CARET_ANCHORS_HERE: a "^" right after "\(" or "\|" is an anchor in BRE.
func (p *reParser) peek(at int, caretHere bool) token {
	s := p.src
	if at >= len(s) {
		return token{kind: tEnd}
	}
	c := s[at]
	if c == '\\' {
		if at+1 >= len(s) {
			return token{kind: tBackslash, len: 1}
		}
		c2 := s[at+1]
		t := token{kind: tChar, c: c2, len: 2, escape: true}
		switch c2 {
		case '|':
			if !p.syn.ere {
				t.kind = tAlt
			}
		case '1', '2', '3', '4', '5', '6', '7', '8', '9':
			t.kind = tBackref
		case '<', '>', 'b', 'B', '`', '\'':
			t.kind = tAnchor
		case 'w':
			t.kind = tWord
		case 'W':
			t.kind = tNotWord
		case 's':
			t.kind = tSpace
		case 'S':
			t.kind = tNotSpace
		case '(':
			if !p.syn.ere {
				t.kind = tOpenGroup
			}
		case ')':
			if !p.syn.ere {
				t.kind = tCloseGroup
			}
		case '+':
			if !p.syn.ere {
				t.kind = tPlus
			}
		case '?':
			if !p.syn.ere {
				t.kind = tQuestion
			}
		case '{':
			if !p.syn.ere {
				t.kind = tOpenDup
			}
		case '}':
			if !p.syn.ere {
				t.kind = tCloseDup
			}
		}
		return t
	}
	t := token{kind: tChar, c: c, len: 1}
	switch c {
	case '|':
		if p.syn.ere {
			t.kind = tAlt
		}
	case '*':
		t.kind = tStar
	case '+':
		if p.syn.ere {
			t.kind = tPlus
		}
	case '?':
		if p.syn.ere {
			t.kind = tQuestion
		}
	case '{':
		if p.syn.ere {
			t.kind = tOpenDup
		}
	case '}':
		if p.syn.ere {
			t.kind = tCloseDup
		}
	case '(':
		if p.syn.ere {
			t.kind = tOpenGroup
		}
	case ')':
		if p.syn.ere {
			t.kind = tCloseGroup
		}
	case '[':
		t.kind = tBracket
	case '.':
		t.kind = tPeriod
	case '^':
		if p.syn.ere || caretHere || at == 0 {
			t.kind = tAnchor
		}
	case '$':
		if p.syn.ere || at+1 == len(s) {
			t.kind = tAnchor
		} else if n := p.peek(at+1, false); n.kind == tAlt || n.kind == tCloseGroup {
			t.kind = tAnchor
		}
	}
	return t
}

func (p *reParser) fetch(caretHere bool) {
	p.tok = p.peek(p.pos, caretHere)
	p.pos += p.tok.len
}

func (p *reParser) fail(e *reError) {
	if p.err == nil {
		p.err = e
	}
}

// node is a translated piece of a branch.
type node struct {
	re       string // Go syntax, self-contained (safe to concatenate)
	repeated bool   // ends in a repetition: wrap before repeating again
	edge     byte   // '<' or '>': a word-edge placeholder, resolved per branch
}

// translate compiles a POSIX pattern into Go syntax.
func translateRegex(pattern string, syn reSyntax) (string, error) {
	p := &reParser{src: pattern, syn: syn}
	p.fetch(true)
	re := p.regExp(0)
	if p.err == nil && p.tok.kind != tEnd {
		// Only an unmatched close group gets here.
		p.fail(errRParen)
	}
	if p.err != nil {
		return "", p.err
	}
	return re, nil
}

// regExp is glibc's parse_reg_exp: branches separated by "|".
func (p *reParser) regExp(nest int) string {
	branches := []string{p.branch(nest)}
	for p.tok.kind == tAlt && p.err == nil {
		p.fetch(true)
		if p.tok.kind != tAlt && p.tok.kind != tEnd && (nest == 0 || p.tok.kind != tCloseGroup) {
			branches = append(branches, p.branch(nest))
		} else {
			branches = append(branches, "")
		}
	}
	if len(branches) == 1 {
		return branches[0]
	}
	return strings.Join(branches, "|")
}

// branch is parse_branch: a concatenation of expressions.
func (p *reParser) branch(nest int) string {
	var nodes []node
	for p.tok.kind != tAlt && p.tok.kind != tEnd && (nest == 0 || p.tok.kind != tCloseGroup) && p.err == nil {
		if n, ok := p.expression(nest); ok {
			nodes = append(nodes, n)
		}
	}
	if p.err != nil {
		return ""
	}
	out := make([]string, len(nodes))
	for i := 0; i < len(nodes); i++ {
		switch n := nodes[i]; n.edge {
		case '<':
			out[i] = `\b`
			if edgeIsWord(joinNodes(nodes[i+1:]), true) {
				continue
			}
			// "\<X" with X one character: X must be a word character.
			if i+1 < len(nodes) && nodes[i+1].edge == 0 && !nodes[i+1].repeated {
				if w, ok := wordOnly(nodes[i+1].re); ok {
					nodes[i+1].re = w
					continue
				}
			}
			// "\<Y\>" with Y able to match empty: the empty case needs a
			// non-word and a word character before the same position, so
			// it never matches; Y's non-empty matches are what remain.
			j := i + 1
			for j < len(nodes) && nodes[j].edge == 0 {
				j++
			}
			if j < len(nodes) && nodes[j].edge == '>' {
				if j == i+1 {
					out[i] = neverMatch
					i = j
					continue
				}
				if ne, ok := nonEmptyWord(joinNodes(nodes[i+1 : j])); ok {
					out[i] = `\b(?:` + ne + `)\b`
					for k := i + 1; k <= j; k++ {
						nodes[k].re, nodes[k].edge = "", 0
					}
					i = j
					continue
				}
			}
			p.fail(errWordEdge)
		case '>':
			out[i] = `\b`
			if edgeIsWord(joinNodes(nodes[:i]), false) {
				continue
			}
			if i > 0 && nodes[i-1].edge == 0 && !nodes[i-1].repeated {
				if w, ok := wordOnly(nodes[i-1].re); ok {
					out[i-1] = w
					continue
				}
			}
			p.fail(errWordEdge)
		default:
			out[i] = n.re
		}
	}
	return strings.Join(out, "")
}

func joinNodes(nodes []node) string {
	var b strings.Builder
	for _, n := range nodes {
		if n.edge != 0 {
			b.WriteString(`\b`)
		} else {
			b.WriteString(n.re)
		}
	}
	return b.String()
}

// expression is parse_expression: one atom and its repetitions. ok is false
// when it produced nothing (an operator skipped, an empty alternative).
func (p *reParser) expression(nest int) (node, bool) {
	var n node
	t := p.tok
	switch t.kind {
	case tChar:
		n.re = p.literal(t.c, t.escape)
	case tOpenGroup:
		n.re = p.group(nest + 1)
	case tBracket:
		n.re = p.bracket()
	case tBackref:
		if int(t.c-'0') > len(p.closed) || !p.closed[t.c-'1'] {
			p.fail(errSubreg)
		} else {
			p.fail(errBackref)
		}
		return n, false
	case tOpenDup, tStar, tPlus, tQuestion:
		if t.kind == tOpenDup && p.syn.invalidDup {
			p.fail(errBadRpt)
			return n, false
		}
		if p.syn.invalidOps {
			p.fail(errBadRpt)
			return n, false
		}
		if p.syn.ere { // RE_CONTEXT_INDEP_OPS: skip the operator
			p.fetch(false)
			return p.expression(nest)
		}
		n.re = p.literal(t.c, t.escape)
	case tCloseGroup:
		if !p.syn.ere { // RE_UNMATCHED_RIGHT_PAREN_ORD is ERE-only
			p.fail(errRParen)
			return n, false
		}
		n.re = p.literal(t.c, t.escape)
	case tCloseDup:
		n.re = p.literal(t.c, t.escape)
	case tAnchor:
		// An anchor takes no repetition: what follows starts a new expression.
		p.fetch(false)
		switch t.c {
		case '^':
			n.re = `^`
			if p.syn.notBOL {
				n.re = neverMatch
			}
		case '$':
			n.re = `$`
			if p.syn.notEOL {
				n.re = neverMatch
			}
		case '`':
			n.re = `\A`
		case '\'':
			n.re = `\z`
		case 'b':
			n.re = `\b`
		case 'B':
			n.re = `\B`
		case '<', '>':
			n.edge = t.c
		}
		return n, true
	case tPeriod:
		n.re = `(?s:.)`
		if p.syn.dotNotNull {
			n.re = `[^\x00]`
		}
	case tWord:
		n.re = `[0-9A-Za-z_]`
	case tNotWord:
		n.re = `[^0-9A-Za-z_]`
	case tSpace:
		n.re = `[\t\n\v\f\r ]`
	case tNotSpace:
		n.re = `[^\t\n\v\f\r ]`
	case tBackslash:
		p.fail(errEscape)
		return n, false
	default: // tAlt, tEnd
		return n, false
	}
	if p.err != nil {
		return n, false
	}
	p.fetch(false)
	gone := false // "x{0}" matches only the empty string: glibc drops it
	for p.err == nil && (p.tok.kind == tStar || p.tok.kind == tPlus || p.tok.kind == tQuestion || p.tok.kind == tOpenDup) {
		var keep bool
		n, keep = p.dupOp(n)
		gone = gone || !keep
		if p.syn.invalidDup && (p.tok.kind == tStar || p.tok.kind == tOpenDup) {
			p.fail(errBadRpt)
		}
	}
	return n, p.err == nil && !gone
}

// neverMatch is an empty character class: it matches nothing.
const neverMatch = `[^\x00-\x{10FFFF}]`

// group is parse_sub_exp.
func (p *reParser) group(nest int) string {
	p.groups++
	idx := p.groups
	for len(p.closed) < idx {
		p.closed = append(p.closed, false)
	}
	p.fetch(true)
	inner := ""
	if p.tok.kind != tCloseGroup {
		inner = p.regExp(nest)
	}
	if p.err != nil {
		return ""
	}
	if p.tok.kind != tCloseGroup {
		p.fail(errParen)
		return ""
	}
	p.closed[idx-1] = true
	return "(" + inner + ")"
}

// dupOp is parse_dup_op: applies *, +, ?, {m,n} to n. keep is false when
// the result matches only the empty string and glibc drops it ({0}).
func (p *reParser) dupOp(n node) (node, bool) {
	start, end := 0, -1 // end -1: unbounded
	t := p.tok
	switch t.kind {
	case tStar:
	case tPlus:
		start = 1
	case tQuestion:
		end = 1
	case tOpenDup:
		startPos, startTok := p.pos, p.tok
		start = p.fetchNumber()
		if start == -1 {
			if p.tok.kind == tChar && p.tok.c == ',' {
				start = 0 // "{,m}" is "{0,m}"
			} else {
				p.fail(errBadBr) // "{}" is invalid
				return n, false
			}
		}
		if start != -2 {
			switch {
			case p.tok.kind == tCloseDup:
				end = start
			case p.tok.kind == tChar && p.tok.c == ',':
				end = p.fetchNumber()
			default:
				end = -2
			}
		}
		if start == -2 || end == -2 {
			if !p.syn.intervalOrd {
				if p.tok.kind == tEnd {
					p.fail(errBrace)
				} else {
					p.fail(errBadBr)
				}
				return n, false
			}
			// Roll back: the "{" is an ordinary character.
			p.pos, p.tok = startPos, startTok
			p.tok.kind = tChar
			return n, true
		}
		if (end != -1 && start > end) || p.tok.kind != tCloseDup {
			p.fail(errBadBr)
			return n, false
		}
		if max(start, end) > 0x7fff { // RE_DUP_MAX
			p.fail(errSize)
			return n, false
		}
		if max(start, end) > 1000 {
			p.fail(errRepeat)
			return n, false
		}
	}
	p.fetch(false)
	if start == 0 && end == 0 {
		return node{}, false
	}
	base := n.re
	if n.repeated {
		base = "(?:" + base + ")"
	}
	var op string
	switch {
	case start == 0 && end == -1:
		op = "*"
	case start == 1 && end == -1:
		op = "+"
	case start == 0 && end == 1:
		op = "?"
	case end == -1:
		op = "{" + strconv.Itoa(start) + ",}"
	case start == end:
		op = "{" + strconv.Itoa(start) + "}"
	default:
		op = "{" + strconv.Itoa(start) + "," + strconv.Itoa(end) + "}"
	}
	return node{re: base + op, repeated: true}, true
}

// fetchNumber is glibc's fetch_number: -1 no digits, -2 malformed.
func (p *reParser) fetchNumber() int {
	num := -1
	for {
		p.fetch(false)
		t := p.tok
		if t.kind == tEnd {
			return -2
		}
		if t.kind == tCloseDup || t.c == ',' {
			break
		}
		switch {
		case t.kind != tChar || t.c < '0' || t.c > '9' || num == -2:
			num = -2
		case num == -1:
			num = int(t.c - '0')
		default:
			num = min(0x7fff+1, num*10+int(t.c-'0'))
		}
	}
	return num
}

// upper is the C locale's toupper, the table grep -i and REG_ICASE use.
func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// literal matches byte c. With icase glibc compares translated (upper-cased)
// characters; an escaped character is read untranslated, so "\a" under -i
// matches nothing at all, as in glibc.
func (p *reParser) literal(c byte, escaped bool) string {
	if !p.syn.icase {
		return quoteByte(c)
	}
	if escaped && c >= 'a' && c <= 'z' {
		return neverMatch
	}
	u := upper(c)
	if u >= 'A' && u <= 'Z' {
		return "[" + string(u) + string(u-'A'+'a') + "]"
	}
	return quoteByte(c)
}

// byteRune maps an input byte to the rune it is matched as: ASCII as itself,
// a byte >= 0x80 to a private-use rune of its own, so that every byte is one
// character and no Unicode case folding applies.
func byteRune(b byte) rune {
	if b < utf8.RuneSelf {
		return rune(b)
	}
	return 0xF700 + rune(b)
}

func quoteByte(b byte) string {
	if b < utf8.RuneSelf {
		if b < ' ' || b == 0x7f {
			return `\x{` + strconv.FormatInt(int64(b), 16) + `}`
		}
		return regexp.QuoteMeta(string(rune(b)))
	}
	return `\x{` + strconv.FormatInt(int64(byteRune(b)), 16) + `}`
}
