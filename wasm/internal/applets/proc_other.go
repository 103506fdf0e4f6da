//go:build !wasip1

package applets

import "syscall"

func signalChild(wasixPid int, sig syscall.Signal) error { return syscall.Kill(wasixPid, sig) }
