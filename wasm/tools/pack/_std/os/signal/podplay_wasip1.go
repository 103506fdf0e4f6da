//go:build wasip1

package signal

// podplay's build adds this file to package os/signal (see
// wasm/tools/pack/overlay.go). On wasip1 the runtime has no signals, and
// its signal_recv waits in a loop of sched_yield, so a program that calls
// signal.Notify spins a core forever and starves its own network. In a
// podplay container, signal.Notify, Ignore and Reset instead tell podplay
// what the program does with a signal, through the control file
// /run/podplay/ctl (sigaction: notify, ignore, reset), and the watch loop
// asks podplay for the signals that came, every 250 ms, sleeping in between.
// Outside podplay (no control file) the runtime's loop is kept.

import (
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

const podplayControlFile = "/run/podplay/ctl"

var podplayControl struct {
	once sync.Once
	file *os.File
	mu   sync.Mutex
}

func podplayAvailable() bool {
	podplayControl.once.Do(func() {
		if f, err := os.OpenFile(podplayControlFile, os.O_RDWR, 0); err == nil {
			podplayControl.file = f
		}
	})
	return podplayControl.file != nil
}

//go:wasmimport wasix_32v1 proc_id
//go:noescape
func podplayProcID(pid unsafe.Pointer) uint32

// podplayCall sends one request (a JSON object) and returns the reply's line.
func podplayCall(req string) (string, bool) {
	if !podplayAvailable() {
		return "", false
	}
	var pid uint32
	if podplayProcID(unsafe.Pointer(&pid)) == 0 && pid > 1 {
		req = req[:len(req)-1] + `,"wpid":` + strconv.Itoa(int(pid)) + "}"
	}
	podplayControl.mu.Lock()
	defer podplayControl.mu.Unlock()
	f := podplayControl.file
	if _, err := f.Write([]byte(req)); err != nil {
		return "", false
	}
	var reply []byte
	chunk := make([]byte, 4096)
	for {
		n, err := f.Read(chunk)
		reply = append(reply, chunk[:n]...)
		if n > 0 && reply[len(reply)-1] == '\n' {
			break
		}
		if err != nil || n == 0 {
			break
		}
	}
	return string(reply), true
}

// Linux's signal numbers: wasip1's syscall package has no SIGSTKFLT (16),
// so its numbers from 16 on are Linux's minus one.
func podplayToLinux(sig int) int {
	if sig >= 16 {
		return sig + 1
	}
	return sig
}

func podplayFromLinux(n int) int {
	if n >= 17 {
		return n - 1
	}
	return n
}

// podplaySigaction declares what the program does with sig; signals that
// cannot be caught (SIGKILL, SIGSTOP) and 0 are left alone, as sigaction(2)
// refuses them.
func podplaySigaction(sig int, action string) {
	n := podplayToLinux(sig)
	if n < 1 || n > 64 || n == 9 || n == 19 {
		return
	}
	podplayCall(`{"op":"sigaction","signals":[` + strconv.Itoa(n) + `],"action":"` + action + `"}`)
}

// podplayLoop hands the signals podplay queued for this process to
// process, for as long as the program runs; false outside podplay.
func podplayLoop(process func(os.Signal)) bool {
	if !podplayAvailable() {
		return false
	}
	for {
		time.Sleep(250 * time.Millisecond)
		reply, ok := podplayCall(`{"op":"signals"}`)
		if !ok {
			continue
		}
		for _, n := range podplaySignalList(reply) {
			process(syscall.Signal(podplayFromLinux(n)))
		}
	}
}

// podplaySignalList reads the numbers of a reply {"value":[15,2]}.
func podplaySignalList(reply string) []int {
	const key = `"value":[`
	i := 0
	for ; i+len(key) <= len(reply); i++ {
		if reply[i:i+len(key)] == key {
			break
		}
	}
	var out []int
	n, digits := 0, false
	for i += len(key); i < len(reply) && reply[i] != ']'; i++ {
		if c := reply[i]; c >= '0' && c <= '9' {
			n, digits = n*10+int(c-'0'), true
		} else if digits {
			out, n, digits = append(out, n), 0, false
		}
	}
	if digits {
		out = append(out, n)
	}
	return out
}
