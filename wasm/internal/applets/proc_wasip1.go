//go:build wasip1

package applets

import (
	"syscall"

	"podplay.dev/wasm/guest"
	"podplay.dev/wasm/internal/wasix"
)

// signalChild signals a WASIX child: WASIX numbers signals as Linux does, WASI's syscall.Signal does not past 15.
func signalChild(wasixPid int, sig syscall.Signal) error {
	return wasix.Signal(wasixPid, syscall.Signal(guest.LinuxSignal(sig)))
}
