package guest

import (
	"os"
	"syscall"
	"time"
)

// wasip1 programs cannot install signal handlers, so a podplay container's
// process says through the control directory what it does with a signal, as
// sigaction(2) would, and podplay acts on it when the signal comes (docker
// stop, kubectl delete, docker kill -s): see docs/architecture.md#signals.
// Without a declaration a Go program gets Go's runtime's behaviour (SIGTERM,
// SIGINT and SIGHUP end it; as PID 1 with status 2) and any other program
// the kernel's default, which PID 1 is spared.

func sigaction(action string, extra map[string]any, sigs []syscall.Signal) error {
	nums := make([]int, len(sigs))
	for i, s := range sigs {
		nums[i] = linuxSignal(s)
	}
	req := map[string]any{"op": "sigaction", "signals": nums, "action": action}
	for k, v := range extra {
		req[k] = v
	}
	return call(req, nil)
}

// DefaultSignals gives sigs the kernel's default action, as a C program
// that installs no handler has (busybox's applets): as PID 1 it ignores them.
func DefaultSignals(sigs ...syscall.Signal) error { return sigaction("default", nil, sigs) }

// IgnoreSignals ignores sigs (signal.Ignore).
func IgnoreSignals(sigs ...syscall.Signal) error { return sigaction("ignore", nil, sigs) }

// ExitOnSignals makes sigs end the program with status after message is
// written to stderr, as a handler that prints and exits would (the pause
// container's).
func ExitOnSignals(status int, message string, sigs ...syscall.Signal) error {
	return sigaction("exit", map[string]any{"status": status, "message": message}, sigs)
}

// PollInterval is how often Notify asks podplay for signals.
var PollInterval = 250 * time.Millisecond

// Notify is signal.Notify for podplay: sigs are sent on c when they come, so
// a program can shut down gracefully (finish requests, run its preStop work)
// and exit. Outside podplay it does nothing: use os/signal there.
func Notify(c chan<- os.Signal, sigs ...syscall.Signal) error {
	if !Available() {
		return nil
	}
	if err := sigaction("notify", nil, sigs); err != nil {
		return err
	}
	go func() {
		for {
			time.Sleep(PollInterval)
			var got []int
			if err := call(map[string]any{"op": "signals"}, &got); err != nil {
				return
			}
			for _, s := range got {
				c <- fromLinux(s)
			}
		}
	}()
	return nil
}
