// Package applets holds the toolbox's commands. Each applet is an ordinary
// function over an Env, so the same code runs when the toolbox is invoked as
// /bin/<name> (argv[0] dispatch) and when the in-process shell runs it: wasip1
// cannot spawn processes, so sh calls applets directly.
package applets

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"syscall"
)

// Env is everything an applet may touch: its arguments, standard streams, the
// working directory and the environment. Applets resolve relative paths
// against Dir (never the process cwd) because sh's cd only changes Dir.
type Env struct {
	Args   []string // Args[0] is the applet name
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Dir    string
	Vars   []string // exported environment, "NAME=value"
}

// Getenv returns the value of an exported variable, or "".
func (e *Env) Getenv(name string) string {
	v, _ := e.LookupEnv(name)
	return v
}

// LookupEnv reports whether name is set, like os.LookupEnv.
func (e *Env) LookupEnv(name string) (string, bool) {
	for i := len(e.Vars) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(e.Vars[i], "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// Path resolves p against the applet's working directory.
func (e *Env) Path(p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(e.Dir, p)
}

// Errorf prints "name: message" to stderr, as busybox applets do, and returns 1.
func (e *Env) Errorf(format string, a ...any) int {
	fmt.Fprintf(e.Stderr, "%s: %s\n", e.Args[0], fmt.Sprintf(format, a...))
	return 1
}

// FromOS builds the Env of a process started directly (not through sh).
func FromOS(args []string) *Env {
	dir, err := os.Getwd()
	if err != nil || dir == "" {
		dir = "/"
	}
	return &Env{Args: args, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Dir: dir, Vars: os.Environ()}
}

// Applet is one toolbox command; it returns the exit status.
type Applet struct {
	Name  string
	Usage string // first line of --help: "[OPTIONS] FILE..."
	Help  string // the rest of --help
	Run   func(e *Env) int
}

var registry = map[string]*Applet{}

// Register adds an applet; the toolbox's main registers sh this way.
func Register(a *Applet) { registry[a.Name] = a }

// Lookup finds an applet by name.
func Lookup(name string) (*Applet, bool) {
	a, ok := registry[name]
	return a, ok
}

// Names lists every applet, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Exec runs a command of the container as the shell would: an applet by its
// name, or a program found by path or on PATH, started as a child process.
// e.Args[0] names the command. It returns the exit status, or an error
// (ErrNotFound: nothing of that name, status 127; ErrNotExecutable: found but
// not runnable, status 126) that the caller reports in its own words. Package
// shell sets it; until then only applets run. env, xargs and the like start
// their COMMAND through it.
var Exec = func(e *Env) (int, error) {
	a, ok := Lookup(e.Args[0])
	if !ok {
		return 127, ErrNotFound
	}
	return Call(a, e), nil
}

// Errors of Exec.
var (
	ErrNotFound      = errors.New("No such file or directory")
	ErrNotExecutable = errors.New("Permission denied")
)

// Call runs an applet, answering --help for it.
func Call(a *Applet, e *Env) int {
	if len(e.Args) == 2 && e.Args[1] == "--help" && a.Name != "echo" {
		fmt.Fprintf(e.Stdout, "Usage: %s %s\n", a.Name, a.Usage)
		if a.Help != "" {
			fmt.Fprintf(e.Stdout, "\n%s\n", strings.TrimRight(a.Help, "\n"))
		}
		return 0
	}
	return runApplet(a, e)
}

// SIGPIPE is the status of a program killed by SIGPIPE (128+13).
const SIGPIPE = 141

// brokenPipe is raised by an applet's stdout once its reader has gone.
type brokenPipe struct{}

type pipeWriter struct{ w io.Writer }

// Unwrap gives the writer underneath (a shell hands a child process the file itself).
func (p pipeWriter) Unwrap() io.Writer { return p.w }

func (p pipeWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if err != nil && (errors.Is(err, io.ErrClosedPipe) || errors.Is(err, syscall.EPIPE)) {
		panic(brokenPipe{})
	}
	return n, err
}

// runApplet runs a with SIGPIPE as Linux delivers it: a write to a pipe whose
// reader has gone ends the applet at once and silently (ls | head, yes | head -1).
func runApplet(a *Applet, e *Env) (status int) {
	sub := *e
	if _, wrapped := e.Stdout.(pipeWriter); !wrapped && e.Stdout != nil {
		sub.Stdout = pipeWriter{e.Stdout}
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(brokenPipe); !ok {
				panic(r)
			}
			status = SIGPIPE
		}
	}()
	return a.Run(&sub)
}

// flags splits leading single-letter options ("-la", "-n", "5") from operands.
// valued lists the options that take a value. "--" ends options.
type flags struct {
	set    map[byte]bool
	values map[byte]string
	rest   []string
}

func parseFlags(e *Env, args []string, known, valued string) (*flags, bool) {
	f := &flags{set: map[byte]bool{}, values: map[byte]string{}}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch {
			case strings.IndexByte(valued, c) >= 0:
				v := a[j+1:]
				if v == "" {
					if i+1 >= len(args) {
						e.Errorf("option requires an argument -- '%c'", c)
						return nil, false
					}
					i++
					v = args[i]
				}
				f.set[c], f.values[c] = true, v
				j = len(a)
			case strings.IndexByte(known, c) >= 0:
				f.set[c] = true
			default:
				e.Errorf("invalid option -- '%c'\nTry '%s --help' for more information.", c, e.Args[0])
				return nil, false
			}
		}
	}
	f.rest = args[i:]
	return f, true
}

// openInput opens a named file, or stdin for "-".
func openInput(e *Env, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(e.Stdin), nil
	}
	return os.Open(e.Path(name))
}

// errText trims Go's "open /x: " prefix so messages read like busybox's.
func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err
	} else if le, ok := err.(*os.LinkError); ok {
		err = le.Err
	}
	s := err.Error()
	if s == "file does not exist" {
		return "No such file or directory"
	}
	if len(s) > 0 {
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}
