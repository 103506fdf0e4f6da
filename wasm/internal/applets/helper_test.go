package applets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tc is one run of an applet. With busybox on PATH the same argv runs as
// "busybox ARGV..." in an identical directory, and stdout and the exit status
// must be the same; want/status, when given, are checked as well.
type tc struct {
	name   string
	args   []string          // args[0] is the applet
	stdin  string            // standard input
	files  map[string]string // created in the working directory first
	want   *string           // expected stdout, if set
	status int               // expected status, checked when want is set or checkStatus
	check  bool              // check status even without want
	noBB   bool              // do not compare with busybox (a documented difference)
	after  func(t *testing.T, dir string)
}

func str(s string) *string { return &s }

var bbCompared, bbSkipped atomic.Int64

func TestMain(m *testing.M) {
	code := m.Run()
	if _, err := exec.LookPath("busybox"); err == nil {
		fmt.Printf("busybox comparisons: %d identical, %d not compared (documented differences)\n", bbCompared.Load(), bbSkipped.Load())
	} else {
		fmt.Println("busybox not on PATH: comparisons skipped")
	}
	os.Exit(code)
}

func setupDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(n, "/") {
			continue
		}
		if err := os.WriteFile(p, []byte(files[n]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runOurs runs the applet in-process.
func runOurs(t *testing.T, dir string, args []string, stdin string) (string, string, int) {
	t.Helper()
	a, ok := Lookup(args[0])
	if !ok {
		t.Fatalf("no applet %q", args[0])
	}
	var out, errb bytes.Buffer
	e := &Env{Args: append([]string(nil), args...), Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Dir: dir,
		Vars: []string{"PATH=/usr/bin:/bin", "HOME=/root"}}
	status := Call(a, e)
	return out.String(), errb.String(), status
}

// runBusybox runs busybox with the same argv; ok is false without busybox.
func runBusybox(t *testing.T, dir string, args []string, stdin string) (string, string, int, bool) {
	t.Helper()
	bb, err := exec.LookPath("busybox")
	if err != nil {
		return "", "", 0, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bb, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/root", "LC_ALL=C"}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	status := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		status = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("busybox: %v", err)
	}
	return out.String(), errb.String(), status, true
}

func runCases(t *testing.T, cases []tc) {
	t.Helper()
	for _, c := range cases {
		name := c.name
		if name == "" {
			name = strings.Join(c.args, " ")
		}
		t.Run(name, func(t *testing.T) {
			dir := setupDir(t, c.files)
			out, errOut, status := runOurs(t, dir, c.args, c.stdin)
			if c.want != nil && out != *c.want {
				t.Errorf("stdout = %q, want %q (stderr %q)", out, *c.want, errOut)
			}
			if (c.want != nil || c.check) && status != c.status {
				t.Errorf("status = %d, want %d (stderr %q)", status, c.status, errOut)
			}
			if c.after != nil {
				c.after(t, dir)
			}
			if c.noBB {
				bbSkipped.Add(1)
				return
			}
			bbDir := setupDir(t, c.files)
			bout, berr, bstatus, ok := runBusybox(t, bbDir, c.args, c.stdin)
			if !ok {
				return
			}
			if out != bout || status != bstatus {
				t.Errorf("differs from busybox:\n ours:    %q status %d (stderr %q)\n busybox: %q status %d (stderr %q)", out, status, errOut, bout, bstatus, berr)
				return
			}
			bbCompared.Add(1)
		})
	}
}

func wantFile(t *testing.T, dir, name, want string) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}
