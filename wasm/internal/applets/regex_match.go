package applets

// Compiled POSIX patterns matching bytes (C locale) with RE2.

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// posixRegex is a compiled POSIX pattern that matches bytes.
type posixRegex struct {
	re     *regexp.Regexp
	notBOL *regexp.Regexp // the same with ^ never matching (REG_NOTBOL searches)
	groups int
}

// compileRegex translates and compiles pattern.
func compileRegex(pattern string, syn reSyntax) (*posixRegex, error) {
	expr, err := translateRegex(pattern, syn)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		// RE2's own limits (nesting, program size).
		return nil, &reError{msg: "too complex for this implementation: " + err.Error(), unsupported: true}
	}
	re.Longest()
	r := &posixRegex{re: re, groups: re.NumSubexp()}
	syn.notBOL = true
	if nb, err := translateRegex(pattern, syn); err == nil && nb != expr {
		r.notBOL = regexp.MustCompile(nb)
		r.notBOL.Longest()
	} else {
		r.notBOL = re
	}
	return r, nil
}

// subject is a line prepared for matching: bytes >= 0x80 become one rune each.
type subject struct {
	orig []byte
	conv string
	off  []int // off[i]: index in orig of conv byte i; nil when conv == orig
}

func newSubject(b []byte) *subject {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return &subject{orig: b, conv: string(b)}
	}
	var sb strings.Builder
	off := make([]int, 0, len(b)+8)
	for i, c := range b {
		n := sb.Len()
		sb.WriteRune(byteRune(c))
		for k := n; k < sb.Len(); k++ {
			off = append(off, i)
		}
	}
	off = append(off, len(b))
	return &subject{orig: b, conv: sb.String(), off: off}
}

func (s *subject) back(loc []int) []int {
	if s.off == nil || loc == nil {
		return loc
	}
	out := make([]int, len(loc))
	for i, v := range loc {
		if v < 0 {
			out[i] = v
		} else {
			out[i] = s.off[v]
		}
	}
	return out
}

// match reports whether the regex matches anywhere in line.
func (r *posixRegex) match(line []byte) bool {
	return r.re.MatchString(newSubject(line).conv)
}

// find returns the leftmost-longest match with its groups, as byte offsets.
func (r *posixRegex) find(s *subject) []int {
	return s.back(r.re.FindStringSubmatchIndex(s.conv))
}

// findNotBOL searches s as regexec with REG_NOTBOL does: ^ cannot match at
// its start (busybox searches the rest of a line this way).
func (r *posixRegex) findNotBOL(s *subject) []int {
	return s.back(r.notBOL.FindStringSubmatchIndex(s.conv))
}

// findAll returns successive matches as a search resumed after each one
// finds them (an empty match right after a match is skipped).
func (r *posixRegex) findAll(s *subject) [][]int {
	all := r.re.FindAllStringIndex(s.conv, -1)
	for i := range all {
		all[i] = s.back(all[i])
	}
	return all
}
