package shell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"

	"podplay.dev/wasm/guest"
	"podplay.dev/wasm/internal/applets"
)

// How sh runs a simple command, as execve(2) and busybox's ash would:
//
//   - a toolbox applet (by name, or by a path that leads to the toolbox, like
//     /bin/ls) runs inside this process, as busybox runs its own applets;
//   - any other executable file is started as a child process (WASIX
//     proc_spawn3): a wasm module directly, a "#!" script through its
//     interpreter (a toolbox sh runs it in this process), a text file
//     without "#!" as a sh script (POSIX), a binary that is not wasm fails
//     with "Exec format error" (126);
//   - what is not found exits 127, what is not executable 126.
//
// Every command counts as a process of the container (podplay's process
// table: ps, docker top and the pids limit see it).

// maxInterpreters is how many "#!" levels may chain, as in Linux.
const maxInterpreters = 4

// command is what a command name leads to.
type command struct {
	applet *applets.Applet // run in this process
	path   string          // a program to spawn (applet == nil)
	argv   []string
}

// execError is a failure to start a command, reported as sh reports it.
type execError struct {
	msg    string
	status int
}

func (e *execError) Error() string { return e.msg }

// isToolbox reports whether p leads to the toolbox itself (symlinks followed).
func isToolbox(p string) bool {
	real, err := guest.Realpath(p)
	return err == nil && path.Base(real) == "toolbox"
}

// resolve finds what args[0] names, following "#!" lines.
func resolve(e *applets.Env, args []string) (*command, error) {
	for depth := 0; depth <= maxInterpreters; depth++ {
		name := args[0]
		var p string
		if !strings.Contains(name, "/") {
			found, ok := applets.LookPath(e, name)
			if !ok {
				if a, ok := applets.Lookup(name); ok {
					return &command{applet: a, argv: args}, nil
				}
				return nil, &execError{fmt.Sprintf("sh: %s: not found", name), 127}
			}
			p = found
		} else {
			p = e.Path(name)
			info, err := guest.Stat(p)
			switch {
			case err != nil:
				return nil, &execError{fmt.Sprintf("sh: %s: not found", name), 127}
			case info.IsDir(), info.Mode()&0o111 == 0:
				return nil, &execError{fmt.Sprintf("sh: %s: Permission denied", name), 126}
			}
		}
		if isToolbox(p) {
			base := path.Base(name)
			a, ok := applets.Lookup(base)
			if !ok {
				return nil, &execError{fmt.Sprintf("%s: applet not found", base), 127}
			}
			return &command{applet: a, argv: append([]string{base}, args[1:]...)}, nil
		}
		head, err := readHead(p)
		if err != nil {
			return nil, &execError{fmt.Sprintf("sh: %s: %s", name, errText(err)), 126}
		}
		switch {
		case bytes.HasPrefix(head, []byte("\x00asm")):
			return &command{path: p, argv: args}, nil
		case bytes.HasPrefix(head, []byte("#!")):
			line, _, _ := bytes.Cut(head[2:], []byte("\n"))
			fields := strings.Fields(string(line))
			if len(fields) == 0 {
				return nil, &execError{fmt.Sprintf("sh: %s: Exec format error", name), 126}
			}
			interpreter := fields[0]
			if _, err := guest.Stat(interpreter); err != nil {
				return nil, &execError{fmt.Sprintf("sh: %s: %s: bad interpreter: No such file or directory", name, interpreter), 127}
			}
			next := []string{interpreter}
			if len(fields) > 1 {
				// Linux passes everything after the interpreter as one argument.
				next = append(next, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(line)), interpreter)))
			}
			args = append(append(next, name), args[1:]...)
			continue
		case bytes.IndexByte(head, 0) >= 0 || bytes.HasPrefix(head, []byte("\x7fELF")):
			return nil, &execError{fmt.Sprintf("sh: %s: Exec format error", name), 126}
		default:
			// POSIX: a file execve refuses with ENOEXEC is run as a script by sh.
			sh, _ := applets.Lookup("sh")
			return &command{applet: sh, argv: append([]string{"sh", name}, args[1:]...)}, nil
		}
	}
	return nil, &execError{fmt.Sprintf("sh: %s: too many levels of interpreters", args[0]), 126}
}

func readHead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 256)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return buf[:n], nil
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// envOf gives the exported variables of the handler's environment.
func envOf(hc interp.HandlerContext) []string {
	var vars []string
	hc.Env.Each(func(name string, vr expand.Variable) bool {
		if vr.Exported && vr.IsSet() {
			vars = append(vars, name+"="+vr.String())
		}
		return true
	})
	return vars
}

// execCommand is sh's exec handler: it runs one simple command. Only the
// process's own shell (outermost) replaces the process on exec.
func execCommand(outermost bool) interp.ExecHandlerFunc {
	return func(ctx context.Context, args []string) error { return execOne(ctx, args, outermost) }
}

func execOne(ctx context.Context, args []string, outermost bool) error {
	hc := interp.HandlerCtx(ctx)
	e := &applets.Env{Args: args, Stdout: hc.Stdout, Stderr: hc.Stderr, Dir: hc.Dir, Vars: envOf(hc)}
	// A nil stdin stays nil until an applet needs a reader: a child or an exec keeps the process's own.
	if hc.Stdin != nil {
		e.Stdin = hc.Stdin
	}
	replace := execNext(args) && outermost
	return exit(runCommand(ctx, e, replace))
}

// runCommand starts the command e.Args names and waits for it; replace is set for
// sh's exec builtin (the process becomes the program).
func runCommand(ctx context.Context, e *applets.Env, replace bool) int {
	cmd, err := resolve(e, e.Args)
	if err != nil {
		var ee *execError
		if errors.As(err, &ee) {
			fmt.Fprintln(e.Stderr, ee.msg)
			return ee.status
		}
		fmt.Fprintf(e.Stderr, "sh: %s: %v\n", e.Args[0], err)
		return 126
	}
	// exec: the process becomes the program (no new process); it declines
	// when the streams are not the process's own, and the program runs as a child.
	if replace && cmd.applet == nil {
		if status, declined := replaceProcess(e, cmd); !declined {
			return status
		}
	}
	pid, childEnv, err := guest.Fork(cmd.argv)
	if errors.Is(err, syscall.EAGAIN) {
		fmt.Fprintln(e.Stderr, "sh: fork: Resource temporarily unavailable")
		return 2
	}
	if cmd.applet != nil {
		if err == nil {
			defer guest.Exited(pid)
		}
		sub := *e
		sub.Args = cmd.argv
		if sub.Stdin == nil {
			sub.Stdin = strings.NewReader("")
		}
		return applets.Call(cmd.applet, &sub)
	}
	return spawn(ctx, e, cmd, pid, childEnv)
}

// runExec is applets.Exec: env, xargs and find -exec start commands through it.
func runExec(e *applets.Env) (int, error) {
	if e.Stdin == nil {
		e.Stdin = strings.NewReader("")
	}
	cmd, err := resolve(e, e.Args)
	if err != nil {
		var ee *execError
		if errors.As(err, &ee) {
			if ee.status == 127 {
				return 127, applets.ErrNotFound
			}
			return ee.status, applets.ErrNotExecutable
		}
		return 126, err
	}
	pid, childEnv, err := guest.Fork(cmd.argv)
	if errors.Is(err, syscall.EAGAIN) {
		return 126, errors.New("Resource temporarily unavailable")
	}
	if cmd.applet != nil {
		if err == nil {
			defer guest.Exited(pid)
		}
		sub := *e
		sub.Args = cmd.argv
		return applets.Call(cmd.applet, &sub), nil
	}
	return spawn(context.Background(), e, cmd, pid, childEnv), nil
}
