package applets

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestStressOptions(t *testing.T) {
	// stress 1.0.4's own messages, with its source line numbers.
	cases := []struct {
		args   []string
		status int
		stdout string
		stderr string
	}{
		{[]string{}, 0, "`stress' imposes certain types of compute stress on your system", ""},
		{[]string{"-?"}, 0, "Usage: stress [OPTION [ARG]] ...", ""},
		{[]string{"--version"}, 0, "stress 1.0.4\n", ""},
		{[]string{"--cpu"}, 1, "", "stress: FAIL: [1] (160) missing argument to option '--cpu'\n"},
		{[]string{"--vm", "--vm-bytes"}, 1, "", "stress: FAIL: [1] (180) missing argument to option '--vm'\n"},
		{[]string{"--cpu", "0"}, 1, "", "stress: FAIL: [1] (164) invalid number of cpu hogs: 0\n"},
		{[]string{"--cpu", "-2"}, 1, "", "stress: FAIL: [1] (164) invalid number of cpu hogs: -2\n"},
		{[]string{"--vm-bytes", "10X"}, 1, "", "stress: FAIL: [1] (647) unrecognized suffix: X\n"},
		{[]string{"--vm-bytes", "M"}, 1, "", "stress: FAIL: [1] (654) invalid number: M\n"},
		{[]string{"--timeout", "5x"}, 1, "", "stress: FAIL: [1] (705) unrecognized suffix: x\n"},
		{[]string{"--timeout", "0"}, 1, "", "stress: FAIL: [1] (154) invalid timeout value: 0s\n"},
		{[]string{"--vm-hang", "-1"}, 1, "", "stress: FAIL: [1] (214) invalid value: -1\n"},
		{[]string{"--backoff", "-1"}, 1, "", "stress: FAIL: [1] (143) invalid backoff factor: -1\n"},
		{[]string{"--frobnicate"}, 1, "", "stress: FAIL: [1] (244) unrecognized option: --frobnicate\n"},
		{[]string{"-q", "--cpu", "0"}, 1, "", "stress: FAIL: [1] (164) invalid number of cpu hogs: 0\n"},
		{[]string{"--dry-run", "--cpu", "2", "--vm", "1", "--hdd", "1", "-i", "1"}, 0,
			"stress: info: [1] dispatching hogs: 2 cpu, 1 io, 1 vm, 1 hdd\nstress: info: [1] successful run completed in 0s\n", ""},
		{[]string{"-n", "-q", "--cpu", "1"}, 0, "", ""},
	}
	for _, c := range cases {
		out, errOut, status := runOurs(t, t.TempDir(), append([]string{"stress"}, c.args...), "")
		if status != c.status || !strings.Contains(out, c.stdout) || errOut != c.stderr {
			t.Errorf("stress %v: status %d, stdout %q, stderr %q; want %d, %q, %q", c.args, status, out, errOut, c.status, c.stdout, c.stderr)
		}
	}
	for in, want := range map[string]int64{"150M": 150 << 20, "1G": 1 << 30, "4k": 4096, "10b": 10, "0x10": 16, "010": 8, "7": 7} {
		s := &stressRun{}
		if got := s.atollB(in); got != want {
			t.Errorf("atollB(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]int64{"10": 10, "10s": 10, "2m": 120, "1h": 3600, "1d": 86400, "1y": 86400 * 365} {
		s := &stressRun{}
		if got := s.atollS(in); got != want {
			t.Errorf("atollS(%q) = %d, want %d", in, got, want)
		}
	}
}

// The memory-limit page's arguments with a timeout: a vm worker allocates and
// touches its bytes, frees them after --vm-hang and starts over.
func TestStressRun(t *testing.T) {
	start := time.Now()
	out, errOut, status := runOurs(t, t.TempDir(), []string{"stress", "--vm", "1", "--vm-bytes", "8M", "--vm-hang", "1", "--cpu", "1", "--io", "1", "--hdd", "1", "--hdd-bytes", "2M", "--timeout", "2s", "-v"}, "")
	if status != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	if d := time.Since(start); d < 1500*time.Millisecond || d > 10*time.Second {
		t.Errorf("took %v, want about 2s", d)
	}
	for _, want := range []string{
		"stress: info: [1] dispatching hogs: 1 cpu, 1 io, 1 vm, 1 hdd\n",
		"stress: dbug: [1] --> hogvm worker 1 [4] forked\n",
		"stress: dbug: [4] allocating 8388608 bytes ...\n",
		"stress: dbug: [4] touching bytes in strides of 4096 bytes ...\n",
		"stress: dbug: [4] sleeping for 1s with allocated memory\n",
		"stress: dbug: [4] freed 8388608 bytes\n",
		"stress: dbug: [1] <-- worker 4 signalled normally\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`stress: info: \[1\] successful run completed in [23]s\n$`).MatchString(out) {
		t.Errorf("last line of:\n%s", out)
	}
}

func TestStressHangForever(t *testing.T) {
	// --vm-hang 0 holds the memory until the timeout's alarm.
	out, _, status := runOurs(t, t.TempDir(), []string{"stress", "--vm", "2", "--vm-bytes", "1M", "--vm-hang", "0", "-t", "1", "-v"}, "")
	if status != 0 || !strings.Contains(out, "sleeping forever with allocated memory") || !strings.Contains(out, "successful run completed") {
		t.Fatalf("status %d:\n%s", status, out)
	}
}

func TestStressFailedWorker(t *testing.T) {
	// An hdd worker that cannot create its file returns 1: stress reaps the
	// others and fails, as stress does.
	var out, errb bytes.Buffer
	e := &Env{Args: []string{"stress", "--hdd", "1", "--cpu", "1", "-t", "5"}, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Dir: "/nonexistent-dir"}
	a, _ := Lookup("stress")
	status := Call(a, e)
	if status != 1 {
		t.Fatalf("status %d, stderr %q", status, errb.String())
	}
	for _, want := range []string{"stress: FAIL: [3] (563) mkstemp failed: ", "stress: FAIL: [1] (394) <-- worker 3 returned error 1\n",
		"stress: WARN: [1] (396) now reaping child worker processes\n", "stress: FAIL: [1] (451) failed run completed in "} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("missing %q in %q", want, errb.String())
		}
	}
}

func TestVishStress(t *testing.T) {
	if !vishStressArgs([]string{"-cpus", "2"}) || vishStressArgs([]string{"--cpu", "2"}) || vishStressArgs([]string{"-c", "2", "-v"}) {
		t.Fatal("vish/stress's flags told wrongly from stress's")
	}
	for q, want := range map[string]int64{"150Mi": 150 << 20, "4Ki": 4096, "1G": 1e9, "0": 0, "100": 100} {
		if got, ok := parseQuantity(q); !ok || got != want {
			t.Errorf("parseQuantity(%q) = %d, %v", q, got, ok)
		}
	}
	_, errOut, status := runOurs(t, t.TempDir(), []string{"stress", "-mem-total", "lots"}, "")
	if status != 2 || !strings.Contains(errOut, "cannot parse 'lots'") {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
}
