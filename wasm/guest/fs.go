package guest

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"
	"time"
)

// Sys is a file's metadata as stat(2) gives it; FileInfo.Sys returns it.
type Sys struct {
	Ino    uint64 `json:"ino"`
	Mode   uint32 `json:"mode"` // st_mode: type bits and permission bits
	Nlink  uint64 `json:"nlink"`
	Uid    uint32 `json:"uid"`
	Gid    uint32 `json:"gid"`
	Size   int64  `json:"size"`
	Blocks int64  `json:"blocks"` // 512-byte blocks
	Mtime  int64  `json:"mtime"`  // milliseconds since the epoch
	Target string `json:"target,omitempty"`
}

// stat(2)'s file type bits.
const (
	sIFMT  = 0o170000
	sIFDIR = 0o040000
	sIFLNK = 0o120000
)

// FileInfo is an fs.FileInfo with podplay's true metadata.
type FileInfo struct {
	name string
	st   Sys
}

func (fi *FileInfo) Name() string       { return fi.name }
func (fi *FileInfo) Size() int64        { return fi.st.Size }
func (fi *FileInfo) ModTime() time.Time { return time.UnixMilli(fi.st.Mtime) }
func (fi *FileInfo) IsDir() bool        { return fi.st.Mode&sIFMT == sIFDIR }
func (fi *FileInfo) Sys() any           { return &fi.st }

// Mode converts st_mode to Go's fs.FileMode (type, permission and the setuid, setgid and sticky bits).
func (fi *FileInfo) Mode() fs.FileMode {
	m := fs.FileMode(fi.st.Mode & 0o777)
	switch fi.st.Mode & sIFMT {
	case sIFDIR:
		m |= fs.ModeDir
	case sIFLNK:
		m |= fs.ModeSymlink
	}
	if fi.st.Mode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if fi.st.Mode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if fi.st.Mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// Target is a symlink's target ("" for other files).
func (fi *FileInfo) Target() string { return fi.st.Target }

// SysOf gives podplay's metadata behind an fs.FileInfo, or nil when it is not one of this package's.
func SysOf(fi fs.FileInfo) *Sys {
	if s, ok := fi.Sys().(*Sys); ok {
		return s
	}
	return nil
}

// abs makes p absolute against the working directory (the control directory takes absolute paths).
func abs(p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	wd, err := os.Getwd()
	if err != nil || wd == "" {
		wd = "/"
	}
	return path.Join(wd, p)
}

func statCall(op, name string) (fs.FileInfo, error) {
	var st Sys
	if err := call(map[string]any{"op": op, "path": abs(name)}, &st); err != nil {
		if pe, ok := err.(*os.PathError); ok {
			pe.Path = name
		}
		return nil, err
	}
	return &FileInfo{name: path.Base(name), st: st}, nil
}

// A directory made at the top of the tree while the container runs (mkdir
// /app) is not in podplay's tree: the WASI host serves only the top-level
// directories the image had when the process started, and keeps a new one
// in the process's own filesystem. Calls on paths the control directory
// does not know fall back to the os package there.
func topLevel(name string) bool { return path.Dir(abs(name)) == "/" }

func notThere(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// Lstat is os.Lstat with the file's true metadata: a symlink is itself.
func Lstat(name string) (fs.FileInfo, error) {
	if !Available() {
		return os.Lstat(name)
	}
	fi, err := statCall("lstat", name)
	if notThere(err) {
		if local, lerr := os.Lstat(name); lerr == nil {
			return local, nil
		}
	}
	return fi, err
}

// Stat is os.Stat with the file's true metadata (symlinks followed).
func Stat(name string) (fs.FileInfo, error) {
	if !Available() {
		return os.Stat(name)
	}
	fi, err := statCall("stat", name)
	if notThere(err) {
		if local, lerr := os.Stat(name); lerr == nil {
			return local, nil
		}
	}
	return fi, err
}

// Readlink is os.Readlink.
func Readlink(name string) (string, error) {
	if !Available() {
		return os.Readlink(name)
	}
	var target string
	if err := call(map[string]any{"op": "readlink", "path": abs(name)}, &target); err != nil {
		return "", rename(err, "readlink", name)
	}
	return target, nil
}

// Realpath resolves every symlink of name (as realpath(3)).
func Realpath(name string) (string, error) {
	if !Available() {
		return evalSymlinks(name)
	}
	var real string
	if err := call(map[string]any{"op": "realpath", "path": abs(name)}, &real); err != nil {
		return "", rename(err, "realpath", name)
	}
	return real, nil
}

// DirEntry is an fs.DirEntry whose Info is the entry's true metadata.
type DirEntry struct{ info *FileInfo }

func (d DirEntry) Name() string               { return d.info.name }
func (d DirEntry) IsDir() bool                { return d.info.IsDir() }
func (d DirEntry) Type() fs.FileMode          { return d.info.Mode().Type() }
func (d DirEntry) Info() (fs.FileInfo, error) { return d.info, nil }

// ReadDir is os.ReadDir (sorted by name) with each entry's metadata read at once.
func ReadDir(name string) ([]fs.DirEntry, error) {
	if !Available() {
		return os.ReadDir(name)
	}
	var entries []struct {
		Name string `json:"name"`
		Sys
	}
	if err := call(map[string]any{"op": "readdir", "path": abs(name)}, &entries); err != nil {
		if notThere(err) {
			if local, lerr := os.ReadDir(name); lerr == nil {
				return local, nil
			}
		}
		return nil, rename(err, "open", name)
	}
	out := make([]fs.DirEntry, len(entries))
	for i, e := range entries {
		out[i] = DirEntry{&FileInfo{name: e.Name, st: e.Sys}}
	}
	return out, nil
}

// Symlink is os.Symlink.
func Symlink(target, name string) error {
	if !Available() {
		return os.Symlink(target, name)
	}
	return linkErr(call(map[string]any{"op": "symlink", "target": target, "path": abs(name)}, nil), "symlink", target, name)
}

// Link is os.Link (a hard link).
func Link(oldname, newname string) error {
	if !Available() {
		return os.Link(oldname, newname)
	}
	return linkErr(call(map[string]any{"op": "link", "target": abs(oldname), "path": abs(newname)}, nil), "link", oldname, newname)
}

// Chmod is os.Chmod: it follows symlinks.
func Chmod(name string, mode fs.FileMode) error {
	if !Available() {
		return os.Chmod(name, mode)
	}
	return rename(call(map[string]any{"op": "chmod", "path": abs(name), "mode": unixMode(mode)}, nil), "chmod", name)
}

// Chown is os.Chown (-1 leaves an id as it is); Lchown does not follow a symlink.
func Chown(name string, uid, gid int) error {
	if !Available() {
		return os.Chown(name, uid, gid)
	}
	return rename(call(map[string]any{"op": "chown", "path": abs(name), "uid": uid, "gid": gid}, nil), "chown", name)
}

// Lchown is os.Lchown.
func Lchown(name string, uid, gid int) error {
	if !Available() {
		return os.Lchown(name, uid, gid)
	}
	return rename(call(map[string]any{"op": "chown", "path": abs(name), "uid": uid, "gid": gid, "follow": false}, nil), "lchown", name)
}

// Chtimes sets a file's modification time (podplay keeps no access time).
func Chtimes(name string, atime, mtime time.Time) error {
	if !Available() {
		return os.Chtimes(name, atime, mtime)
	}
	return rename(call(map[string]any{"op": "utimes", "path": abs(name), "mtime": mtime.UnixMilli()}, nil), "chtimes", name)
}

// Lchtimes sets a symlink's own modification time.
func Lchtimes(name string, mtime time.Time) error {
	if !Available() {
		return nil
	}
	return rename(call(map[string]any{"op": "utimes", "path": abs(name), "mtime": mtime.UnixMilli(), "follow": false}, nil), "lchtimes", name)
}

func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

// rename gives an error the op and path the caller used.
func rename(err error, op, name string) error {
	if pe, ok := err.(*os.PathError); ok {
		pe.Op, pe.Path = op, name
	}
	return err
}

func linkErr(err error, op, oldname, newname string) error {
	if pe, ok := err.(*os.PathError); ok {
		return &os.LinkError{Op: op, Old: oldname, New: newname, Err: pe.Err}
	}
	return err
}

// evalSymlinks is realpath(3) for the fallback.
func evalSymlinks(name string) (string, error) {
	p := abs(name)
	out := "/"
	parts := strings.Split(strings.Trim(p, "/"), "/")
	for hops := 0; len(parts) > 0; {
		c := parts[0]
		parts = parts[1:]
		if c == "" || c == "." {
			continue
		}
		if c == ".." {
			out = path.Dir(out)
			continue
		}
		next := path.Join(out, c)
		fi, err := os.Lstat(next)
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			out = next
			continue
		}
		if hops++; hops > 40 {
			return "", &os.PathError{Op: "realpath", Path: name, Err: syscall.ELOOP}
		}
		t, err := os.Readlink(next)
		if err != nil {
			return "", err
		}
		if path.IsAbs(t) {
			out = "/"
		}
		parts = append(strings.Split(strings.Trim(t, "/"), "/"), parts...)
	}
	return out, nil
}

// Mkdir is os.Mkdir with the mode kept as given (no umask in podplay).
func Mkdir(name string, mode fs.FileMode) error {
	if !Available() || topLevel(name) {
		return os.Mkdir(name, mode)
	}
	return rename(call(map[string]any{"op": "mkdir", "path": abs(name), "mode": unixMode(mode)}, nil), "mkdir", name)
}

// Remove is os.Remove: a file, a symlink or an empty directory.
func Remove(name string) error {
	if !Available() {
		return os.Remove(name)
	}
	err := call(map[string]any{"op": "remove", "path": abs(name)}, nil)
	if notThere(err) && os.Remove(name) == nil {
		return nil
	}
	return rename(err, "remove", name)
}

// RemoveAll is os.RemoveAll: name and everything under it; a missing name is no error.
func RemoveAll(name string) error {
	if !Available() {
		return os.RemoveAll(name)
	}
	err := call(map[string]any{"op": "remove", "path": abs(name), "recursive": true}, nil)
	if notThere(err) {
		return os.RemoveAll(name)
	}
	return rename(err, "unlinkat", name)
}
