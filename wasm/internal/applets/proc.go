package applets

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"syscall"

	"podplay.dev/wasm/guest"
)

func init() {
	Register(&Applet{Name: "ps", Usage: "[-o COL1,COL2=HEADER]", Help: "Show the container's processes (podplay's process table).\n-o COL: pid ppid user comm args etime", Run: ps})
	Register(&Applet{Name: "kill", Usage: "[-l] [-SIG] PID...", Help: "Send a signal (default: TERM) to process(es).\n-l list signal names", Run: kill})
}

var signalNames = []string{"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"}

// signalNumber reads TERM, SIGTERM or 15 (Linux's numbers).
func signalNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n < 65 {
		return n, true
	}
	name := strings.TrimPrefix(strings.ToUpper(s), "SIG")
	for i, n := range signalNames {
		if n != "" && n == name {
			return i, true
		}
	}
	return 0, false
}

func ps(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "AefwlT", "o")
	if !ok {
		return 1
	}
	procs, err := guest.Processes()
	if err != nil {
		return e.Errorf("can't read the process table: %s", errText(err))
	}
	cols := []string{"pid", "user", "args"}
	headers := map[string]string{"pid": "PID", "ppid": "PPID", "user": "USER", "comm": "COMMAND", "args": "COMMAND", "etime": "ELAPSED"}
	if f.set['o'] {
		cols = nil
		for _, c := range strings.Split(f.values['o'], ",") {
			name, header, custom := strings.Cut(c, "=")
			if _, known := headers[name]; !known {
				return e.Errorf("bad -o argument '%s', supported arguments: user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,time,tty,vsz,sid,stat,rss", name)
			}
			if custom {
				headers[name] = header
			}
			cols = append(cols, name)
		}
	}
	widths := map[string]int{"pid": 5, "ppid": 5, "user": 8, "comm": 16, "etime": 7}
	row := func(get func(col string) string) {
		var b strings.Builder
		for i, c := range cols {
			v := get(c)
			last := i == len(cols)-1
			switch {
			case last:
				b.WriteString(v)
			case c == "pid" || c == "ppid" || c == "etime":
				fmt.Fprintf(&b, "%*s ", widths[c], v)
			default:
				fmt.Fprintf(&b, "%-*s ", widths[c], v)
			}
		}
		fmt.Fprintln(e.Stdout, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintln(e.Stdout, strings.TrimRight(func() string {
		var b strings.Builder
		for i, c := range cols {
			if i == len(cols)-1 {
				b.WriteString(headers[c])
			} else if c == "pid" || c == "ppid" || c == "etime" {
				fmt.Fprintf(&b, "%-*s ", widths[c], headers[c])
			} else {
				fmt.Fprintf(&b, "%-*s ", widths[c], headers[c])
			}
		}
		return b.String()
	}(), " "))
	for _, p := range procs {
		row(func(col string) string {
			switch col {
			case "pid":
				return strconv.Itoa(p.Pid)
			case "ppid":
				return strconv.Itoa(p.Ppid)
			case "user":
				return "root"
			case "comm":
				if len(p.Argv) == 0 {
					return ""
				}
				c := p.Argv[0]
				if i := strings.LastIndexByte(c, '/'); i >= 0 {
					c = c[i+1:]
				}
				return c
			case "etime":
				return "0:00"
			}
			return strings.Join(p.Argv, " ")
		})
	}
	return 0
}

func kill(e *Env) int {
	args := e.Args[1:]
	sig := 15
	if len(args) > 0 && args[0] == "-l" {
		if len(args) > 1 {
			for _, a := range args[1:] {
				n, ok := signalNumber(a)
				if !ok {
					return e.Errorf("bad signal name '%s'", a)
				}
				if _, err := strconv.Atoi(a); err == nil {
					fmt.Fprintln(e.Stdout, signalNames[n])
				} else {
					fmt.Fprintln(e.Stdout, n)
				}
			}
			return 0
		}
		for i := 1; i < len(signalNames); i++ {
			fmt.Fprintf(e.Stdout, "%2d) %s\n", i, signalNames[i])
		}
		return 0
	}
	if len(args) > 0 && (args[0] == "-s" || args[0] == "-n") {
		if len(args) < 2 {
			return e.Errorf("option requires an argument -- '%c'", args[0][1])
		}
		n, ok := signalNumber(args[1])
		if !ok {
			return e.Errorf("bad signal name '%s'", args[1])
		}
		sig, args = n, args[2:]
	} else if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && args[0] != "--" {
		n, ok := signalNumber(args[0][1:])
		if !ok {
			return e.Errorf("bad signal name '%s'", args[0][1:])
		}
		sig, args = n, args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintf(e.Stderr, "Usage: kill [-l] [-SIG] PID...\n")
		return 1
	}
	status := 0
	for _, a := range args {
		pid, err := strconv.Atoi(a)
		if err != nil {
			status = e.Errorf("invalid number '%s'", a)
			continue
		}
		if err := Signal(pid, guest.SignalFromLinux(sig)); err != nil {
			status = e.Errorf("can't kill pid %d: %s", pid, errText(err))
		}
	}
	return status
}

// Signal sends sig to a container pid: podplay delivers it, or names the
// WASIX child of this sandbox that must get it (Jobs handles the shell's
// own background jobs).
func Signal(pid int, sig syscall.Signal) error {
	if Jobs != nil {
		if done, err := Jobs(pid, sig); done {
			return err
		}
	}
	wasixPid, err := guest.Kill(pid, sig)
	if err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return errors.New("No such process")
		}
		return err
	}
	if wasixPid > 0 {
		return signalChild(wasixPid, sig)
	}
	return nil
}

// Jobs, set by package shell, signals a background job of this process by
// its container pid; done is false when pid is not one of its jobs.
var Jobs func(pid int, sig syscall.Signal) (done bool, err error)
