//go:build wasip1

package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"

	"podplay.dev/wasm/guest"
	"podplay.dev/wasm/internal/applets"
	"podplay.dev/wasm/internal/wasix"
)

var catchSigpipe sync.Once

// unwrap takes off the wrappers around a stream (the applets' SIGPIPE
// writer, the interpreter's stdin reader) to reach what is underneath.
func unwrap(stream any) any {
	for {
		switch u := stream.(type) {
		case interface{ Unwrap() io.Writer }:
			stream = u.Unwrap()
		case interface{ Unwrap() io.Reader }:
			stream = u.Unwrap()
		default:
			return stream
		}
	}
}

// fdOf gives the fd a child can take for stream: -1 for this process's own
// stdio (the child inherits it), a file's fd, or ok=false when the stream is
// in-process (a pipe to an applet, a $(…) buffer) and needs a host pipe.
func fdOf(stream any, own *os.File) (fd int, ok bool) {
	stream = unwrap(stream)
	f, isFile := stream.(*os.File)
	if !isFile || f == nil {
		return 0, false
	}
	if f == own {
		return -1, true
	}
	return int(f.Fd()), true
}

// spawn starts cmd as a child process with e's streams and waits for it,
// without stalling this program's other goroutines (pipeline stages,
// background jobs): in-process streams are carried over host pipes read and
// written through Go's netpoller.
func spawn(ctx context.Context, e *applets.Env, cmd *command, pid int, childEnv map[string]string) int {
	catchSigpipe.Do(func() {
		// Without a handler the host ends a program that writes to a pipe
		// whose reader has gone; with one the write fails with EPIPE, which
		// the copy into a child's stdin needs (cat big | child-that-quits).
		wasix.Notify(make(chan syscall.Signal, 8))
	})
	env := append([]string(nil), e.Vars...)
	for k, v := range childEnv {
		env = append(env, k+"="+v)
	}
	attr := wasix.Attr{Path: cmd.path, Argv: cmd.argv, Env: env, Dir: e.Dir}
	var (
		parentEnds []int // the child's ends of our pipes: closed here once it has them
		pumps      sync.WaitGroup
		started    = make(chan struct{})
		failed     error
	)
	closeAll := func() {
		for _, fd := range parentEnds {
			syscall.Close(fd)
		}
	}
	// stdin
	if e.Stdin == nil {
		attr.Stdin = -1 // the process's own (closed, or the container's)
	} else if fd, ok := fdOf(e.Stdin, os.Stdin); ok {
		attr.Stdin = fd
	} else {
		r, w, err := wasix.Pipe()
		if err != nil {
			fmt.Fprintf(e.Stderr, "sh: pipe: %v\n", err)
			return 2
		}
		attr.Stdin, parentEnds = r, append(parentEnds, r)
		wf, err := wasix.NewFile(w, "stdin")
		if err != nil {
			syscall.Close(w)
		} else {
			src := e.Stdin
			go func() {
				<-started
				if failed == nil {
					_, err := io.Copy(wf, src)
					// The child closed its stdin (it ended, or stopped reading): the writer
					// before it in the pipeline gets EPIPE, as it would on Linux.
					if err != nil {
						if pr, ok := unwrap(src).(*io.PipeReader); ok {
							pr.CloseWithError(io.ErrClosedPipe)
						}
					}
				}
				wf.Close()
			}()
		}
	}
	// stdout and stderr
	out := func(stream io.Writer, own *os.File, target *int, name string) bool {
		if fd, ok := fdOf(stream, own); ok {
			*target = fd
			return true
		}
		r, w, err := wasix.Pipe()
		if err != nil {
			fmt.Fprintf(e.Stderr, "sh: pipe: %v\n", err)
			return false
		}
		*target, parentEnds = w, append(parentEnds, w)
		rf, err := wasix.NewFile(r, name)
		if err != nil {
			syscall.Close(r)
			return true
		}
		pumps.Add(1)
		go func() {
			defer pumps.Done()
			defer rf.Close()
			<-started
			if failed != nil {
				return
			}
			// A reader that has gone (… | head -1) ends the copy: closing our end
			// gives the child EPIPE on its next write.
			io.Copy(stream, rf)
		}()
		return true
	}
	if !out(e.Stdout, os.Stdout, &attr.Stdout, "stdout") || !out(e.Stderr, os.Stderr, &attr.Stderr, "stderr") {
		closeAll()
		close(started)
		if pid > 0 {
			guest.Exited(pid)
		}
		return 2
	}
	child, err := wasix.Spawn(attr)
	closeAll()
	failed = err
	close(started)
	if err != nil {
		pumps.Wait()
		if pid > 0 {
			guest.Exited(pid)
		}
		return spawnFailed(e, err)
	}
	if pid > 0 {
		guest.Forked(pid, child)
	}
	st, err := wasix.Wait(child)
	pumps.Wait()
	if pid > 0 {
		// podplay's own kill (the container's memory limit) reads as what it is: SIGKILL.
		if sig, _ := guest.Exited(pid); sig > 0 {
			fmt.Fprintln(e.Stderr, "Killed")
			return 128 + sig
		}
	}
	if err != nil {
		fmt.Fprintf(e.Stderr, "sh: wait: %v\n", err)
		return 2
	}
	return st.ExitCode()
}

// spawnFailed reports a child that could not start, in sh's words.
func spawnFailed(e *applets.Env, err error) int {
	name := e.Args[0]
	switch {
	case errors.Is(err, syscall.ENOENT):
		fmt.Fprintf(e.Stderr, "sh: %s: not found\n", name)
		return 127
	case errors.Is(err, syscall.EACCES):
		fmt.Fprintf(e.Stderr, "sh: %s: Permission denied\n", name)
		return 126
	case errors.Is(err, syscall.ENOEXEC):
		fmt.Fprintf(e.Stderr, "sh: %s: Exec format error\n", name)
		return 126
	case errors.Is(err, syscall.EAGAIN):
		fmt.Fprintln(e.Stderr, "sh: fork: Resource temporarily unavailable")
		return 2
	}
	fmt.Fprintf(e.Stderr, "sh: %s: %s\n", name, errText(err))
	return 126
}

// replaceProcess is sh's exec of a program: this process becomes it (WASIX
// proc_exec4), keeping its pid, its streams and its place as the container's
// PID 1. It declines when the streams are not this process's own (the
// program is then run as a child, and sh exits with it); it returns only
// when it declined or the exec failed (status: sh's error's).
func replaceProcess(e *applets.Env, cmd *command) (status int, declined bool) {
	for _, s := range []struct {
		stream any
		own    *os.File
	}{{e.Stdin, os.Stdin}, {e.Stdout, os.Stdout}, {e.Stderr, os.Stderr}} {
		if s.stream == nil {
			continue // nothing to hand over: the process's own stream stays
		}
		if fd, isFile := fdOf(s.stream, s.own); !isFile || fd != -1 {
			return 0, true
		}
	}
	guest.Execing(cmd.path, cmd.argv)
	err := wasix.Exec(cmd.path, cmd.argv, e.Vars)
	return spawnFailed(e, err), false
}
