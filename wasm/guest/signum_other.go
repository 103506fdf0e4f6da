//go:build !wasip1

package guest

import "syscall"

func linuxSignal(s syscall.Signal) int { return int(s) }

func fromLinux(n int) syscall.Signal { return syscall.Signal(n) }
