//go:build wasip1

package wasix

import (
	"encoding/binary"
	"syscall"
	"unsafe"
)

// The host calls used here, as @wasmer/sdk 0.16.0 (wasmer-wasix 0.704.0,
// wasmer git 76e0028) implements them. Pointers are wasm32 addresses; each
// call returns a WASI errno (the numbering of syscall.Errno on wasip1).

// fd_pipe(fd1 *u32, fd2 *u32): fd1 is the read end, fd2 the write end.
//
//go:wasmimport wasix_32v1 fd_pipe
//go:noescape
func fd_pipe(fd1, fd2 unsafe.Pointer) uint32

// proc_spawn3(name, name_len, args, args_len, envs, envs_len, fd_ops,
// fd_ops_len, signal_actions, signal_actions_len, search_path, path,
// path_len, ret_pid *u32). args and envs are arrays of wasm32 pointers to
// NUL-terminated strings, *_len counting elements; envs == 0 means no
// additions. fd_ops is an array of fdOpSize-byte ops, signal_actions of
// 2-byte {sig u8, disp u8} (disp 0 default, 1 ignore).
//
//go:wasmimport wasix_32v1 proc_spawn3
//go:noescape
func proc_spawn3(name unsafe.Pointer, nameLen uint32, args unsafe.Pointer, argsLen uint32, envs unsafe.Pointer, envsLen uint32, fdOps unsafe.Pointer, fdOpsLen uint32, sigs unsafe.Pointer, sigsLen uint32, searchPath uint32, path unsafe.Pointer, pathLen uint32, pid unsafe.Pointer) uint32

// proc_exec4(name, name_len, args, args_len, envs, envs_len, search_path,
// path, path_len): lists as for proc_spawn3; returns only on failure.
//
//go:wasmimport wasix_32v1 proc_exec4
//go:noescape
func proc_exec4(name unsafe.Pointer, nameLen uint32, args unsafe.Pointer, argsLen uint32, envs unsafe.Pointer, envsLen uint32, searchPath uint32, path unsafe.Pointer, pathLen uint32) uint32

// proc_join(pid *OptionPid, flags u32, status *JoinStatus).
//
//go:wasmimport wasix_32v1 proc_join
//go:noescape
func proc_join(pid unsafe.Pointer, flags uint32, status unsafe.Pointer) uint32

// proc_signal(pid u32, signal u8).
//
//go:wasmimport wasix_32v1 proc_signal
func proc_signal(pid uint32, sig uint32) uint32

//go:wasmimport wasix_32v1 proc_id
//go:noescape
func proc_id(pid unsafe.Pointer) uint32

//go:wasmimport wasix_32v1 callback_signal
//go:noescape
func callback_signal(name unsafe.Pointer, nameLen uint32)

//go:wasmimport wasi_snapshot_preview1 fd_fdstat_get
//go:noescape
func fd_fdstat_get(fd uint32, stat unsafe.Pointer) uint32

//go:wasmimport wasi_snapshot_preview1 fd_prestat_get
//go:noescape
func fd_prestat_get(fd uint32, prestat unsafe.Pointer) uint32

//go:wasmimport wasi_snapshot_preview1 fd_write
//go:noescape
func fd_write(fd uint32, iovs unsafe.Pointer, iovsLen uint32, nwritten unsafe.Pointer) uint32

// JoinFlags (u32).
const (
	joinNonBlocking = 1 << 0
	joinWakeStopped = 1 << 1
)

// JoinStatusType (u8), the tag of JoinStatus.
const (
	joinNothing    = 0
	joinExitNormal = 1
	joinExitSignal = 2
	joinStopped    = 3
)

// optionPid is __wasi_option_pid_t: tag u8 @0 (0 none, 1 some), pid u32 @4; 8 bytes.
type optionPid struct {
	tag uint8
	_   [3]uint8
	pid uint32
}

// joinStatus is __wasi_join_status_t: tag u8 @0, then @2 a union of
// exit_normal (errno u16), exit_signal ({exit_code u16, signal u8}) and
// stopped (signal u8); 6 bytes, align 2. The host writes exit_normal as an
// Errno, so exit codes of 79 and more come back as 79 (Errno::Unknown).
type joinStatus struct {
	tag  uint8
	_    uint8
	code uint16
	sig  uint8
	_    uint8
}

// ProcSpawnFdOpName (u8).
const (
	fdOpClose  = 0
	fdOpDup2   = 1
	fdOpOpen   = 2
	fdOpChdir  = 3
	fdOpFchdir = 4
)

// fdOpSize is sizeof(__wasi_proc_spawn_fd_op_t) on wasm32: cmd u8 @0,
// fd u32 @4, src_fd u32 @8, path ptr @12, path_len u32 @16, dirflags u32
// @20, oflags u16 @24, fs_rights_base u64 @32, fs_rights_inheriting u64 @40,
// fdflags u16 @48, fdflagsext u8 @50; align 8. dup2 copies src_fd onto fd;
// close closes fd; chdir uses path.
const fdOpSize = 56

// fdOps builds a proc_spawn3 fd_ops array in 8-byte-aligned memory.
type fdOps struct {
	words []uint64
	n     int
}

func (o *fdOps) add(cmd uint8, fd, src uint32, path []byte) {
	if (o.n+1)*fdOpSize > len(o.words)*8 {
		o.words = append(o.words, make([]uint64, max(len(o.words), fdOpSize/8*4))...)
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&o.words[0])), len(o.words)*8)[o.n*fdOpSize:][:fdOpSize]
	clear(b)
	b[0] = cmd
	binary.LittleEndian.PutUint32(b[4:], fd)
	binary.LittleEndian.PutUint32(b[8:], src)
	if len(path) > 0 {
		binary.LittleEndian.PutUint32(b[12:], addr(unsafe.Pointer(&path[0])))
		binary.LittleEndian.PutUint32(b[16:], uint32(len(path)))
	}
	o.n++
}

func (o *fdOps) ptr() unsafe.Pointer {
	if o.n == 0 {
		return nil
	}
	return unsafe.Pointer(&o.words[0])
}

// addr is the wasm32 address of p (Go's pointers on wasm are 64-bit values
// holding 32-bit linear-memory addresses).
func addr(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

func errnoErr(e uint32) error {
	if e == 0 {
		return nil
	}
	return syscall.Errno(e)
}

// cstrings lays ss out as NUL-terminated strings in one buffer and returns
// the wasm32 pointer array to them (one extra 0 entry, so it is never
// empty); both must stay alive for the call.
func cstrings(ss []string) (ptrs []uint32, buf []byte, err error) {
	n := 0
	for _, s := range ss {
		for i := 0; i < len(s); i++ {
			if s[i] == 0 {
				return nil, nil, syscall.EINVAL
			}
		}
		n += len(s) + 1
	}
	buf = make([]byte, n+1)
	ptrs = make([]uint32, len(ss)+1)
	at := 0
	for i, s := range ss {
		copy(buf[at:], s)
		ptrs[i] = addr(unsafe.Pointer(&buf[at]))
		at += len(s) + 1
	}
	return ptrs, buf, nil
}

func bytesPtr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}
