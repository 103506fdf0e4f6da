package applets

import "testing"

const sedText = "hello world\nfoo bar foo\n\naaa bbb\nline five\nlast line"

func TestSed(t *testing.T) {
	var cases []tc
	for _, script := range []string{
		"p", "s/o/0/", "s/o/0/g", "s/o/0/2", "s/o/0/gp", "s/\\(l*\\)o/[\\1]/g", "s/[a-z]*/<&>/", "s/[a-z]*/<&>/g",
		"s/x*/-/g", "s/b*/R/g", "s/^/> /", "s/$/ </", "s/\\<./\\u&/g", "s/o\\+/O/g", "s/\\(foo\\|bar\\)/[\\1]/g",
		"s/a/\\n/", "s/ /\\t/", "s|o|/|g", "s/o/\\//g", "s/O/x/I", "s/O/x/ig", "s/\\(.\\)\\(.\\)/\\2\\1/", "s/l/L/3g",
		"s/.*/\"&\"/", "s/a\\{2\\}/X/", "s/o/&&/g", "s/\\./!/", "s/[[:space:]]/_/g", "s/^$/EMPTY/", "s/\\bf/F/g",
		"2d", "2,4d", "$d", "/foo/d", "/foo/,/aaa/d", "2,+1d", "/^$/d", "3!d", "1~2d", "0p",
		"-n 2p", "-n $p", "-n /a/p", "-n /a/!p", "-n 2,/line/p", "-n /foo/,+2p", "-n $=", "=", "-n /world/,/foo/{p;p}",
		"2q", "/foo/q", "a\\\nappended", "1a added", "$a end", "1i first", "2c changed", "2,3c changed", "y/abc/xyz/", "y/o\\/l/0|L/",
		"N;P;D", "$!N;s/\\n/ /", "N;N;s/\\n/+/g", "n;d", "-n n;p", "h;G", "1h;2,$H;$!d;x", "x;$G", "G", "1!G;h;$!d",
		":a;s/o//;ta", "s/o/O/;T;s/$/!/", "/foo/b;s/$/ -/", "/foo/{s/foo/F/;s/bar/B/}", "2{p;p}", "2!{s/$/./}", "-n /a/{/b/p}",
		"l", "#n\np", "s/a/b/;#comment\ns/o/0/", "p;p", "pd", "s/o/0/p;d", "-E s/(o+)/[\\1]/g",
		"-r s/(a|e)+/<&>/g", "-E s/a{2}/X/", "-E s/(l)(l)/\\2-\\1/",
	} {
		args := []string{"sed"}
		if len(script) > 3 && (script[:3] == "-n " || script[:3] == "-E " || script[:3] == "-r ") {
			args = append(args, script[:2])
			script = script[3:]
		}
		args = append(args, script)
		cases = append(cases, tc{args: args, stdin: sedText})
	}
	cases = append(cases,
		tc{args: []string{"sed", "s/\\(a\\)\\(b\\)/\\2\\1/"}, stdin: "xaby\n", want: str("xbay\n")},
		tc{args: []string{"sed", "s/o/&&/g"}, stdin: "foo\n", want: str("foooo\n")},
		tc{args: []string{"sed", "s/c*/R/g"}, stdin: "cccd\n", want: str("RdR\n")},
		tc{args: []string{"sed", "-e", "s/a/b/", "-e", "s/b/c/"}, stdin: "a\n", want: str("c\n")},
		tc{args: []string{"sed", "-f", "script", "in"}, files: map[string]string{"script": "s/a/b/\n# comment\n/x/d\n", "in": "a\nx\nya\n"}, want: str("b\nyb\n")},
		tc{args: []string{"sed", "-n", "-f", "script"}, files: map[string]string{"script": "/x/{\np\n}\n"}, stdin: "a\nx\n", want: str("x\n")},
		tc{args: []string{"sed", "-i", "s/a/b/", "f1", "f2"}, files: map[string]string{"f1": "a\na\n", "f2": "xa"}, want: str(""),
			after: func(t *testing.T, dir string) { wantFile(t, dir, "f1", "b\nb\n"); wantFile(t, dir, "f2", "xb") }},
		tc{args: []string{"sed", "-i.bak", "1d", "f"}, files: map[string]string{"f": "1\n2\n"}, want: str(""),
			after: func(t *testing.T, dir string) { wantFile(t, dir, "f", "2\n"); wantFile(t, dir, "f.bak", "1\n2\n") }},
		tc{args: []string{"sed", "-n", "$p", "f1", "f2"}, files: map[string]string{"f1": "a\nb\n", "f2": "c\nd\n"}, want: str("d\n")},
		tc{args: []string{"sed", "s/$/!/", "f1", "f2"}, files: map[string]string{"f1": "a", "f2": "b"}, want: str("a!\nb!")},
		tc{args: []string{"sed", "1r inc", "in"}, files: map[string]string{"inc": "included\n", "in": "a\nb\n"}, want: str("a\nincluded\nb\n")},
		tc{args: []string{"sed", "w out", "in"}, files: map[string]string{"in": "a\nb"}, want: str("a\nb"),
			after: func(t *testing.T, dir string) { wantFile(t, dir, "out", "a\nb") }},
		tc{args: []string{"sed", "s/a/b/", "missing", "-"}, stdin: "a\n", want: str("b\n"), status: 1},
		tc{args: []string{"sed", "p"}, stdin: "a\x00b\x00", noBB: false},
		tc{args: []string{"sed", "--version"}},
		// busybox writes "w /dev/stdout" through a second stdio buffer, flushed at exit; here it comes in order.
		tc{args: []string{"sed", "s/l/L/w /dev/stdout"}, stdin: "al\nb\n", want: str("aL\naL\nb\n"), noBB: true},
		tc{name: "unknown command", args: []string{"sed", "k"}, stdin: "a\n", want: str(""), status: 1},
		tc{name: "unterminated s", args: []string{"sed", "s/a/b"}, stdin: "a\n", want: str(""), status: 1},
		tc{name: "bad s flag", args: []string{"sed", "s/a/b/z"}, stdin: "a\n", want: str(""), status: 1},
		tc{name: "bad regex", args: []string{"sed", "s/\\(/x/"}, stdin: "a\n", want: str(""), status: 1},
		tc{name: "BRE a** is an error in sed", args: []string{"sed", "s/a**/x/"}, stdin: "a\n", want: str(""), status: 1},
		tc{name: "missing label", args: []string{"sed", "b nowhere"}, stdin: "a\n", want: str(""), status: 1},
		tc{name: "-i without files", args: []string{"sed", "-i", "p"}, want: str(""), status: 1},
		tc{name: "no script", args: []string{"sed"}, want: str(""), status: 1},
		tc{name: "a with two addresses", args: []string{"sed", "1,2a x"}, stdin: "a\n", want: str(""), status: 1},
		tc{name: "back-reference in RE", args: []string{"sed", "s/\\(a\\)\\1/x/"}, stdin: "aa\n", want: str(""), status: 1, noBB: true},
	)
	runCases(t, cases)
}
