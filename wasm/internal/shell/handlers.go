package shell

import (
	"context"
	"errors"
	"io/fs"
	"runtime"
	"slices"
	"sync"

	"mvdan.cc/sh/v3/interp"

	"podplay.dev/wasm/guest"
	"podplay.dev/wasm/internal/applets"
)

func init() {
	applets.Exec = runExec
}

// statFile is the interpreter's stat: test -L, -x, -d and the like see the
// container's true metadata through the control directory.
func statFile(_ context.Context, name string, follow bool) (fs.FileInfo, error) {
	if follow {
		return guest.Stat(name)
	}
	return guest.Lstat(name)
}

// access is access(2) for test -r/-w/-x, as root sees it: reading and
// writing are allowed, executing needs an x bit (or a directory).
func access(ctx context.Context, name string, mode interp.AccessMode) error {
	info, err := guest.Stat(name)
	if err != nil {
		return err
	}
	if mode&interp.AccessExec != 0 && !info.IsDir() && info.Mode()&0o111 == 0 {
		return errors.New("permission denied")
	}
	return nil
}

var (
	execMu    sync.Mutex
	execMarks [][]string
)

// markExec notes the command of an exec builtin, so that execCommand
// replaces the process with it rather than starting a child.
func markExec(_ context.Context, args []string) ([]string, error) {
	// The guest has one thread and Go cannot preempt on wasm: a loop that
	// starts background jobs (while :; do sleep 1 & done) would never let
	// them run, so they would never count as processes. Each command gives
	// them a turn, as a fork hands the CPU to the child.
	runtime.Gosched()
	if len(args) > 1 && args[0] == "exec" {
		execMu.Lock()
		execMarks = append(execMarks, slices.Clone(args[1:]))
		execMu.Unlock()
	}
	return args, nil
}

// execNext reports (and forgets) whether args are those of an exec builtin.
func execNext(args []string) bool {
	execMu.Lock()
	defer execMu.Unlock()
	for i, m := range execMarks {
		if slices.Equal(m, args) {
			execMarks = slices.Delete(execMarks, i, i+1)
			return true
		}
	}
	return false
}
