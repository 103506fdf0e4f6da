//go:build wasip1

package wasix

import (
	"fmt"
	"syscall"
	"time"
	"unsafe"
)

// Status is how a child ended, as far as the host tells.
//
// The host reports every end as a normal exit (JoinStatus ExitNormal) with
// the code squeezed through a WASI errno: codes 0-78 arrive intact, 79 and
// above all read 79. A child ended by SIGKILL or SIGINT reads 27, by
// SIGPIPE (or a write to a pipe without readers) 64, by SIGQUIT 0; a Go
// panic or "fatal error: out of memory" is 2.
type Status struct {
	Code int
	// Signal is the fatal signal (SIGKILL or SIGINT) this program sent the
	// child with Signal, when the child then read 27: the host itself
	// never says (JoinStatus ExitSignal is not used), so this is inferred.
	Signal syscall.Signal
}

// Exited reports whether the child ended on its own (not by a signal we sent).
func (s Status) Exited() bool { return s.Signal == 0 }

func (s Status) String() string {
	if s.Signal != 0 {
		return "signal: " + s.Signal.String()
	}
	return fmt.Sprintf("exit status %d", s.Code)
}

// ExitCode is the code a shell would show: 128+signal for a child we
// killed, else Code.
func (s Status) ExitCode() int {
	if s.Signal != 0 {
		return 128 + int(s.Signal)
	}
	return s.Code
}

// Poll reports whether pid has ended, without blocking (proc_join with
// JoinFlags non-blocking); an ended child is reaped.
func Poll(pid int) (st Status, done bool, err error) {
	op := optionPid{tag: 1, pid: uint32(pid)}
	var js joinStatus
	if e := proc_join(unsafe.Pointer(&op), joinNonBlocking, unsafe.Pointer(&js)); e != 0 {
		return st, false, syscall.Errno(e)
	}
	switch js.tag {
	case joinExitNormal, joinExitSignal:
		st.Code = int(js.code)
		if js.tag == joinExitSignal {
			st.Signal = syscall.Signal(js.sig)
		}
	default:
		return st, false, nil
	}
	procMu.Lock()
	p := procs[pid]
	delete(procs, pid)
	procMu.Unlock()
	if p != nil {
		if p.killed != 0 && st.Code == int(syscall.EINTR) && st.Signal == 0 {
			st.Signal = p.killed
		}
		if p.exit != nil {
			p.exit.Close()
		}
	}
	return st, true, nil
}

// Wait waits for pid to end and reaps it, without stalling other
// goroutines. For a child of Spawn it sleeps in the netpoller on the
// child's exit pipe (EOF once the child and whatever inherited the pipe
// have ended) and polls proc_join every 250 ms besides, for when that
// wakeup is late: a waiting parent and sleeping child cost ~0.6 % of a
// core. For another pid it polls proc_join, sleeping 1 ms doubling to
// 50 ms in between (~2.7 %). A blocking proc_join would stall every
// goroutine: the guest is one thread.
func Wait(pid int) (Status, error) {
	procMu.Lock()
	p := procs[pid]
	procMu.Unlock()
	if p != nil && p.exit != nil {
		tick := time.NewTicker(waitFallback)
		defer tick.Stop()
		for {
			st, done, err := Poll(pid)
			if err != nil || done {
				return st, err
			}
			select {
			case <-p.eof:
				return pollWait(pid)
			case <-tick.C:
			}
		}
	}
	return pollWait(pid)
}

// waitFallback is how often Wait polls proc_join while it waits for the
// exit pipe: the pipe's EOF can be late (a grandchild holding it) and, with
// several guests running, @wasmer/sdk sometimes loses a wakeup.
const waitFallback = 250 * time.Millisecond

func pollWait(pid int) (Status, error) {
	d := time.Millisecond
	for {
		st, done, err := Poll(pid)
		if err != nil || done {
			return st, err
		}
		time.Sleep(d)
		d = min(2*d, 50*time.Millisecond)
	}
}

// Signal sends sig to process pid (proc_signal). For a Go child only
// SIGKILL is sure to end it (SIGINT too, unless it is busy computing): see
// Notify for what each signal does. The host answers success even for a
// pid that does not exist.
func Signal(pid int, sig syscall.Signal) error {
	if err := errnoErr(proc_signal(uint32(pid), uint32(sig))); err != nil {
		return err
	}
	if sig == syscall.SIGKILL || sig == syscall.SIGINT {
		procMu.Lock()
		if p := procs[pid]; p != nil {
			p.killed = sig
		}
		procMu.Unlock()
	}
	return nil
}

// Pid is this process's pid (proc_id): 1 for the program the host started.
func Pid() int {
	var p uint32
	proc_id(unsafe.Pointer(&p))
	return int(p)
}
