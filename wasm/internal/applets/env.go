package applets

import (
	"bufio"
	"fmt"
	"strings"
)

func init() {
	Register(&Applet{Name: "env", Usage: "[-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]",
		Help: "Print current environment or run PROG after setting up environment\n\n" +
			"\t-, -i\tStart with empty environment\n\t-0\tNUL terminated output\n\t-u NAME\tRemove variable from environment",
		Run: env})
}

var envOptions = getopt{
	short:         "i0u:",
	long:          map[string]string{"ignore-environment": "i", "null": "0", "unset": "u:"},
	stopAtOperand: true,
}

// env is busybox's: options stop at the first operand; NAME=VALUE replaces a
// variable where it stands (putenv) or adds it at the end.
func env(e *Env) int {
	p, ok := envOptions.parse(e, e.Args[1:])
	if !ok {
		return usageError(e, 1)
	}
	args := p.operands
	vars := append([]string(nil), e.Vars...)
	if p.has('i') || (len(args) > 0 && args[0] == "-") {
		vars = nil
		if len(args) > 0 && args[0] == "-" {
			args = args[1:]
		}
	}
	for _, name := range p.all('u') {
		vars = putenv(vars, name)
	}
	for len(args) > 0 && strings.Contains(args[0], "=") {
		vars, args = putenv(vars, args[0]), args[1:]
	}
	if len(args) > 0 {
		sub := *e
		sub.Args, sub.Vars = args, vars
		status, err := Exec(&sub)
		if err != nil {
			fmt.Fprintf(e.Stderr, "env: can't execute '%s': %s\n", args[0], err)
		}
		return status
	}
	end := byte('\n')
	if p.has('0') {
		end = 0
	}
	w := bufio.NewWriter(e.Stdout)
	for _, v := range vars {
		w.WriteString(v)
		w.WriteByte(end)
	}
	if w.Flush() != nil {
		return 1
	}
	return 0
}

// putenv is glibc's: "NAME=VALUE" replaces NAME in place or is appended;
// a bare "NAME" removes it.
func putenv(vars []string, kv string) []string {
	name, _, set := strings.Cut(kv, "=")
	out := vars[:0:0]
	replaced := false
	for _, v := range vars {
		if k, _, _ := strings.Cut(v, "="); k == name {
			if set && !replaced {
				out = append(out, kv)
				replaced = true
			}
			continue
		}
		out = append(out, v)
	}
	if set && !replaced {
		out = append(out, kv)
	}
	return out
}
