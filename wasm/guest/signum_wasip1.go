//go:build wasip1

package guest

import "syscall"

// WASI numbers signals as Linux does up to SIGTERM (15) and leaves out
// SIGSTKFLT (16) after it; podplay speaks Linux's numbers.
func linuxSignal(s syscall.Signal) int {
	if s >= 16 {
		return int(s) + 1
	}
	return int(s)
}

func fromLinux(n int) syscall.Signal {
	if n >= 17 {
		return syscall.Signal(n - 1)
	}
	return syscall.Signal(n)
}
