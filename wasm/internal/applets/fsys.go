package applets

import (
	"bufio"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"podplay.dev/wasm/guest"
)

// The file applets read metadata through podplay's control directory (package
// guest): the WASI bridge alone shows every file as 0600, owned by root, with
// one link, dated 1970, and resolves symlinks as if they were their targets.

func lstat(p string) (fs.FileInfo, error)      { return guest.Lstat(p) }
func statFollow(p string) (fs.FileInfo, error) { return guest.Stat(p) }

// sysOf gives a FileInfo's stat(2) fields (zero values when the host has none).
func sysOf(fi fs.FileInfo) guest.Sys {
	if s := guest.SysOf(fi); s != nil {
		return *s
	}
	return guest.Sys{Nlink: 1, Size: fi.Size()}
}

var (
	idsOnce sync.Once
	users   map[uint32]string
	groups  map[uint32]string
	userIDs map[string]uint32
	groupID map[string]uint32
)

// readIDs reads the container's /etc/passwd and /etc/group (name:x:id:…).
func readIDs() {
	idsOnce.Do(func() {
		users, userIDs = readIDFile("/etc/passwd")
		groups, groupID = readIDFile("/etc/group")
	})
}

func readIDFile(p string) (map[uint32]string, map[string]uint32) {
	byID, byName := map[uint32]string{}, map[string]uint32{}
	f, err := os.Open(p)
	if err != nil {
		return byID, byName
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), ":")
		if len(parts) < 3 {
			continue
		}
		id, err := strconv.ParseUint(parts[2], 10, 32)
		if err != nil {
			continue
		}
		if _, ok := byID[uint32(id)]; !ok {
			byID[uint32(id)] = parts[0]
		}
		byName[parts[0]] = uint32(id)
	}
	return byID, byName
}

// userName is the name of uid, or the number when /etc/passwd has none.
func userName(uid uint32) string {
	readIDs()
	if n, ok := users[uid]; ok {
		return n
	}
	return strconv.FormatUint(uint64(uid), 10)
}

func groupName(gid uint32) string {
	readIDs()
	if n, ok := groups[gid]; ok {
		return n
	}
	return strconv.FormatUint(uint64(gid), 10)
}

// lookupUser gives the uid for a name or number.
func lookupUser(s string) (uint32, bool) {
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		return uint32(n), true
	}
	readIDs()
	id, ok := userIDs[s]
	return id, ok
}

func lookupGroup(s string) (uint32, bool) {
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		return uint32(n), true
	}
	readIDs()
	id, ok := groupID[s]
	return id, ok
}

// modeString is ls -l's mode column, setuid/setgid/sticky included.
func modeString(m fs.FileMode) string {
	kind := byte('-')
	switch {
	case m.IsDir():
		kind = 'd'
	case m&fs.ModeSymlink != 0:
		kind = 'l'
	case m&fs.ModeNamedPipe != 0:
		kind = 'p'
	case m&fs.ModeSocket != 0:
		kind = 's'
	case m&fs.ModeCharDevice != 0:
		kind = 'c'
	case m&fs.ModeDevice != 0:
		kind = 'b'
	}
	const rwx = "rwxrwxrwx"
	b := []byte{kind}
	for i := 0; i < 9; i++ {
		if m&(1<<uint(8-i)) != 0 {
			b = append(b, rwx[i])
		} else {
			b = append(b, '-')
		}
	}
	special := func(i int, set bool, on, off byte) {
		if !set {
			return
		}
		if b[i] == 'x' {
			b[i] = on
		} else {
			b[i] = off
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's', 'S')
	special(6, m&fs.ModeSetgid != 0, 's', 'S')
	special(9, m&fs.ModeSticky != 0, 't', 'T')
	return string(b)
}

// humanSize is busybox's -h size: bytes below 1024, else one decimal and a unit (1.5K, 1024.0K, 754.8M).
func humanSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10)
	}
	const units = "KMGTPE"
	v := float64(n) / 1024
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + string(units[i])
}
