//go:build wasip1

package applets

import (
	"syscall"

	"podplay.dev/wasm/internal/wasix"
)

func signalChild(wasixPid int, sig syscall.Signal) error { return wasix.Signal(wasixPid, sig) }
