package applets

import "testing"

func TestEcho(t *testing.T) {
	runCases(t, []tc{
		{args: []string{"echo", "-en", `a\n`}, want: str("a\n")},
		{args: []string{"echo", "-ne", `a\tb`}, want: str("a\tb")},
		{args: []string{"echo", "-neE", `a\tb`}, want: str("a\tb")},
		{args: []string{"echo", "-E", `a\tb`}, want: str("a\\tb\n")},
		{args: []string{"echo", "-n", "-e", `x\cy`, "z"}, want: str("x")},
		{args: []string{"echo", "-e", `\0101\x41\101\0\x4g\xg\z\\ \a\b\e\f\r\v end\`}},
		{args: []string{"echo", "-e", `\0400 \08 \1234 \x123`}},
		{args: []string{"echo", "-x", "a"}, want: str("-x a\n")},
		{args: []string{"echo", "-", "a"}, want: str("- a\n")},
		{args: []string{"echo", "--", "a"}, want: str("-- a\n")},
		{args: []string{"echo", "-nx"}, want: str("-nx\n")},
		{args: []string{"echo", "-n"}, want: str("")},
		{args: []string{"echo"}, want: str("\n")},
		{args: []string{"echo", "a", "-n"}, want: str("a -n\n")},
		{args: []string{"echo", "--help"}, want: str("--help\n")},
		{args: []string{"echo", `a\nb`}, want: str("a\\nb\n")},
	})
}

func TestEnv(t *testing.T) {
	runCases(t, []tc{
		{args: []string{"env", "-i", "A=1", "B=2"}, want: str("A=1\nB=2\n")},
		{args: []string{"env", "-", "A=1"}, want: str("A=1\n")},
		{args: []string{"env", "-i", "A=1", "A=2", "B=3", "A=4"}, want: str("A=4\nB=3\n")},
		{args: []string{"env", "-i", "-0", "A=1"}, want: str("A=1\x00")},
		{args: []string{"env", "-i", "A=1", "-u", "A"}, want: str(""), status: 127}, // options end at the first operand: "-u" is the command
		{args: []string{"env", "-i", "A=1", "echo", "hi", "there"}, want: str("hi there\n")},
		{args: []string{"env", "-i", "A=1", "env"}, want: str("A=1\n")},
		{args: []string{"env", "-u", "HOME", "-u", "PATH"}, want: str(""), noBB: true},
		{name: "missing command", args: []string{"env", "-i", "no-such-command-x"}, want: str(""), status: 127},
	})
	out, _, _ := runOurs(t, t.TempDir(), []string{"env", "-u", "HOME"}, "")
	if out != "PATH=/usr/bin:/bin\n" {
		t.Fatalf("env -u HOME: %q", out)
	}
}

const sortInput = "b 2\na 10\nc 1\nB 3\na 2\n  d 4\n10\n9\n-1\n1e2\n0x10\nabc\n\nb 2\n"

func TestSort(t *testing.T) {
	var cases []tc
	for _, args := range [][]string{
		{}, {"-r"}, {"-n"}, {"-nr"}, {"-u"}, {"-f"}, {"-fu"}, {"-b"}, {"-k2"}, {"-k2n"}, {"-k2,2n"}, {"-k2,2nr"},
		{"-r", "-k2n"}, {"-k1,1", "-k2n"}, {"-t", " ", "-k2"}, {"-t", " ", "-k2,2n", "-k1r"}, {"-s", "-k1,1"}, {"-su"}, {"-k1.2"}, {"-k1.2,1.3"},
		{"-d"}, {"-i"}, {"-g"}, {"-M"}, {"-V"}, {"-n", "-u"}, {"-k", "2b"}, {"-k", "1,1b"}, {"-bk2"}, {"-t:", "-k3"},
	} {
		cases = append(cases, tc{args: append([]string{"sort"}, args...), stdin: sortInput})
	}
	cases = append(cases,
		tc{args: []string{"sort", "-t:", "-k3,3n"}, stdin: "root:x:0\nbin:x:1\nnobody:x:65534\nuser:x:1000\n", want: str("root:x:0\nbin:x:1\nuser:x:1000\nnobody:x:65534\n")},
		tc{args: []string{"sort", "-M"}, stdin: "Mar\njan\nDecember\nfoo\nFEB\n"},
		tc{args: []string{"sort", "-V"}, stdin: "a10\na2\na1.10\na1.9\na01\na001\n1.2.3\n1.10.1\n"},
		tc{args: []string{"sort", "-c"}, stdin: "a\nb\nb\n", want: str(""), status: 0},
		tc{args: []string{"sort", "-c"}, stdin: "b\na\n", want: str(""), status: 1},
		tc{args: []string{"sort", "-cu"}, stdin: "a\nb\nb\n", want: str(""), status: 1},
		tc{args: []string{"sort", "-o", "out", "in"}, files: map[string]string{"in": "b\na\n"}, want: str(""),
			after: func(t *testing.T, dir string) { wantFile(t, dir, "out", "a\nb\n") }},
		tc{args: []string{"sort", "a", "b"}, files: map[string]string{"a": "z\nx", "b": "y\n"}, want: str("x\ny\nz\n")},
		tc{args: []string{"sort", "-z"}, stdin: "b\x00a\x00"},
		tc{args: []string{"sort", "-t", "ab"}, stdin: "x\n", want: str(""), status: 2},
		tc{args: []string{"sort", "-k", "0"}, stdin: "x\n", want: str(""), status: 2},
		tc{args: []string{"sort", "-k", "1x"}, stdin: "x\n", want: str(""), status: 2},
		tc{args: []string{"sort", "-k", "1u"}, stdin: "x\n", want: str(""), status: 2},
		tc{args: []string{"sort", "missing"}, want: str(""), status: 2},
		tc{args: []string{"sort", "-n", "-g"}, stdin: "1\n2\n", want: str(""), status: 2},
		// GNU's -h, which busybox 1.35 lacks (it rejects -h).
		tc{args: []string{"sort", "-h"}, stdin: "1G\n10K\n2M\n1K\n3\n", want: str("3\n1K\n10K\n2M\n1G\n"), noBB: true},
	)
	runCases(t, cases)
}

func TestUniq(t *testing.T) {
	in := "a\na\nb\nA\na\nc c\nd c\nx  c\n\n\n"
	var cases []tc
	for _, args := range [][]string{{}, {"-c"}, {"-d"}, {"-u"}, {"-du"}, {"-i"}, {"-ic"}, {"-f", "1"}, {"-s", "1"}, {"-w", "1"}, {"-f1", "-c"}, {"-z"}} {
		cases = append(cases, tc{args: append([]string{"uniq"}, args...), stdin: in})
	}
	cases = append(cases,
		tc{args: []string{"uniq", "-c"}, stdin: "x\nx\ny\n", want: str("      2 x\n      1 y\n")},
		tc{args: []string{"uniq", "in", "out"}, files: map[string]string{"in": "a\na\n"}, want: str(""),
			after: func(t *testing.T, dir string) { wantFile(t, dir, "out", "a\n") }},
		tc{args: []string{"uniq", "missing"}, want: str(""), status: 1},
		tc{args: []string{"uniq", "a", "b", "c"}, want: str(""), status: 1},
		tc{args: []string{"uniq", "-f", "x"}, want: str(""), status: 1},
	)
	runCases(t, cases)
}

func TestCut(t *testing.T) {
	in := "a\tb\tc\td\none\nx:y:z\n\n1,2,3,4,5,6,7,8\n"
	var cases []tc
	for _, args := range [][]string{
		{"-f1"}, {"-f2"}, {"-f", "1,3"}, {"-f", "2-"}, {"-f", "-2"}, {"-f2", "-s"}, {"-d:", "-f2"}, {"-d:", "-f2", "-s"},
		{"-d,", "-f", "1,3-5,7-"}, {"-d,", "-f", "3,1"}, {"-d,", "-f", "3,1", "-D"}, {"-d,", "-f2-3", "-O", "+"},
		{"-c", "1-3"}, {"-b", "2,4"}, {"-c", "3-"}, {"-c", "-2,5"}, {"-c", "1,1,2"}, {"-F", "2"}, {"-d", ",", "-F", "1,3"},
	} {
		cases = append(cases, tc{args: append([]string{"cut"}, args...), stdin: in})
	}
	cases = append(cases,
		tc{args: []string{"cut", "-d", " ", "-f", "2"}, stdin: "Hello world\n", want: str("world\n")},
		tc{args: []string{"cut"}, stdin: "x\n", want: str(""), status: 1},
		tc{args: []string{"cut", "-c1", "-s"}, stdin: "x\n", want: str(""), status: 1},
		tc{args: []string{"cut", "-c1", "-d:"}, stdin: "x\n", want: str(""), status: 1},
		tc{args: []string{"cut", "-f", "3-2"}, stdin: "x\n", want: str("x\n")},
		tc{args: []string{"cut", "-f", "3-1"}, stdin: "x\n", want: str(""), status: 1},
		tc{args: []string{"cut", "-f", "a"}, stdin: "x\n", want: str(""), status: 1},
		tc{args: []string{"cut", "-f", ","}, stdin: "x\n", want: str(""), status: 1},
		tc{args: []string{"cut", "-b1", "-f1"}, stdin: "x\n", want: str(""), status: 1},
		tc{args: []string{"cut", "-c1", "missing", "-"}, stdin: "xy\n", want: str("x\n"), status: 1},
		tc{args: []string{"cut", "-d", "\n", "-f", "2,4"}, stdin: "l1\nl2\nl3\nl4\nl5\n"},
	)
	runCases(t, cases)
}
