package applets

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func init() {
	// A command with a chosen exit status, for xargs' status rules (test only).
	Register(&Applet{Name: "exit-with", Run: func(e *Env) int { n, _ := strconv.Atoi(e.Args[1]); return n }})
}

func TestXargs(t *testing.T) {
	runCases(t, []tc{
		{args: []string{"xargs"}, stdin: "a b\nc\n", want: str("a b c\n")},
		{args: []string{"xargs", "echo", "x"}, stdin: "a b\nc\n", want: str("x a b c\n")},
		{args: []string{"xargs", "-n1", "echo"}, stdin: "'a b' c\\ d \"e f\"\n", want: str("a b\nc d\ne f\n")},
		{args: []string{"xargs", "-n", "2"}, stdin: "1 2 3 4 5\n", want: str("1 2\n3 4\n5\n")},
		{args: []string{"xargs", "-I", "{}", "echo", "x{}y{}"}, stdin: "a\n  b c\n\n", want: str("xaya\nxb cyb c\n")},
		{args: []string{"xargs", "-i", "echo", "[{}]"}, stdin: "a\n"},
		{args: []string{"xargs", "-0", "echo"}, stdin: "a b\x00c\x00", want: str("a b c\n")},
		{args: []string{"xargs", "-0", "-n1"}, stdin: "a\nb\x00c", want: str("a\nb\nc\n")},
		{args: []string{"xargs"}, stdin: "", want: str("\n")},
		{args: []string{"xargs", "-r"}, stdin: "", want: str("")},
		{args: []string{"xargs", "-r"}, stdin: "  \n", want: str("")},
		{args: []string{"xargs", "-s", "8", "echo"}, stdin: "a b c d e\n"},
		{args: []string{"xargs", "-E", "b", "echo"}, stdin: "a b c\n", want: str("a\n")},
		{args: []string{"xargs", "-e_", "echo"}, stdin: "a _ b\n", want: str("a\n")},
		{args: []string{"xargs", "-e", "echo"}, stdin: "a _ b\n", want: str("a _ b\n")},
		{args: []string{"xargs", "-t", "-n2", "echo"}, stdin: "a b c\n", want: str("a b\nc\n")},
		{args: []string{"xargs", "-a", "list", "echo"}, files: map[string]string{"list": "x\ny\n"}, want: str("x y\n")},
		// busybox runs -P commands in parallel (their output order varies); here one after another.
		{args: []string{"xargs", "-P", "4", "-n1"}, stdin: "a b\n", want: str("a\nb\n"), noBB: true},
		{args: []string{"xargs", "-x", "echo"}, stdin: "a\n"},
		{args: []string{"xargs", "false"}, stdin: "a\n", want: str(""), status: 123},
		{args: []string{"xargs", "-n1", "false"}, stdin: "a b\n", want: str(""), status: 123},
		{args: []string{"xargs", "true"}, stdin: "a\n", want: str(""), status: 0},
		{args: []string{"xargs", "no-such-command-x"}, stdin: "a\n", want: str(""), status: 127},
		{args: []string{"xargs", "echo"}, stdin: "a 'b\n", want: str(""), status: 1},
		{args: []string{"xargs", "-s", "3", "echo"}, stdin: "a\n", want: str(""), status: 1},
		{args: []string{"xargs", "-n", "x"}, stdin: "a\n", want: str(""), status: 1},
		{args: []string{"xargs", "-n1", "exit-with", "255"}, stdin: "a b\n", want: str(""), status: 124, noBB: true},
		{args: []string{"xargs", "-n1", "exit-with", "5"}, stdin: "a b\n", want: str(""), status: 123, noBB: true},
		// GNU's -d, which busybox 1.35 lacks.
		{args: []string{"xargs", "-d", ",", "-n1"}, stdin: "a b,c'd,e", want: str("a b\nc'd\ne\n"), noBB: true},
		{args: []string{"xargs", "-d", `\n`}, stdin: "a b\nc\n", want: str("a b c\n"), noBB: true},
	})
}

func TestID(t *testing.T) {
	etc := t.TempDir()
	os.WriteFile(filepath.Join(etc, "passwd"), []byte("root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n"), 0o644)
	os.WriteFile(filepath.Join(etc, "group"), []byte("root:x:0:\ndaemon:x:1:\nwheel:x:10:root\nnogroup:x:65534:\n"), 0o644)
	old := etcDir
	etcDir = etc
	defer func() { etcDir = old }()
	// The busybox image's /etc: root is in wheel too.
	runCases(t, []tc{
		{args: []string{"id"}, want: str("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"), noBB: true},
		{args: []string{"id", "-u"}, want: str("0\n"), noBB: true},
		{args: []string{"id", "-un"}, want: str("root\n"), noBB: true},
		{args: []string{"id", "-g"}, want: str("0\n"), noBB: true},
		{args: []string{"id", "-gn"}, want: str("root\n"), noBB: true},
		{args: []string{"id", "-G"}, want: str("0 10\n"), noBB: true},
		{args: []string{"id", "-Gn"}, want: str("root wheel\n"), noBB: true},
		{args: []string{"id", "-ru"}, want: str("0\n"), noBB: true},
		{args: []string{"id", "nobody"}, want: str("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n"), noBB: true},
		{args: []string{"id", "nosuch"}, want: str(""), status: 1, noBB: true},
		{args: []string{"id", "-n"}, want: str(""), status: 1, noBB: true},
		{args: []string{"id", "-ug"}, want: str(""), status: 1, noBB: true},
		{args: []string{"whoami"}, want: str("root\n"), noBB: true},
		{args: []string{"whoami", "x"}, want: str(""), status: 1, noBB: true},
	})
}

// TestIDHost compares with busybox on this machine's /etc, when running as root.
func TestIDHost(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("busybox's id answers for the user running it; these applets are always root")
	}
	var cases []tc
	// Without USER, busybox lists the supplementary groups of the process
	// running it (getgroups), which a container runtime sets from /etc/group
	// and this test's process may not have: those cases are left out.
	for _, args := range [][]string{{"-u"}, {"-un"}, {"-g"}, {"-gn"}, {"-n"}, {"-r"}, {"-ug"}, {"root"}, {"daemon"}, {"nosuch"}, {"root", "daemon"}} {
		cases = append(cases, tc{args: append([]string{"id"}, args...)})
	}
	cases = append(cases, tc{args: []string{"whoami"}}, tc{args: []string{"whoami", "x"}})
	runCases(t, cases)
}
