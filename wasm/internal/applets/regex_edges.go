package applets

// \< and \> for RE2, which has only \b: exact where the character next to
// them is certainly a word character (see regex.go's branch).

import (
	"regexp/syntax"
	"unicode/utf8"
)

// wordOnly narrows a one-character expression to its word characters.
func wordOnly(expr string) (string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	var in func(r rune) bool
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) != 1 {
			return "", false
		}
		lit := re.Rune[0]
		in = func(r rune) bool { return r == lit }
	case syntax.OpCharClass:
		in = func(r rune) bool {
			for i := 0; i < len(re.Rune); i += 2 {
				if r >= re.Rune[i] && r <= re.Rune[i+1] {
					return true
				}
			}
			return false
		}
	case syntax.OpAnyChar:
		in = func(rune) bool { return true }
	default:
		return "", false
	}
	var set [256]bool
	for b := 0; b < 256; b++ {
		set[b] = isWordByte(byte(b)) && in(byteRune(byte(b)))
	}
	return classOf(set), true
}

// edgeIsWord reports whether the Go expression expr always consumes a word
// character first (or, with first false, last): then \< before it (or \>
// after it) is exactly RE2's \b.
func edgeIsWord(expr string, first bool) bool {
	if expr == "" {
		return false
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return false
	}
	return alwaysWord(re.Simplify(), first) && !nullable(re)
}

// nonEmptyWord rewrites expr to its non-empty matches, which must begin and
// end with a word character; ok is false where that is not known.
func nonEmptyWord(expr string) (string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	ne, ok := nonEmpty(re)
	if !ok || nullable(ne) || !alwaysWord(ne.Simplify(), true) || !alwaysWord(ne.Simplify(), false) {
		return "", false
	}
	return ne.String(), true
}

// nonEmpty restricts re to its non-empty matches, for the shapes where that
// is a local rewrite (X* -> X+, X? -> X, X{0,n} -> X{1,n}, alternatives).
func nonEmpty(re *syntax.Regexp) (*syntax.Regexp, bool) {
	if !nullable(re) {
		return re, true
	}
	cp := *re
	switch re.Op {
	case syntax.OpStar:
		if !nullable(re.Sub[0]) {
			cp.Op = syntax.OpPlus
			return &cp, true
		}
	case syntax.OpQuest:
		if !nullable(re.Sub[0]) {
			return re.Sub[0], true
		}
	case syntax.OpRepeat:
		if re.Min == 0 && re.Max != 0 && !nullable(re.Sub[0]) {
			cp.Min = 1
			return &cp, true
		}
	case syntax.OpCapture:
		sub, ok := nonEmpty(re.Sub[0])
		if ok {
			cp.Sub = []*syntax.Regexp{sub}
			return &cp, true
		}
	case syntax.OpAlternate:
		var subs []*syntax.Regexp
		for _, s := range re.Sub {
			if s.Op == syntax.OpEmptyMatch {
				continue
			}
			ne, ok := nonEmpty(s)
			if !ok {
				return nil, false
			}
			subs = append(subs, ne)
		}
		if len(subs) > 0 {
			cp.Sub = subs
			return &cp, true
		}
	}
	return nil, false
}

func alwaysWord(re *syntax.Regexp, first bool) bool {
	word := func(r rune) bool { return r < utf8.RuneSelf && isWordByte(byte(r)) }
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return false
		}
		r := re.Rune[0]
		if !first {
			r = re.Rune[len(re.Rune)-1]
		}
		return word(r)
	case syntax.OpCharClass:
		for i := 0; i < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if !word(r) {
					return false
				}
			}
		}
		return len(re.Rune) > 0
	case syntax.OpCapture, syntax.OpPlus, syntax.OpStar, syntax.OpQuest, syntax.OpRepeat:
		return alwaysWord(re.Sub[0], first)
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if !alwaysWord(s, first) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		subs := re.Sub
		for i := range subs {
			s := subs[i]
			if !first {
				s = subs[len(subs)-1-i]
			}
			if !alwaysWord(s, first) {
				return false
			}
			if !nullable(s) {
				return true
			}
		}
		return false
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return true // consume nothing: the neighbour decides
	}
	return false
}

func nullable(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune) == 0
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL, syntax.OpNoMatch:
		return false
	case syntax.OpStar, syntax.OpQuest:
		return true
	case syntax.OpRepeat:
		return re.Min == 0 || nullable(re.Sub[0])
	case syntax.OpCapture, syntax.OpPlus:
		return nullable(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !nullable(s) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if nullable(s) {
				return true
			}
		}
		return false
	}
	return true
}
