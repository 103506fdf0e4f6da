package applets

// stress is Amos Waterland's stress 1.0.4, the program of the polinux/stress
// image that Kubernetes' memory and CPU pages run. Its messages, line numbers
// in FAIL/WARN lines included, and exit statuses are stress's. Its workers
// are goroutines rather than forked processes (wasip1 has neither fork nor
// threads): a vm worker really allocates --vm-bytes and writes a byte in
// every --vm-stride, so a container's memory limit really stops it (Go's
// "out of memory" ends the whole program, which the runtime reports as
// OOMKilled). The parent's PID is printed as 1, workers as 2, 3, ...
//
// The same applet answers vish/stress's flags (-cpus N, -mem-total Q,
// -mem-alloc-size Q, -mem-alloc-sleep D), the image of the CPU page.

import (
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

const stressUsage = "`%s' imposes certain types of compute stress on your system\n\n" +
	"Usage: %s [OPTION [ARG]] ...\n" +
	" -?, --help         show this help statement\n" +
	"     --version      show version statement\n" +
	" -v, --verbose      be verbose\n" +
	" -q, --quiet        be quiet\n" +
	" -n, --dry-run      show what would have been done\n" +
	" -t, --timeout N    timeout after N seconds\n" +
	"     --backoff N    wait factor of N microseconds before work starts\n" +
	" -c, --cpu N        spawn N workers spinning on sqrt()\n" +
	" -i, --io N         spawn N workers spinning on sync()\n" +
	" -m, --vm N         spawn N workers spinning on malloc()/free()\n" +
	"     --vm-bytes B   malloc B bytes per vm worker (default is 256MB)\n" +
	"     --vm-stride B  touch a byte every B bytes (default is 4096)\n" +
	"     --vm-hang N    sleep N secs before free (default none, 0 is inf)\n" +
	"     --vm-keep      redirty memory instead of freeing and reallocating\n" +
	" -d, --hdd N        spawn N workers spinning on write()/unlink()\n" +
	"     --hdd-bytes B  write B bytes per hdd worker (default is 1GB)\n\n" +
	"Example: %s --cpu 8 --io 4 --vm 2 --vm-bytes 128M --timeout 10s\n\n" +
	"Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).\n"

func init() {
	help := strings.SplitN(fmt.Sprintf(stressUsage, "stress", "stress", "stress"), "\n", 4)[3]
	Register(&Applet{Name: "stress", Usage: "[OPTION [ARG]] ...", Help: strings.TrimRight(help, "\n"), Run: stress})
}

const stressPID = 1

type stressRun struct {
	e     *Env
	debug int // 0 quiet, 2 info (default), 3 verbose
	mu    sync.Mutex
}

// exit ends stress from inside the option parser.
type stressExit struct{ status int }

func (s *stressRun) dbg(pid int, format string, a ...any) {
	if s.debug >= 3 {
		s.mu.Lock()
		fmt.Fprintf(s.e.Stdout, "stress: dbug: [%d] %s", pid, fmt.Sprintf(format, a...))
		s.mu.Unlock()
	}
}

func (s *stressRun) out(format string, a ...any) {
	if s.debug >= 2 {
		s.mu.Lock()
		fmt.Fprintf(s.e.Stdout, "stress: info: [%d] %s", stressPID, fmt.Sprintf(format, a...))
		s.mu.Unlock()
	}
}

func (s *stressRun) wrn(pid, line int, format string, a ...any) {
	if s.debug >= 1 {
		s.mu.Lock()
		fmt.Fprintf(s.e.Stderr, "stress: WARN: [%d] (%d) %s", pid, line, fmt.Sprintf(format, a...))
		s.mu.Unlock()
	}
}

func (s *stressRun) err(pid, line int, format string, a ...any) {
	s.mu.Lock()
	fmt.Fprintf(s.e.Stderr, "stress: FAIL: [%d] (%d) %s", pid, line, fmt.Sprintf(format, a...))
	s.mu.Unlock()
}

func (s *stressRun) fail(line int, format string, a ...any) {
	s.err(stressPID, line, format, a...)
	panic(stressExit{1})
}

// scanInt is sscanf's %lli: blanks, a sign, then hex (0x), octal (0) or
// decimal digits, as many as there are.
func scanInt(s string) (int64, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := 10
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") && hexDigit(s[2]) < 16:
		base, s = 16, s[2:]
	case len(s) > 0 && s[0] == '0':
		base = 8
	}
	var v int64
	n := 0
	for ; n < len(s) && hexDigit(s[n]) < base; n++ {
		v = v*int64(base) + int64(hexDigit(s[n]))
	}
	if n == 0 {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// atollB reads a size with an optional B, K, M or G suffix.
func (s *stressRun) atollB(arg string) int64 {
	if arg == "" {
		s.fail(622, "invalid string\n")
	}
	shift := 0
	switch c := arg[len(arg)-1]; c {
	case 'b', 'B':
	case 'k', 'K':
		shift = 10
	case 'm', 'M':
		shift = 20
	case 'g', 'G':
		shift = 30
	default:
		if c < '0' || c > '9' {
			s.fail(647, "unrecognized suffix: %c\n", c)
		}
	}
	v, ok := scanInt(arg)
	if !ok {
		s.fail(654, "invalid number: %s\n", arg)
	}
	return v << shift
}

// atollS reads a time with an optional s, m, h, d or y suffix.
func (s *stressRun) atollS(arg string) int64 {
	if arg == "" {
		s.fail(676, "invalid string\n")
	}
	factor := int64(1)
	switch c := arg[len(arg)-1]; c {
	case 's', 'S':
	case 'm', 'M':
		factor = 60
	case 'h', 'H':
		factor = 3600
	case 'd', 'D':
		factor = 86400
	case 'y', 'Y':
		factor = 86400 * 365
	default:
		if c < '0' || c > '9' {
			s.fail(705, "unrecognized suffix: %c\n", c)
		}
	}
	v, ok := scanInt(arg)
	if !ok {
		s.fail(712, "invalid number: %s\n", arg)
	}
	return v * factor
}

type stressConfig struct {
	dryRun                              bool
	backoff, timeout                    int64
	cpu, io, vm, hdd                    int64
	vmBytes, vmStride, vmHang, hddBytes int64
	vmKeep                              bool
}

func stress(e *Env) (status int) {
	if vishStressArgs(e.Args[1:]) {
		return vishStress(e)
	}
	s := &stressRun{e: e, debug: 2}
	defer func() {
		if r := recover(); r != nil {
			x, ok := r.(stressExit)
			if !ok {
				panic(r)
			}
			status = x.status
		}
	}()
	start := time.Now().Unix()
	c := stressConfig{backoff: 3000, vmBytes: 256 << 20, vmStride: 4096, vmHang: -1, hddBytes: 1 << 30}
	args := e.Args[1:]
	for i := 0; i < len(args); i++ {
		arg := args[i]
		// assert_arg: the value must exist and not look like an option.
		value := func(name string, line int) string {
			i++
			if i == len(args) || (strings.HasPrefix(args[i], "-") && !(len(args[i]) > 1 && args[i][1] >= '0' && args[i][1] <= '9')) {
				s.fail(line, "missing argument to option '%s'\n", name)
			}
			return args[i]
		}
		switch arg {
		case "--help", "-?":
			fmt.Fprintf(e.Stdout, stressUsage, "stress", "stress", "stress")
			return 0
		case "--version":
			fmt.Fprintln(e.Stdout, "stress 1.0.4")
			return 0
		case "--verbose", "-v":
			s.debug = 3
		case "--quiet", "-q":
			s.debug = 0
		case "--dry-run", "-n":
			c.dryRun = true
		case "--backoff":
			v := value("--backoff", 135)
			n, ok := scanInt(v)
			if !ok {
				s.fail(138, "invalid number: %s\n", v)
			}
			if n < 0 {
				s.fail(143, "invalid backoff factor: %d\n", n)
			}
			c.backoff = n
			s.dbg(stressPID, "setting backoff coeffient to %dus\n", n)
		case "--timeout", "-t":
			if c.timeout = s.atollS(value("--timeout", 150)); c.timeout <= 0 {
				s.fail(154, "invalid timeout value: %ds\n", c.timeout)
			}
		case "--cpu", "-c":
			if c.cpu = s.atollB(value("--cpu", 160)); c.cpu <= 0 {
				s.fail(164, "invalid number of cpu hogs: %d\n", c.cpu)
			}
		case "--io", "-i":
			if c.io = s.atollB(value("--io", 170)); c.io <= 0 {
				s.fail(174, "invalid number of io hogs: %d\n", c.io)
			}
		case "--vm", "-m":
			if c.vm = s.atollB(value("--vm", 180)); c.vm <= 0 {
				s.fail(184, "invalid number of vm hogs: %d\n", c.vm)
			}
		case "--vm-bytes":
			if c.vmBytes = s.atollB(value("--vm-bytes", 190)); c.vmBytes <= 0 {
				s.fail(194, "invalid vm byte value: %d\n", c.vmBytes)
			}
		case "--vm-stride":
			if c.vmStride = s.atollB(value("--vm-stride", 200)); c.vmStride <= 0 {
				s.fail(204, "invalid stride value: %d\n", c.vmStride)
			}
		case "--vm-hang":
			if c.vmHang = s.atollB(value("--vm-hang", 210)); c.vmHang < 0 {
				s.fail(214, "invalid value: %d\n", c.vmHang)
			}
		case "--vm-keep":
			c.vmKeep = true
		case "--hdd", "-d":
			if c.hdd = s.atollB(value("--hdd", 224)); c.hdd <= 0 {
				s.fail(228, "invalid number of hdd hogs: %d\n", c.hdd)
			}
		case "--hdd-bytes":
			if c.hddBytes = s.atollB(value("--hdd-bytes", 234)); c.hddBytes <= 0 {
				s.fail(238, "invalid hdd byte value: %d\n", c.hddBytes)
			}
		default:
			s.fail(244, "unrecognized option: %s\n", arg)
		}
	}
	if c.cpu+c.io+c.vm+c.hdd == 0 {
		fmt.Fprintf(e.Stdout, stressUsage, "stress", "stress", "stress")
		return 0
	}
	s.out("dispatching hogs: %d cpu, %d io, %d vm, %d hdd\n", c.cpu, c.io, c.vm, c.hdd)
	return s.run(c, start)
}

type stressWorker struct {
	pid    int
	stop   chan struct{} // closed: killed (SIGALRM at the timeout, SIGUSR1 when reaped)
	kill   func()        // closes stop, once
	status int           // its exit status when it returns
}

type stressResult struct {
	w      *stressWorker
	killed bool // ended by a signal, not by returning
}

// run dispatches the workers round-robin as stress forks them, then waits.
func (s *stressRun) run(c stressConfig, start int64) int {
	results := make(chan stressResult)
	var workers []*stressWorker
	nextPID := stressPID + 1
	spawn := func(kind string, n int64, timeout, backoff int64, hog func(w *stressWorker) int) {
		w := &stressWorker{pid: nextPID, stop: make(chan struct{})}
		nextPID++
		workers = append(workers, w)
		var once sync.Once
		w.kill = func() { once.Do(func() { close(w.stop) }) }
		if timeout > 0 {
			time.AfterFunc(time.Duration(timeout)*time.Second, w.kill)
		}
		go func() {
			select {
			case <-time.After(time.Duration(backoff) * time.Microsecond):
			case <-w.stop:
				results <- stressResult{w, true}
				return
			}
			if c.dryRun {
				results <- stressResult{w, false}
				return
			}
			w.status = hog(w)
			select {
			case <-w.stop:
				results <- stressResult{w, true}
			default:
				results <- stressResult{w, false}
			}
		}()
		s.dbg(stressPID, "--> %s worker %d [%d] forked\n", kind, n, w.pid)
	}
	for forks := c.cpu + c.io + c.vm + c.hdd; forks > 0; forks = c.cpu + c.io + c.vm + c.hdd {
		backoff := c.backoff * forks
		s.dbg(stressPID, "using backoff sleep of %dus\n", backoff)
		var timeout int64
		if c.timeout > 0 {
			timeout = c.timeout - (time.Now().Unix() - start)
			if timeout <= 0 {
				s.wrn(stressPID, 288, "used up time before all workers dispatched\n")
				break
			}
			s.dbg(stressPID, "setting timeout to %ds\n", timeout)
		}
		if c.cpu > 0 {
			spawn("hogcpu", c.cpu, timeout, backoff, hogCPU)
			c.cpu--
		}
		if c.io > 0 {
			spawn("hogio", c.io, timeout, backoff, func(w *stressWorker) int { return hogIO(s, w) })
			c.io--
		}
		if c.vm > 0 {
			spawn("hogvm", c.vm, timeout, backoff, func(w *stressWorker) int { return hogVM(s, w, c.vmBytes, c.vmStride, c.vmHang, c.vmKeep) })
			c.vm--
		}
		if c.hdd > 0 {
			spawn("hoghdd", c.hdd, timeout, backoff, func(w *stressWorker) int { return hogHDD(s, w, c.hddBytes) })
			c.hdd--
		}
	}
	retval := 0
	reaped := false
	for range workers {
		r := <-results
		switch {
		case !r.killed && r.w.status == 0:
			s.dbg(stressPID, "<-- worker %d returned normally\n", r.w.pid)
		case !r.killed:
			s.err(stressPID, 394, "<-- worker %d returned error %d\n", r.w.pid, r.w.status)
			retval++
			s.wrn(stressPID, 396, "now reaping child worker processes\n")
			reaped = true
			for _, w := range workers {
				if w != r.w {
					w.kill()
				}
			}
		case reaped:
			s.dbg(stressPID, "<-- worker %d reaped\n", r.w.pid)
		default:
			s.dbg(stressPID, "<-- worker %d signalled normally\n", r.w.pid)
		}
	}
	elapsed := time.Now().Unix() - start
	if retval > 0 {
		s.err(stressPID, 451, "failed run completed in %ds\n", elapsed)
	} else {
		s.out("successful run completed in %ds\n", elapsed)
	}
	return retval & 0xff
}

func stopped(w *stressWorker) bool {
	select {
	case <-w.stop:
		return true
	default:
		return false
	}
}

// hogCPU spins on sqrt(rand()), yielding now and then: the guest has one
// thread and no preemption, and timers must still fire.
func hogCPU(w *stressWorker) int {
	var sink float64
	for i := 0; ; i++ {
		sink += math.Sqrt(float64(rand.Int63()))
		if i&0xfff == 0 {
			if stopped(w) {
				return 0
			}
			runtime.Gosched()
		}
	}
}

// hogIO stands for sync(): it flushes a file of the working directory.
func hogIO(s *stressRun, w *stressWorker) int {
	f, _ := os.Open(s.e.Path("."))
	if f != nil {
		defer f.Close()
	}
	for !stopped(w) {
		if f != nil {
			f.Sync()
		}
		runtime.Gosched()
	}
	return 0
}

// hogVM allocates, touches every stride, optionally sleeps, checks, frees,
// and starts over, as stress's hogvm.
func hogVM(s *stressRun, w *stressWorker, bytes, stride, hang int64, keep bool) int {
	var buf []byte
	doMalloc := true
	for !stopped(w) {
		if doMalloc {
			s.dbg(w.pid, "allocating %d bytes ...\n", bytes)
			buf = make([]byte, bytes) // past the memory limit: "out of memory", the program ends
			if keep {
				doMalloc = false
			}
		}
		s.dbg(w.pid, "touching bytes in strides of %d bytes ...\n", stride)
		for i := int64(0); i < bytes; i += stride {
			buf[i] = 'Z'
			if i&(64<<20-1) < stride {
				runtime.Gosched()
			}
		}
		if hang == 0 {
			s.dbg(w.pid, "sleeping forever with allocated memory\n")
			<-w.stop
			runtime.KeepAlive(buf)
			return 0
		}
		if hang > 0 {
			s.dbg(w.pid, "sleeping for %ds with allocated memory\n", hang)
			select {
			case <-time.After(time.Duration(hang) * time.Second):
			case <-w.stop:
				return 0
			}
		}
		for i := int64(0); i < bytes; i += stride {
			if buf[i] != 'Z' {
				s.err(w.pid, 522, "memory corruption at: %p\n", &buf[i])
				return 1
			}
		}
		if doMalloc {
			buf = nil
			runtime.GC() // free() before the next malloc, so the heap does not double
			s.dbg(w.pid, "freed %d bytes\n", bytes)
		}
		runtime.Gosched()
	}
	return 0
}

// hogHDD writes bytes to an unlinked ./stress.XXXXXX file, over and over.
func hogHDD(s *stressRun, w *stressWorker, bytes int64) int {
	const chunk = 1024*1024 - 1
	buff := make([]byte, chunk)
	s.dbg(w.pid, "seeding %d byte buffer with random data\n", chunk)
	for i := 0; i < chunk-1; i++ {
		buff[i] = byte(rand.Intn(95) + 32)
	}
	buff[chunk-1] = '\n'
	for !stopped(w) {
		f, err := os.CreateTemp(s.e.Dir, "stress.")
		if err != nil {
			s.err(w.pid, 563, "mkstemp failed: %s\n", errText(err))
			return 1
		}
		name := "./" + strings.TrimPrefix(f.Name(), strings.TrimSuffix(s.e.Dir, "/")+"/")
		s.dbg(w.pid, "opened %s for writing %d bytes\n", name, bytes)
		s.dbg(w.pid, "unlinking %s\n", name)
		if err := os.Remove(f.Name()); err != nil {
			f.Close()
			s.err(w.pid, 572, "unlink of %s failed: %s\n", name, errText(err))
			return 1
		}
		s.dbg(w.pid, "fast writing to %s\n", name)
		var j int64
		for ; j+chunk < bytes; j += chunk {
			if _, err := f.Write(buff); err != nil {
				f.Close()
				s.err(w.pid, 581, "write failed: %s\n", errText(err))
				return 1
			}
			if stopped(w) {
				f.Close()
				return 0
			}
			runtime.Gosched()
		}
		s.dbg(w.pid, "slow writing to %s\n", name)
		for ; j < bytes-1; j++ {
			if _, err := f.Write(buff[j%chunk : j%chunk+1]); err != nil {
				f.Close()
				s.err(w.pid, 591, "write failed: %s\n", errText(err))
				return 1
			}
		}
		if _, err := f.Write([]byte{'\n'}); err != nil {
			f.Close()
			s.err(w.pid, 597, "write failed: %s\n", errText(err))
			return 1
		}
		j++
		s.dbg(w.pid, "closing %s after %d bytes\n", name, j)
		f.Close()
	}
	return 0
}

// vishStressArgs tells vish/stress's command line (Go flags) from stress's.
func vishStressArgs(args []string) bool {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "cpus" || name == "mem-total" || name == "mem-alloc-size" || name == "mem-alloc-sleep") {
			return true
		}
	}
	return false
}

// vishStress is vish/stress: burn -cpus CPUs, allocate -mem-total in
// -mem-alloc-size steps, then hold it all until killed. Like glog, it logs
// to stderr only with -logtostderr or -alsologtostderr.
func vishStress(e *Env) int {
	fs := flag.NewFlagSet("stress", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	memTotal := fs.String("mem-total", "0", "total memory to be consumed. Memory will be consumed via multiple allocations.")
	memStep := fs.String("mem-alloc-size", "4Ki", "amount of memory to be consumed in each allocation")
	memSleep := fs.Duration("mem-alloc-sleep", time.Millisecond, "duration to sleep between allocations")
	cpus := fs.Int("cpus", 0, "total number of CPUs to utilize")
	toStderr := fs.Bool("logtostderr", false, "log to standard error instead of files")
	alsoStderr := fs.Bool("alsologtostderr", false, "log to standard error as well as files")
	fs.Int("v", 0, "log level for V logs")
	fs.String("vmodule", "", "comma-separated list of pattern=N settings for file-filtered logging")
	fs.String("log_dir", "", "If non-empty, write log files in this directory")
	fs.Int("stderrthreshold", 2, "logs at or above this threshold go to stderr")
	if err := fs.Parse(e.Args[1:]); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	logf := func(line int, format string, a ...any) {
		if *toStderr || *alsoStderr {
			now := time.Now()
			fmt.Fprintf(e.Stderr, "I%s %7d main.go:%d] %s\n", now.Format("0102 15:04:05.000000"), stressPID, line, fmt.Sprintf(format, a...))
		}
	}
	total, ok1 := parseQuantity(*memTotal)
	step, ok2 := parseQuantity(*memStep)
	if !ok1 || !ok2 {
		bad := *memTotal
		if ok1 {
			bad = *memStep
		}
		fmt.Fprintf(e.Stderr, "panic: cannot parse '%s': quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n", bad)
		return 2
	}
	logf(26, "Allocating %q memory, in %q chunks, with a %v sleep between allocations", *memTotal, *memStep, *memSleep)
	for i := 0; i < *cpus; i++ {
		logf(37, "Spawning a thread to consume CPU")
		go hogCPU(&stressWorker{stop: make(chan struct{})})
	}
	var held [][]byte
	if step > 0 {
		for i := int64(1); i*step <= total; i++ {
			b := make([]byte, step)
			for j := range b {
				b[j] = 0
			}
			held = append(held, b)
			time.Sleep(*memSleep)
		}
	}
	logf(29, "Allocated %q memory", *memTotal)
	runtime.KeepAlive(held)
	select {}
}

// parseQuantity reads a Kubernetes quantity (128Mi, 1G, 500k, 1e3).
func parseQuantity(q string) (int64, bool) {
	suffixes := []struct {
		s string
		m float64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40}, {"Pi", 1 << 50}, {"Ei", 1 << 60},
		{"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"E", 1e18}, {"m", 1e-3}}
	mult := 1.0
	num := q
	for _, s := range suffixes {
		if strings.HasSuffix(q, s.s) {
			num, mult = strings.TrimSuffix(q, s.s), s.m
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" {
		return 0, false
	}
	return int64(math.Ceil(v * mult)), true
}
