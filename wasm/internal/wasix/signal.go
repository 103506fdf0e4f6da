//go:build wasip1

package wasix

import (
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// The host calls podplaySignal re-entrantly, in the middle of whatever host
// call the program is in (often poll_oneoff inside the Go scheduler), so it
// must not allocate, lock or touch channels: it sets a bit and writes one
// byte, from static buffers, to the signal pipe that relaySignals reads
// through the netpoller.
var (
	sigMask  atomic.Uint64
	sigWrite atomic.Int32 // write end of the signal pipe, -1 before Notify
	sigByte  [1]byte
	sigIov   [2]uint32 // __wasi_ciovec_t{buf, buf_len}
	sigN     uint32
)

func init() { sigWrite.Store(-1) }

//go:wasmexport podplay_wasix_signal
func podplaySignal(sig int32) {
	if sig <= 0 || sig >= 64 {
		return
	}
	sigMask.Or(1 << uint(sig))
	if fd := sigWrite.Load(); fd >= 0 {
		fd_write(uint32(fd), unsafe.Pointer(&sigIov[0]), 1, unsafe.Pointer(&sigN))
	}
}

var (
	sigMu    sync.Mutex
	sigChans []chan<- syscall.Signal
	sigOnce  sync.Once
	sigErr   error
)

// Notify asks the host to hand this program the signals sent to it, and
// relays each to c (without blocking: a signal is dropped when c is full,
// as with os/signal). The first call makes a pipe and registers an exported
// callback (podplay_wasix_signal) with callback_signal; it cannot be undone.
//
// What changes (measured with @wasmer/sdk 0.16): without a handler the host
// ignores SIGTERM, SIGHUP, SIGUSR1, SIGALRM for a Go program, ends it for
// SIGQUIT (exit 0), SIGPIPE (exit 64) and SIGINT/SIGKILL (exit 27), and a
// write to a pipe with no reader ends the program (exit 64) instead of
// returning EPIPE. With a handler, those signals arrive on c and such a
// write returns EPIPE; SIGKILL and SIGINT still end the program at once.
func Notify(c chan<- syscall.Signal) error {
	sigMu.Lock()
	sigChans = append(sigChans, c)
	sigMu.Unlock()
	sigOnce.Do(func() {
		r, w, err := Pipe()
		if err != nil {
			sigErr = err
			return
		}
		if err := syscall.SetNonblock(w, true); err != nil {
			sigErr = err
			return
		}
		sigIov[0] = addr(unsafe.Pointer(&sigByte[0]))
		sigIov[1] = 1
		sigWrite.Store(int32(w))
		if err := syscall.SetNonblock(r, true); err != nil {
			sigErr = err
			return
		}
		go relaySignals(os.NewFile(uintptr(r), "wasix-signals"))
		name := []byte("podplay_wasix_signal")
		callback_signal(unsafe.Pointer(&name[0]), uint32(len(name)))
	})
	return sigErr
}

func relaySignals(f *os.File) {
	buf := make([]byte, 64)
	for {
		if _, err := f.Read(buf); err != nil {
			return
		}
		mask := sigMask.Swap(0)
		sigMu.Lock()
		chans := append([]chan<- syscall.Signal(nil), sigChans...)
		sigMu.Unlock()
		for s := 1; s < 64; s++ {
			if mask&(1<<uint(s)) == 0 {
				continue
			}
			for _, c := range chans {
				select {
				case c <- syscall.Signal(s):
				default:
				}
			}
		}
	}
}
