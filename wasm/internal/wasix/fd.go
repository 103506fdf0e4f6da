//go:build wasip1

package wasix

import (
	"os"
	"syscall"
	"unsafe"
)

// Pipe makes a pipe (fd_pipe): bytes written to w are read from r. Host
// pipes have no capacity limit (a write never blocks; a fast writer
// buffers everything in host memory). A read of an empty pipe blocks the
// whole program unless the fd is non-blocking: use NewFile.
func Pipe() (r, w int, err error) {
	var a, b uint32
	if e := fd_pipe(unsafe.Pointer(&a), unsafe.Pointer(&b)); e != 0 {
		return -1, -1, syscall.Errno(e)
	}
	return int(a), int(b), nil
}

// NewFile makes fd non-blocking and wraps it in an *os.File, whose reads
// and writes then wait in Go's netpoller: other goroutines and timers keep
// running, read deadlines work, and EOF arrives when the last write end is
// closed. Do not call the file's Fd method: Go would make fd blocking again.
func NewFile(fd int, name string) (*os.File, error) {
	if err := syscall.SetNonblock(fd, true); err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), name), nil
}

// OpenFds lists this program's open fds below max (fd_fdstat_get on each).
func OpenFds(max int) []int {
	var st [24]byte
	var fds []int
	for fd := 0; fd < max; fd++ {
		if fd_fdstat_get(uint32(fd), unsafe.Pointer(&st[0])) == 0 {
			fds = append(fds, fd)
		}
	}
	return fds
}

func isPreopen(fd int) bool {
	var b [8]byte
	return fd_prestat_get(uint32(fd), unsafe.Pointer(&b[0])) == 0
}
