package guest

import "syscall"

// Process is a process of the container, as ps lists it.
type Process struct {
	Pid     int      `json:"pid"`
	Ppid    int      `json:"ppid"`
	Argv    []string `json:"argv"`
	Started int64    `json:"started"` // ms since the epoch
}

// Processes lists the container's processes (podplay's process table).
func Processes() ([]Process, error) {
	var ps []Process
	err := call(map[string]any{"op": "ps"}, &ps)
	return ps, err
}

// Fork reserves a container pid for a process about to start (a child or a
// background job): syscall.EAGAIN at the container's pids limit. env holds
// what a child must be given to be counted with the container.
func Fork(argv []string) (pid int, env map[string]string, err error) {
	var r struct {
		Pid int               `json:"pid"`
		Env map[string]string `json:"env"`
	}
	if err := call(map[string]any{"op": "fork", "argv": argv}, &r); err != nil {
		return 0, nil, unwrapErrno(err)
	}
	return r.Pid, r.Env, nil
}

// Forked records the WASIX pid of a child started for a Fork'd pid.
func Forked(pid, wasixPid int) error {
	return call(map[string]any{"op": "forked", "pid": pid, "wasix": wasixPid}, nil)
}

// Exited frees a Fork'd pid. It gives the signal podplay killed the
// process with (SIGKILL from the container's memory limit), or 0.
func Exited(pid int) (signal int, err error) {
	var r *struct {
		Signal int `json:"signal"`
	}
	if err := call(map[string]any{"op": "exit", "pid": pid}, &r); err != nil || r == nil {
		return 0, err
	}
	return r.Signal, nil
}

// Execing tells podplay the calling process is about to exec path: its
// signal handlers are reset, and its runtime is the new program's.
func Execing(path string, argv []string) error {
	return call(map[string]any{"op": "exec", "path": path, "argv": argv}, nil)
}

// Kill sends sig to container pid. podplay delivers it itself, or gives
// the WASIX pid the caller must signal (a child in its own sandbox).
func Kill(pid int, sig syscall.Signal) (wasixPid int, err error) {
	var r struct {
		Delivered bool `json:"delivered"`
		Wasix     int  `json:"wasix"`
	}
	if err := call(map[string]any{"op": "kill", "pid": pid, "signal": linuxSignal(sig)}, &r); err != nil {
		return 0, unwrapErrno(err)
	}
	if r.Delivered {
		return 0, nil
	}
	return r.Wasix, nil
}

// LinuxSignal gives Linux's number for sig (WASI numbers some differently).
func LinuxSignal(sig syscall.Signal) int { return linuxSignal(sig) }

// SignalFromLinux gives the syscall.Signal for Linux's number n.
func SignalFromLinux(n int) syscall.Signal { return fromLinux(n) }

func unwrapErrno(err error) error {
	if pe, ok := err.(interface{ Unwrap() error }); ok {
		if n, ok := pe.Unwrap().(syscall.Errno); ok {
			return n
		}
	}
	return err
}
