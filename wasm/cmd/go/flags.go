package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// buildFlags are the flags build, run and list share (cmd/go's build flags
// that mean something for wasip1).
type buildFlags struct {
	output   string
	verbose  bool
	commands bool // -x
	all      bool // -a
	trimpath bool
	work     bool
	tags     []string
	ldflags  []string
	gcflags  []string
	mod      string
}

func (f *buildFlags) register(fs *flag.FlagSet, withOutput bool) {
	if withOutput {
		fs.StringVar(&f.output, "o", "", "write the resulting executable or object to the named output file or directory")
	}
	fs.BoolVar(&f.verbose, "v", false, "print the names of packages as they are compiled")
	fs.BoolVar(&f.commands, "x", false, "print the commands")
	fs.BoolVar(&f.all, "a", false, "force rebuilding of packages that are already up-to-date")
	fs.BoolVar(&f.trimpath, "trimpath", false, "remove all file system paths from the resulting executable")
	fs.BoolVar(&f.work, "work", false, "print the name of the temporary work directory and do not delete it when exiting")
	fs.StringVar(&f.mod, "mod", "", "module download mode to use: readonly, vendor, or mod")
	fs.Func("tags", "a comma-separated list of additional build tags", func(s string) error {
		f.tags = nil
		for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
			f.tags = append(f.tags, t)
		}
		return nil
	})
	fs.Func("ldflags", "arguments to pass on each go tool link invocation", func(s string) error {
		var err error
		f.ldflags, err = splitQuoted(stripPattern(s))
		return err
	})
	fs.Func("gcflags", "arguments to pass on each go tool compile invocation", func(s string) error {
		var err error
		f.gcflags, err = splitQuoted(stripPattern(s))
		return err
	})
	fs.Func("p", "the number of programs that can be run in parallel", func(string) error { return nil })
	fs.Func("buildvcs", "whether to stamp binaries with version control information", func(string) error { return nil })
	for _, name := range []string{"race", "msan", "asan", "cover", "linkshared"} {
		n := name
		fs.Func(n, "", func(string) error { return fmt.Errorf("-%s is not supported on wasip1/wasm", n) })
	}
	fs.Func("buildmode", "build mode to use", func(s string) error {
		if s != "exe" && s != "default" {
			return fmt.Errorf("-buildmode=%s not supported on wasip1/wasm (podplay/golang builds executables)", s)
		}
		return nil
	})
}

// stripPattern drops a package pattern ("all=-N -l" → "-N -l"): podplay
// applies the flags to the packages it builds, std being precompiled.
func stripPattern(s string) string {
	if i := strings.Index(s, "="); i > 0 && !strings.HasPrefix(s, "-") && !strings.ContainsAny(s[:i], " '\"") {
		return s[i+1:]
	}
	return s
}

// splitQuoted splits a flag value into words as cmd/go does (spaces
// separate; single or double quotes group).
func splitQuoted(s string) ([]string, error) {
	var out []string
	for {
		s = strings.TrimLeft(s, " \t\n\r")
		if s == "" {
			return out, nil
		}
		if q := s[0]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return nil, fmt.Errorf("unterminated %c string", q)
			}
			out = append(out, s[1:1+end])
			s = s[2+end:]
			continue
		}
		i := strings.IndexAny(s, " \t\n\r")
		if i < 0 {
			i = len(s)
		}
		out = append(out, s[:i])
		s = s[i:]
	}
}

// parseFlags parses a command's flags after GOFLAGS, printing cmd/go's
// usage line on error (exit status 2).
func parseFlags(fs *flag.FlagSet, usageLine string, args []string) ([]string, bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if env := strings.Fields(os.Getenv("GOFLAGS")); len(env) > 0 {
		var known []string
		for _, e := range env {
			name := strings.TrimLeft(e, "-")
			name, _, _ = strings.Cut(name, "=")
			if fs.Lookup(name) != nil {
				known = append(known, e)
			}
		}
		if err := fs.Parse(known); err != nil {
			fmt.Fprintf(os.Stderr, "go: parsing $GOFLAGS: %v\n", err)
			return nil, false
		}
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprintf(os.Stderr, "usage: %s\nRun 'go help %s' for details.\n", usageLine, fs.Name())
			return nil, false
		}
		fmt.Fprintf(os.Stderr, "%v\nusage: %s\nRun 'go help %s' for details.\n", err, usageLine, fs.Name())
		return nil, false
	}
	return fs.Args(), true
}
