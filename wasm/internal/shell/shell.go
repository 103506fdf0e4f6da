// Package shell is the toolbox's sh: mvdan.cc/sh's interpreter, running the
// toolbox's applets in this process and every other program of the container
// as a child process (see exec.go).
package shell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync/atomic"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"

	"podplay.dev/wasm/internal/applets"
)

// Applet is sh as a toolbox applet.
var Applet = &applets.Applet{
	Name:  "sh",
	Usage: "[-eux] [-c 'COMMANDS' [NAME [ARG]...] | FILE [ARG]...]",
	Help: "A POSIX shell (mvdan.cc/sh). Applets run inside this process, other programs as child processes.\n" +
		"Without -c or FILE, reads commands from stdin; on a terminal (TERM set, as\n" +
		"docker run -t and kubectl exec -t give it) it prompts with $PS1 (default '\\w \\$ ').",
	Run: Main,
}

// Aliases are the other names the shell answers to: ash (busybox's), and
// bash, which Debian and Ubuntu images have (manifests say bash -c).
var Aliases = []*applets.Applet{
	{Name: "ash", Usage: Applet.Usage, Help: Applet.Help, Run: Main},
	{Name: "bash", Usage: Applet.Usage, Help: "A shell with bash's grammar (mvdan.cc/sh): the toolbox's sh under the name Debian and Ubuntu images use.\n" + Applet.Help, Run: Main},
}

// Main runs sh with the applet's environment and returns its exit status.
func Main(e *applets.Env) int {
	args := e.Args[1:]
	var opts []string
	command, hasCommand := "", false
	for len(args) > 0 && len(args[0]) > 1 && (args[0][0] == '-' || args[0][0] == '+') && args[0] != "--" {
		flag := args[0]
		args = args[1:]
		for _, c := range flag[1:] {
			switch c {
			case 'c':
				if len(args) == 0 {
					fmt.Fprintln(e.Stderr, "sh: -c requires an argument")
					return 2
				}
				command, hasCommand, args = args[0], true, args[1:]
			case 'e', 'u', 'x', 'f', 'n':
				opts = append(opts, string(flag[0])+string(c))
			case 's', 'i', 'l':
			default:
				fmt.Fprintf(e.Stderr, "sh: invalid option -- '%c'\n", c)
				return 2
			}
		}
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	name := "sh"
	var src io.Reader = e.Stdin
	interactive := true
	switch {
	case hasCommand:
		src, interactive = strings.NewReader(command), false
		if len(args) > 0 {
			name, args = args[0], args[1:]
		}
	case len(args) > 0:
		data, err := os.ReadFile(e.Path(args[0]))
		if err != nil {
			fmt.Fprintf(e.Stderr, "sh: can't open '%s': %s\n", args[0], strings.TrimPrefix(err.Error(), "open "+e.Path(args[0])+": "))
			return 2
		}
		src, interactive, name, args = bytes.NewReader(data), false, args[0], args[1:]
	}
	return run(e, name, src, interactive, append(append(opts, "--"), args...))
}

func run(e *applets.Env, name string, src io.Reader, interactive bool, params []string) int {
	// The process's own shell may exec (replace the process); a shell run
	// inside it (a script, sh -c) stands for a child process, whose exec
	// starts the program as a child and ends that shell with it.
	outermost := processShell.CompareAndSwap(false, true)
	r, err := interp.New(
		interp.StdIO(e.Stdin, e.Stdout, e.Stderr),
		interp.Env(expand.ListEnviron(e.Vars...)),
		interp.Dir(e.Dir),
		interp.Params(params...),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc { return execCommand(outermost) }),
		interp.CallHandler(markExec),
		interp.StatHandler(statFile),
		interp.AccessHandler(access),
	)
	if err != nil {
		fmt.Fprintf(e.Stderr, "sh: %v\n", err)
		return 2
	}
	ctx := context.Background()
	// Bash's grammar, as busybox's ash accepts much of it ([[ ]], local, source);
	// mvdan.cc/sh's POSIX mode also fails on export.
	parser := syntax.NewParser(syntax.Variant(syntax.LangBash))
	if !interactive {
		file, err := parser.Parse(src, name)
		if err != nil {
			fmt.Fprintf(e.Stderr, "sh: %v\n", err)
			return 2
		}
		return status(r.Run(ctx, file))
	}
	// Statements run as soon as they are complete, so an attached user sees
	// each command's output before typing the next. On a terminal (wasip1 has
	// no isatty: TERM tells) the shell prompts, as busybox's does, on stdout:
	// a real terminal's streams share one line, here they are two pipes, and
	// stdout keeps the prompt in order with the commands' output.
	terminal := lookup(e.Vars, "TERM") != ""
	prompt := func(incomplete bool) {
		if !terminal {
			return
		}
		if incomplete {
			fmt.Fprint(e.Stdout, "> ")
			return
		}
		fmt.Fprint(e.Stdout, expandPrompt(r, e.Vars))
	}
	prompt(false)
	last, exited := 0, false
	lines := &lineReader{r: src}
	for {
		err = parser.Interactive(lines, func(stmts []*syntax.Stmt) bool {
			for _, st := range stmts {
				last = status(r.Run(ctx, st))
				if r.Exited() {
					exited = true
					return false
				}
			}
			prompt(parser.Incomplete())
			return true
		})
		if err == nil || exited {
			break
		}
		fmt.Fprintf(e.Stderr, "sh: %v\n", err)
		last = 2
		// On a terminal a syntax error ends only its line, as in sh; a script stops.
		if !terminal || (lines.eof && len(lines.buf) == 0) {
			return last
		}
		prompt(false)
	}
	// The end of input (Ctrl-D) leaves the prompt's line: end it, as a shell does.
	if terminal && !exited {
		fmt.Fprintln(e.Stdout)
	}
	return last
}

// processShell is claimed by the first shell of the process.
var processShell atomic.Bool

// lineReader hands the parser at most one line per Read, so that after a
// syntax error the lines not yet read are still there for the next parse.
type lineReader struct {
	r   io.Reader
	buf []byte
	eof bool
}

func (l *lineReader) Read(p []byte) (int, error) {
	for {
		if i := bytes.IndexByte(l.buf, '\n'); i >= 0 || (l.eof && len(l.buf) > 0) {
			end := len(l.buf)
			if i >= 0 {
				end = i + 1
			}
			n := copy(p, l.buf[:end])
			l.buf = l.buf[n:]
			return n, nil
		}
		if l.eof {
			return 0, io.EOF
		}
		chunk := make([]byte, 4096)
		n, err := l.r.Read(chunk)
		l.buf = append(l.buf, chunk[:n]...)
		if err != nil {
			l.eof = true
		}
	}
}

// lookup finds NAME in NAME=VALUE pairs.
func lookup(vars []string, name string) string {
	for _, kv := range vars {
		if strings.HasPrefix(kv, name+"=") {
			return kv[len(name)+1:]
		}
	}
	return ""
}

// expandPrompt expands PS1 (default `\w \$ `): \w the working directory
// (~ for $HOME), \W its last element, \$ `#` (the toolbox runs as root),
// \u the user, \h the host name.
func expandPrompt(r *interp.Runner, vars []string) string {
	ps1 := `\w \$ `
	if v, ok := r.Vars["PS1"]; ok && v.IsSet() {
		ps1 = v.String()
	} else if env := lookup(vars, "PS1"); env != "" {
		ps1 = env
	}
	dir := r.Dir
	if home := lookup(vars, "HOME"); home != "" && home != "/" && strings.HasPrefix(dir, home) {
		dir = "~" + strings.TrimPrefix(dir, home)
	}
	host := lookup(vars, "HOSTNAME")
	repl := strings.NewReplacer(`\w`, dir, `\W`, path.Base(r.Dir), `\$`, "#", `\u`, "root", `\h`, host)
	return repl.Replace(ps1)
}

func status(err error) int {
	if err == nil {
		return 0
	}
	var es interp.ExitStatus
	if errors.As(err, &es) {
		return int(es)
	}
	return 1
}

func exit(code int) error {
	if code == 0 {
		return nil
	}
	return interp.ExitStatus(uint8(code))
}
