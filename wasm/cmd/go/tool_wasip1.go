//go:build wasip1

package main

import (
	"io"
	"os"
	"sync"
	"syscall"

	"podplay.dev/wasm/internal/wasix"
)

var (
	childMu    sync.Mutex
	children   = map[int]bool{}
	notifyOnce sync.Once
)

// stopChildrenOnSignal: a go command stopped by SIGINT or SIGTERM kills the
// compile or link it runs (the host does not end a killed program's children).
func stopChildrenOnSignal() {
	notifyOnce.Do(func() {
		c := make(chan syscall.Signal, 1)
		if wasix.Notify(c) != nil {
			return
		}
		go func() {
			sig := <-c
			childMu.Lock()
			for pid := range children {
				wasix.Signal(pid, syscall.SIGKILL)
			}
			childMu.Unlock()
			os.Exit(128 + int(sig))
		}()
	})
}

// runProgram runs a toolchain program as a child process (WASIX
// proc_spawn) and returns its stdout and stderr together and its exit code.
func runProgram(args []string, dir string, env []string) ([]byte, int, error) {
	stopChildrenOnSignal()
	r, w, err := wasix.Pipe()
	if err != nil {
		return nil, 0, err
	}
	rf, err := wasix.NewFile(r, "tool-output")
	if err != nil {
		syscall.Close(r)
		syscall.Close(w)
		return nil, 0, err
	}
	defer rf.Close()
	childMu.Lock()
	pid, err := wasix.Spawn(wasix.Attr{Path: args[0], Argv: args, Env: env, Dir: dir, Stdin: -1, Stdout: w, Stderr: w})
	if err == nil {
		children[pid] = true
	}
	childMu.Unlock()
	syscall.Close(w)
	if err != nil {
		return nil, 0, err
	}
	out, _ := io.ReadAll(rf)
	st, err := wasix.Wait(pid)
	childMu.Lock()
	delete(children, pid)
	childMu.Unlock()
	if err != nil {
		return out, 0, err
	}
	return out, st.ExitCode(), nil
}

// execProgram runs the program go run built, as a child with this
// program's stdin, stdout and stderr, and reports a failure as go run does
// ("exit status 3", then exit status 1). SIGINT or SIGTERM to go ends it.
func execProgram(exe string, argv []string) int {
	stopChildrenOnSignal()
	childMu.Lock()
	pid, err := wasix.Spawn(wasix.Attr{Path: exe, Argv: argv, Stdin: -1, Stdout: -1, Stderr: -1})
	if err == nil {
		children[pid] = true
	}
	childMu.Unlock()
	if err != nil {
		os.Stderr.WriteString("go: " + err.Error() + "\n")
		return 1
	}
	st, err := wasix.Wait(pid)
	childMu.Lock()
	delete(children, pid)
	childMu.Unlock()
	if err != nil {
		os.Stderr.WriteString("go: " + err.Error() + "\n")
		return 1
	}
	if st.ExitCode() != 0 {
		os.Stderr.WriteString(st.String() + "\n")
		return 1
	}
	return 0
}
