package applets

import (
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"
	"syscall"
	"time"

	"podplay.dev/wasm/guest"
)

func init() {
	Register(&Applet{Name: "pwd", Usage: "", Help: "Print the working directory.", Run: func(e *Env) int { fmt.Fprintln(e.Stdout, e.Dir); return 0 }})
	Register(&Applet{Name: "printenv", Usage: "[NAME]...", Help: "Print the values of environment variables (all of them without NAME).", Run: printenv})
	Register(&Applet{Name: "sleep", Usage: "SECONDS[s|m|h|d]...", Help: "Pause for the total of the given times (fractions allowed).", Run: sleep})
	Register(&Applet{Name: "date", Usage: "[-u] [+FORMAT]", Help: "Print the date and time (UTC). FORMAT knows %Y %m %d %H %M %S %s %a %b %e %j %T %F %D %R %Z %z %n %t %%.", Run: date})
	Register(&Applet{Name: "hostname", Usage: "", Help: "Print the host name ($HOSTNAME, else /etc/hostname).", Run: hostname})
	Register(&Applet{Name: "true", Usage: "", Help: "Exit with status 0.", Run: func(*Env) int { return 0 }})
	Register(&Applet{Name: "false", Usage: "", Help: "Exit with status 1.", Run: func(*Env) int { return 1 }})
	Register(&Applet{Name: "pause", Usage: "", Help: "Sleep until killed (what a pod's sandbox container does).", Run: pause})
	Register(&Applet{Name: "uname", Usage: "[-asnrm]", Help: "Print system information.", Run: uname})
	Register(&Applet{Name: "seq", Usage: "[FIRST [STEP]] LAST", Help: "Print numbers from FIRST (1) to LAST by STEP (1).", Run: seq})
	Register(&Applet{Name: "basename", Usage: "NAME [SUFFIX]", Help: "Strip directories (and SUFFIX) from NAME.", Run: basename})
	Register(&Applet{Name: "dirname", Usage: "NAME", Help: "Strip the last component from NAME.", Run: func(e *Env) int {
		if len(e.Args) < 2 {
			return e.Errorf("missing operand")
		}
		fmt.Fprintln(e.Stdout, path.Dir(e.Args[1]))
		return 0
	}})
	Register(&Applet{Name: "yes", Usage: "[STRING]", Help: "Print STRING (y) forever.", Run: func(e *Env) int {
		s := "y"
		if len(e.Args) > 1 {
			s = strings.Join(e.Args[1:], " ")
		}
		// Whole buffers of lines, as coreutils' and busybox's yes write them:
		// a line per write would cost a goroutine switch per line in a pipeline.
		line := s + "\n"
		buf := []byte(strings.Repeat(line, max(1, 8192/len(line))))
		for {
			if _, err := e.Stdout.Write(buf); err != nil {
				return 0
			}
		}
	}})
}

func printenv(e *Env) int {
	if len(e.Args) == 1 {
		for _, v := range e.Vars {
			fmt.Fprintln(e.Stdout, v)
		}
		return 0
	}
	status := 0
	for _, n := range e.Args[1:] {
		if v, ok := e.LookupEnv(n); ok {
			fmt.Fprintln(e.Stdout, v)
		} else {
			status = 1
		}
	}
	return status
}

// ParseDuration reads sleep-style durations: "5", "0.5", "2m", "1h", "1d", or Go's "1m30s".
func ParseDuration(s string) (time.Duration, error) {
	if s == "inf" || s == "infinity" {
		return time.Duration(1<<63 - 1), nil
	}
	unit := time.Second
	num := s
	switch {
	case strings.HasSuffix(s, "s"):
		num = s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		num, unit = s[:len(s)-1], time.Minute
	case strings.HasSuffix(s, "h"):
		num, unit = s[:len(s)-1], time.Hour
	case strings.HasSuffix(s, "d"):
		num, unit = s[:len(s)-1], 24*time.Hour
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		if d, err2 := time.ParseDuration(s); err2 == nil {
			return d, nil
		}
		return 0, fmt.Errorf("invalid number '%s'", s)
	}
	return time.Duration(f * float64(unit)), nil
}

func sleep(e *Env) int {
	if len(e.Args) < 2 {
		return e.Errorf("missing operand")
	}
	var total time.Duration
	for _, a := range e.Args[1:] {
		d, err := ParseDuration(a)
		if err != nil {
			return e.Errorf("%v", err)
		}
		total += d
	}
	time.Sleep(total)
	return 0
}

// pause is the Kubernetes pause container's program: it sleeps until a
// signal; SIGTERM and SIGINT end it with status 0 after psignal(3)'s line,
// as its handler does (podplay runs that handler's part: see package guest).
func pause(e *Env) int {
	guest.ExitOnSignals(0, "Shutting down, got signal: Terminated\n", syscall.SIGTERM)
	guest.ExitOnSignals(0, "Shutting down, got signal: Interrupt\n", syscall.SIGINT)
	for {
		time.Sleep(time.Hour)
	}
}

var strftime = map[byte]string{
	'Y': "2006", 'm': "01", 'd': "02", 'H': "15", 'M': "04", 'S': "05", 'a': "Mon", 'A': "Monday",
	'b': "Jan", 'B': "January", 'h': "Jan", 'e': "_2", 'T': "15:04:05", 'F': "2006-01-02", 'D': "01/02/06",
	'R': "15:04", 'Z': "MST", 'z': "-0700", 'y': "06", 'p': "PM", 'I': "03",
}

func formatDate(t time.Time, f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch c := f[i]; c {
		case '%':
			b.WriteByte('%')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'N':
			fmt.Fprintf(&b, "%09d", t.Nanosecond())
		default:
			if layout, ok := strftime[c]; ok {
				b.WriteString(t.Format(layout))
			} else {
				b.WriteByte('%')
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

func date(e *Env) int {
	format := "%a %b %e %H:%M:%S %Z %Y"
	for _, a := range e.Args[1:] {
		switch {
		case a == "-u" || a == "-R":
		case strings.HasPrefix(a, "+"):
			format = a[1:]
		default:
			return e.Errorf("invalid date '%s'", a)
		}
	}
	fmt.Fprintln(e.Stdout, formatDate(time.Now().UTC(), format))
	return 0
}

// Hostname is $HOSTNAME when the runtime sets it (wasip1 has no hostname
// call), else the first line of /etc/hostname, else "localhost".
func Hostname(e *Env) string {
	if h := e.Getenv("HOSTNAME"); h != "" {
		return h
	}
	if data, err := os.ReadFile("/etc/hostname"); err == nil {
		if h := strings.TrimSpace(string(data)); h != "" {
			return h
		}
	}
	return "localhost"
}

func hostname(e *Env) int {
	fmt.Fprintln(e.Stdout, Hostname(e))
	return 0
}

func uname(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "asnrmvpio", "")
	if !ok {
		return 1
	}
	fields := []string{}
	all := f.set['a']
	if all || f.set['s'] || len(f.set) == 0 {
		fields = append(fields, "WASI")
	}
	if all || f.set['n'] {
		fields = append(fields, Hostname(e))
	}
	if all || f.set['r'] {
		fields = append(fields, "preview1")
	}
	if all || f.set['m'] {
		fields = append(fields, "wasm32")
	}
	fmt.Fprintln(e.Stdout, strings.Join(fields, " "))
	return 0
}

func seq(e *Env) int {
	nums := []float64{}
	for _, a := range e.Args[1:] {
		n, err := strconv.ParseFloat(a, 64)
		if err != nil {
			return e.Errorf("invalid number '%s'", a)
		}
		nums = append(nums, n)
	}
	first, step, last := 1.0, 1.0, 0.0
	switch len(nums) {
	case 1:
		last = nums[0]
	case 2:
		first, last = nums[0], nums[1]
	case 3:
		first, step, last = nums[0], nums[1], nums[2]
	default:
		return e.Errorf("missing operand")
	}
	if step == 0 {
		return e.Errorf("invalid increment")
	}
	for n := first; (step > 0 && n <= last) || (step < 0 && n >= last); n += step {
		fmt.Fprintln(e.Stdout, strconv.FormatFloat(n, 'f', -1, 64))
	}
	return 0
}

func basename(e *Env) int {
	if len(e.Args) < 2 {
		return e.Errorf("missing operand")
	}
	b := path.Base(e.Args[1])
	if len(e.Args) > 2 && b != e.Args[2] {
		b = strings.TrimSuffix(b, e.Args[2])
	}
	fmt.Fprintln(e.Stdout, b)
	return 0
}
