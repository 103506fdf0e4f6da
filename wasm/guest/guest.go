// Package guest is a podplay container's side of its control directory,
// /run/podplay: what a program needs of podplay that WASI's filesystem calls
// cannot carry — a file's true metadata (modes, owners, link counts, times),
// symlinks and hard links — answered by podplay from the container's tree.
// The protocol is written down in podplay's docs/architecture.md.
//
// Outside podplay (no /run/podplay/ctl) every function falls back to the os
// package, so a program that uses guest also runs on Linux unchanged.
package guest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
)

// ControlFile is the file requests are written to.
const ControlFile = "/run/podplay/ctl"

var (
	once    sync.Once
	channel *os.File
	mu      sync.Mutex
)

// Available reports whether the program runs in a podplay container.
func Available() bool {
	once.Do(func() {
		f, err := os.OpenFile(ControlFile, os.O_RDWR, 0)
		if err == nil {
			channel = f
		}
	})
	return channel != nil
}

var errnos = map[string]syscall.Errno{
	"ENOENT": syscall.ENOENT, "EEXIST": syscall.EEXIST, "ENOTDIR": syscall.ENOTDIR, "EISDIR": syscall.EISDIR,
	"ENOTEMPTY": syscall.ENOTEMPTY, "ELOOP": syscall.ELOOP, "EINVAL": syscall.EINVAL, "EPERM": syscall.EPERM,
	"EACCES": syscall.EACCES, "EROFS": syscall.EROFS, "ENOSYS": syscall.ENOSYS, "EOPNOTSUPP": syscall.ENOTSUP,
	"E2BIG": syscall.E2BIG, "ESRCH": syscall.ESRCH, "EAGAIN": syscall.EAGAIN, "EBUSY": syscall.EBUSY,
}

// call sends one request and decodes its reply's value into out (when not nil).
func call(req map[string]any, out any) error {
	if !Available() {
		return syscall.ENOSYS
	}
	if _, ok := req["wpid"]; !ok {
		if pid := Pid(); pid > 1 {
			req["wpid"] = pid
		}
	}
	data, err := json.Marshal(req)
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	if _, err := channel.Write(data); err != nil {
		return err
	}
	var buf bytes.Buffer
	chunk := make([]byte, 64*1024)
	for {
		n, err := channel.Read(chunk)
		buf.Write(chunk[:n])
		if n > 0 && bytes.HasSuffix(buf.Bytes(), []byte("\n")) {
			break
		}
		if err == io.EOF || n == 0 {
			break
		}
		if err != nil {
			return err
		}
	}
	var reply struct {
		Value json.RawMessage `json:"value"`
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(buf.Bytes(), &reply); err != nil {
		return errors.New("podplay control: malformed reply: " + err.Error())
	}
	if reply.Error != nil {
		path, _ := req["path"].(string)
		op, _ := req["op"].(string)
		var cause error = errors.New(reply.Error.Message)
		if n, ok := errnos[reply.Error.Code]; ok {
			cause = n
		}
		return &os.PathError{Op: op, Path: path, Err: cause}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(reply.Value, out)
}
