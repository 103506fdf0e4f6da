//go:build wasip1

package wasix

import (
	"os"
	"runtime"
	"sync"
	"syscall"
	"unsafe"
)

// Attr describes a child process for Spawn.
type Attr struct {
	// Path names the program: a path (absolute, or relative to the host's
	// working directory — "/" for a podplay container, whatever PWD says),
	// or a bare name looked up in PATH (Env's PATH, else this program's).
	// It may be a wasm module or a "#!" script.
	Path string
	// Argv is the child's argv, argv[0] included, passed exactly (empty
	// strings, spaces and newlines survive). Nil means {Path}.
	Argv []string
	// Env entries ("K=V") are added to the child's environment. The host
	// starts every child from this program's initial environment and
	// cannot remove a variable: an entry overrides one of the same name,
	// nothing more. Set K= to blank a variable.
	Env []string
	// Dir is the child's working directory ("" keeps this program's). A Go
	// wasip1 child takes its directory from PWD, so Spawn also sets
	// PWD=Dir; WASIX children see it through a chdir.
	Dir string
	// Stdin, Stdout and Stderr are fds of this program to become the
	// child's 0, 1 and 2; -1 leaves the child this program's own.
	Stdin, Stdout, Stderr int
	// Files maps further fds: {parent fd, child fd}. The child's 3, 4 and 5
	// are the host's preopened directories and cannot be replaced.
	Files [][2]int
	// InheritFds leaves every other fd of this program open in the child
	// (the host copies the whole fd table). By default Spawn closes, in the
	// child, every fd from 3 up that is not a preopen or named in Files, as
	// os/exec does, so that a pipe end held by this program does not stay
	// open in the child (see the package doc).
	InheritFds bool
}

var (
	procMu sync.Mutex
	procs  = map[int]*proc{}
)

// proc is what Spawn keeps about a child until it is reaped.
type proc struct {
	exit   *os.File // read end of the exit pipe: EOF when the child (and whoever inherited it) has ended
	eof    chan struct{}
	killed syscall.Signal // last fatal signal this program sent it
}

// Spawn starts a child process (proc_spawn3) and returns its pid. The call
// blocks the whole program while the host sets the child up (20-70 ms).
// Wait for every child (Wait or Poll), or its bookkeeping stays.
func Spawn(a Attr) (int, error) {
	argv := a.Argv
	if argv == nil {
		argv = []string{a.Path}
	}
	args, argBuf, err := cstrings(argv)
	if err != nil {
		return 0, err
	}
	env := a.Env
	if a.Dir != "" {
		env = append(env[:len(env):len(env)], "PWD="+a.Dir)
	}
	var envPtr unsafe.Pointer
	var envs []uint32
	var envBuf []byte
	if len(env) > 0 {
		if envs, envBuf, err = cstrings(env); err != nil {
			return 0, err
		}
		envPtr = unsafe.Pointer(&envs[0])
	}

	// The exit pipe: the child keeps the write end, this program the read end.
	er, ew, err := Pipe()
	if err != nil {
		return 0, err
	}
	var ops fdOps
	keep := map[int]bool{ew: true}
	for target, fd := range []int{a.Stdin, a.Stdout, a.Stderr} {
		if fd >= 0 {
			ops.add(fdOpDup2, uint32(target), uint32(fd), nil)
		}
	}
	for _, f := range a.Files {
		ops.add(fdOpDup2, uint32(f[1]), uint32(f[0]), nil)
		keep[f[1]] = true
	}
	if !a.InheritFds {
		for _, fd := range OpenFds(maxScanFd) {
			if fd > 2 && !keep[fd] && !isPreopen(fd) {
				ops.add(fdOpClose, uint32(fd), 0, nil)
			}
		}
	}
	var dir []byte
	if a.Dir != "" {
		dir = []byte(a.Dir)
		ops.add(fdOpChdir, 0, 0, dir)
	}

	name := []byte(a.Path)
	var path []byte
	search := uint32(0)
	if !hasSlash(a.Path) {
		search = 1
		if p, ok := lookupEnv(a.Env, "PATH"); ok {
			path = []byte(p)
		} else if p, ok := syscall.Getenv("PATH"); ok {
			path = []byte(p)
		}
	}
	var pid uint32
	e := proc_spawn3(bytesPtr(name), uint32(len(name)), unsafe.Pointer(&args[0]), uint32(len(argv)), envPtr, uint32(len(env)),
		ops.ptr(), uint32(ops.n), nil, 0, search, bytesPtr(path), uint32(len(path)), unsafe.Pointer(&pid))
	runtime.KeepAlive(argBuf)
	runtime.KeepAlive(envBuf)
	runtime.KeepAlive(envs)
	runtime.KeepAlive(dir)
	runtime.KeepAlive(ops.words)
	syscall.Close(ew)
	if e != 0 {
		syscall.Close(er)
		return 0, spawnError(a.Path, syscall.Errno(e))
	}
	p := &proc{eof: make(chan struct{})}
	if f, err := NewFile(er, "wasix-exit"); err == nil {
		p.exit = f
		go func() {
			var b [16]byte
			for {
				if _, err := f.Read(b[:]); err != nil {
					close(p.eof)
					return
				}
			}
		}()
	} else {
		syscall.Close(er)
	}
	procMu.Lock()
	procs[int(pid)] = p
	procMu.Unlock()
	return int(pid), nil
}

// maxScanFd bounds the fds Spawn closes in a child (the host hands out the
// lowest free fd, so tables stay small; a scan of 1024 takes 1-2 ms).
const maxScanFd = 1024

// spawnError turns the host's answer into what execve(2) would say: the
// host answers ENOEXEC for a missing path, a directory, and a file that is
// neither wasm nor "#!", and ENOENT only for a bare name not found in PATH.
func spawnError(path string, e syscall.Errno) error {
	if e == syscall.ENOEXEC && hasSlash(path) {
		if st, err := os.Stat(path); err != nil {
			return &os.PathError{Op: "spawn", Path: path, Err: syscall.ENOENT}
		} else if st.IsDir() {
			return &os.PathError{Op: "spawn", Path: path, Err: syscall.EACCES}
		}
	}
	return &os.PathError{Op: "spawn", Path: path, Err: e}
}

// Exec replaces this program with the one at path (proc_exec4): same pid,
// same fds, argv exactly as given (nil means {path}), env added as for
// Spawn. The host then reports the new program's output and exit code as
// this one's. Exec returns only on failure (ENOENT for a missing path).
func Exec(path string, argv, env []string) error {
	if argv == nil {
		argv = []string{path}
	}
	args, argBuf, err := cstrings(argv)
	if err != nil {
		return err
	}
	var envPtr unsafe.Pointer
	var envs []uint32
	var envBuf []byte
	if len(env) > 0 {
		if envs, envBuf, err = cstrings(env); err != nil {
			return err
		}
		envPtr = unsafe.Pointer(&envs[0])
	}
	name := []byte(path)
	var p []byte
	search := uint32(0)
	if !hasSlash(path) {
		search = 1
		if v, ok := lookupEnv(env, "PATH"); ok {
			p = []byte(v)
		} else if v, ok := syscall.Getenv("PATH"); ok {
			p = []byte(v)
		}
	}
	e := proc_exec4(bytesPtr(name), uint32(len(name)), unsafe.Pointer(&args[0]), uint32(len(argv)), envPtr, uint32(len(env)), search, bytesPtr(p), uint32(len(p)))
	runtime.KeepAlive(argBuf)
	runtime.KeepAlive(envBuf)
	runtime.KeepAlive(envs)
	return &os.PathError{Op: "exec", Path: path, Err: syscall.Errno(e)}
}

func hasSlash(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			return true
		}
	}
	return false
}

func lookupEnv(env []string, key string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		kv := env[i]
		if len(kv) > len(key) && kv[len(key)] == '=' && kv[:len(key)] == key {
			return kv[len(key)+1:], true
		}
	}
	return "", false
}
