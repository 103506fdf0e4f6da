package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The Go runtime idles on wasip1 by calling poll_oneoff with a relative clock
// subscription of its next timer's delay, which is 0 when a timer is due now
// (it happens once the garbage collector has run). @wasmer/sdk 0.16 blocks
// forever on a zero relative timeout (a one-instruction WAT probe shows it;
// Node's WASI returns at once), so a program that has collected garbage and
// then sleeps never wakes. The build overlays one line of the runtime's
// netpoll_wasip1.go so that the timeout is at least 1 ns.
const (
	netpollFile  = "netpoll_wasip1.go"
	netpollLine  = "clock.timeout = uint64(delay)"
	netpollFixed = "clock.timeout = uint64(max(delay, 1)) // podplay: @wasmer/sdk 0.16 never returns from a zero relative timeout"
)

// A child process's stdin is a WASIX pipe dup2'ed onto fd 0, and @wasmer/sdk
// 0.16 answers a read of it with EAGAIN whenever it is empty, although the
// fd is blocking and its flags cannot be changed; Go's os.Stdin then fails
// with "read /dev/stdin: Try again" (seq 5 | kv set k -). The build routes
// syscall.Read through fdReadWaiting, which waits such an EAGAIN out with
// poll_oneoff, as a blocking read would wait.
const (
	readFile  = "fs_wasip1.go"
	readLine  = "errno := fd_read(int32(fd), makeIOVec(b), 1, &nread)"
	readFixed = "errno := fdReadWaiting(fd, b, &nread) // podplay: @wasmer/sdk 0.16 answers EAGAIN for an empty pipe on a child's fd 0"
	// readWaiting is added to package syscall.
	readWaitingFile = "podplay_stdin_wasip1.go"
	readWaiting     = `//go:build wasip1

package syscall

import (
	"runtime"
	"unsafe"
)

// fdReadWaiting is fd_read, except that an EAGAIN from a blocking fd 0 is
// waited out with poll_oneoff, as a blocking read would be (added by
// podplay's build: see wasm/tools/pack/overlay.go).
func fdReadWaiting(fd int, b []byte, nread *size) Errno {
	for {
		errno := fd_read(int32(fd), makeIOVec(b), 1, nread)
		runtime.KeepAlive(b)
		if errno != EAGAIN || fd != 0 {
			return errno
		}
		if flags, err := fd_fdstat_get_flags(fd); err != nil || flags&FDFLAG_NONBLOCK != 0 {
			return errno
		}
		// One fd_read subscription on fd 0 (userdata 1, eventtype 1), no timeout.
		var sub [48]byte
		sub[0] = 1
		sub[8] = 1
		var ev [32]byte
		var n size
		if e := podplayPollOneoff(unsafe.Pointer(&sub[0]), unsafe.Pointer(&ev[0]), 1, unsafe.Pointer(&n)); e != 0 || n == 0 {
			return errno
		}
	}
}

//go:wasmimport wasi_snapshot_preview1 poll_oneoff
//go:noescape
func podplayPollOneoff(in, out unsafe.Pointer, nsubscriptions uint32, nevents unsafe.Pointer) Errno
`
)

// Go's network on wasip1 is a fake one inside the process; podplay's node
// answers WASIX socket calls, and the build adds _std/net/podplay_wasip1.go
// to package net with two hooks: socket() asks podplaySocket first, and a
// connection accepted from a podplay listener learns its addresses.
const (
	netSocketLine  = "\tfd := &netFD{\n\t\tfamily: family,\n\t\tsotype: sotype,\n\t\tnet:    net,\n\t}\n\tfd.fakeNetFD = newFakeNetFD(fd)\n"
	netSocketFixed = "\tif fd, handled, err := podplaySocket(ctx, net, family, sotype, laddr, raddr); handled { // podplay: the node's sockets\n\t\treturn fd, err\n\t}\n" + netSocketLine
	netAcceptLine  = "\tnetfd = newFD(\"tcp\", d)\n\tif err = netfd.init(); err != nil {\n\t\tnetfd.Close()\n\t\treturn nil, err\n\t}\n"
	netAcceptFixed = netAcceptLine + "\tpodplayAccepted(fd, netfd) // podplay: the node's sockets\n"
	netAddedFile   = "podplay_wasip1.go"
)

// Go's os/signal on wasip1 waits for a signal in a loop of sched_yield (the
// runtime's notetsleepg has no other way to wait there), so any program that
// calls signal.Notify — every web server with a graceful shutdown — spins a
// core and starves its own sockets. The build adds
// _std/os/signal/podplay_wasip1.go, which asks podplay for signals instead
// (through the control file, polled while sleeping), and hooks it in.
const signalAddedFile = "podplay_wasip1.go"

var signalLines = [][2]string{
	{"func loop() {\n\tfor {", "func loop() {\n\tif podplayLoop(process) { // podplay: signals come from the node\n\t\treturn\n\t}\n\tfor {"},
	{"func enableSignal(sig int) {\n\tsignal_enable(uint32(sig))\n", "func enableSignal(sig int) {\n\tsignal_enable(uint32(sig))\n\tpodplaySigaction(sig, \"notify\") // podplay\n"},
	{"func disableSignal(sig int) {\n\tsignal_disable(uint32(sig))\n", "func disableSignal(sig int) {\n\tsignal_disable(uint32(sig))\n\tpodplaySigaction(sig, \"reset\") // podplay\n"},
	{"func ignoreSignal(sig int) {\n\tsignal_ignore(uint32(sig))\n", "func ignoreSignal(sig int) {\n\tsignal_ignore(uint32(sig))\n\tpodplaySigaction(sig, \"ignore\") // podplay\n"},
}

// os.Hostname on wasip1 answers "wasip1"; in a container it is the
// container's hostname (the pod's name), which podplay gives every process
// as $HOSTNAME, as Linux's uname gives it.
const (
	hostnameLine  = "if key == \"kern.hostname\" {\n\t\treturn \"wasip1\", nil"
	hostnameFixed = "if key == \"kern.hostname\" {\n\t\tif h, ok := Getenv(\"HOSTNAME\"); ok && h != \"\" { // podplay: the container's hostname\n\t\t\treturn h, nil\n\t\t}\n\t\treturn \"wasip1\", nil"
)

// The wasip1 port spells network errors as C's strerror does ("Connection
// refused"); Go on Linux, which guests imitate, prints the kernel's words.
var linuxErrors = [][2]string{
	{`EADDRINUSE:      "Address already in use",`, `EADDRINUSE:      "address already in use",`},
	{`EADDRNOTAVAIL:   "Address not available",`, `EADDRNOTAVAIL:   "cannot assign requested address",`},
	{`ECONNABORTED:    "Connection aborted",`, `ECONNABORTED:    "software caused connection abort",`},
	{`ECONNREFUSED:    "Connection refused",`, `ECONNREFUSED:    "connection refused",`},
	{`ECONNRESET:      "Connection reset by peer",`, `ECONNRESET:      "connection reset by peer",`},
	{`EHOSTUNREACH:    "Host is unreachable",`, `EHOSTUNREACH:    "no route to host",`},
	{`ENETUNREACH:     "Network is unreachable",`, `ENETUNREACH:     "network is unreachable",`},
	{`ENOTCONN:        "Socket is not connected",`, `ENOTCONN:        "transport endpoint is not connected",`},
	{`ETIMEDOUT:       "Connection timed out",`, `ETIMEDOUT:       "connection timed out",`},
}

// prepareRuntimeOverlay writes the patched Go files and the -overlay JSON
// that points the build at them; it fails loudly if a patched line has changed.
func prepareRuntimeOverlay(moduleDir, buildDir string) (string, error) {
	out, err := goCmd(buildDir, nil, "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("locating GOROOT: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	dir := filepath.Join(buildDir, "overlay")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	replace := map[string]string{}
	patch := func(pkg, file, why string, lines ...[2]string) error {
		src := filepath.Join(goroot, "src", pkg, file)
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		text := string(data)
		for _, l := range lines {
			if strings.Count(text, l[0]) != 1 {
				return fmt.Errorf("%s: expected the line %q once; has Go changed? Check whether %s is still needed", src, l[0], why)
			}
			text = strings.Replace(text, l[0], l[1], 1)
		}
		patched := filepath.Join(dir, strings.ReplaceAll(pkg, "/", "_")+"_"+file)
		replace[src] = patched
		return os.WriteFile(patched, []byte(text), 0o644)
	}
	add := func(pkg, file string, content []byte) error {
		added := filepath.Join(dir, strings.ReplaceAll(pkg, "/", "_")+"_"+file)
		replace[filepath.Join(goroot, "src", pkg, file)] = added
		return os.WriteFile(added, content, 0o644)
	}
	if err := patch("runtime", netpollFile, "the @wasmer/sdk zero-timeout workaround", [2]string{netpollLine, netpollFixed}); err != nil {
		return "", err
	}
	if err := patch("syscall", readFile, "the @wasmer/sdk stdin workaround", [2]string{readLine, readFixed}); err != nil {
		return "", err
	}
	if err := add("syscall", readWaitingFile, []byte(readWaiting)); err != nil {
		return "", err
	}
	if err := patch("syscall", "tables_wasip1.go", "Linux's words for network errors", linuxErrors...); err != nil {
		return "", err
	}
	if err := patch("net", "net_fake.go", "podplay's sockets", [2]string{netSocketLine, netSocketFixed}); err != nil {
		return "", err
	}
	if err := patch("net", "fd_fake.go", "podplay's sockets", [2]string{netAcceptLine, netAcceptFixed}); err != nil {
		return "", err
	}
	netFile, err := os.ReadFile(filepath.Join(moduleDir, "tools", "pack", "_std", "net", netAddedFile))
	if err != nil {
		return "", err
	}
	if err := add("net", netAddedFile, netFile); err != nil {
		return "", err
	}
	if err := patch("os/signal", "signal_unix.go", "the signal watch loop", signalLines...); err != nil {
		return "", err
	}
	signalFile, err := os.ReadFile(filepath.Join(moduleDir, "tools", "pack", "_std", "os", "signal", signalAddedFile))
	if err != nil {
		return "", err
	}
	if err := add("os/signal", signalAddedFile, signalFile); err != nil {
		return "", err
	}
	if err := patch("syscall", "syscall_wasip1.go", "the container's hostname", [2]string{hostnameLine, hostnameFixed}); err != nil {
		return "", err
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": replace})
	file := filepath.Join(buildDir, "overlay.json")
	return file, os.WriteFile(file, overlay, 0o644)
}
