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

// prepareRuntimeOverlay writes the patched runtime file and the -overlay
// JSON that points the build at it; it fails loudly if the line has changed.
func prepareRuntimeOverlay(buildDir string) (string, error) {
	out, err := goCmd(buildDir, nil, "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("locating GOROOT: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "src", "runtime", netpollFile)
	data, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	if strings.Count(string(data), netpollLine) != 1 {
		return "", fmt.Errorf("%s: expected the line %q once; has the Go runtime changed? Check whether the @wasmer/sdk zero-timeout workaround is still needed", src, netpollLine)
	}
	patched := filepath.Join(buildDir, "overlay", netpollFile)
	if err := os.MkdirAll(filepath.Dir(patched), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(patched, []byte(strings.Replace(string(data), netpollLine, netpollFixed, 1)), 0o644); err != nil {
		return "", err
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {src: patched}})
	file := filepath.Join(buildDir, "overlay.json")
	return file, os.WriteFile(file, overlay, 0o644)
}
