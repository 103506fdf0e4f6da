//go:build wasip1

// Package wasix gives a Go wasip1 program real child processes through the
// WASIX calls of @wasmer/sdk 0.16.0 (wasmer-wasix 0.704.0): Pipe, Spawn,
// Wait/Poll, Signal, Exec and Notify. Everything below was measured with
// podplay's runner in Node 20 and Chromium; docs/guest.md says what users see.
//
// # Processes
//
// A child shares the container's filesystem (the host's mounts) and runs in
// its own SDK worker thread. Spawn passes argv exactly (argv[0] included,
// empty strings, spaces, newlines). The environment cannot be made exact:
// the host starts every child from this program's initial environment
// (os.Setenv/Unsetenv here change nothing) and Attr.Env only adds or
// overrides entries. A Go child takes its working directory from PWD, which
// Spawn sets from Attr.Dir. A "#!" script runs its interpreter.
//
// Spawn blocks the whole program for 20-70 ms (the host reads the child's
// module through the filesystem bridge on every spawn; the first spawn of a
// module also stalls this program ~200 ms more while it is compiled).
//
// # File descriptors
//
// The host copies this program's whole fd table into the child. A copy of a
// pipe's write end left open in a child means the reader never sees EOF (a
// child holding the write end of its own stdin pipe waits forever); a copy
// of a read end means writers never see EPIPE. So by default Spawn closes
// in the child every fd from 3 up that is not a preopen (3, 4, 5 are the
// host's preopened directories) and not given in Attr.Files; this program
// must still close its own copies of the ends it handed over, right after
// Spawn. Attr.InheritFds keeps the host's behaviour.
//
// Host pipes have no capacity limit: writes never block, a fast writer
// buffers everything in host memory. A read of an empty pipe blocks the
// whole program unless the fd is non-blocking; NewFile makes it so and
// hands the fd to Go's netpoller, so other goroutines and timers run while
// it waits (this needs the runtime overlay of wasm/tools/pack: without it
// the scheduler's zero timeout makes the host wait for data, not timers).
// Throughput through a cat-like child: ~180-245 MB/s.
//
// Known host bugs a user must plan for:
//   - A pipe given to a child as its fd 0 reads EAGAIN ("Try again") when
//     empty, though the fd is blocking and its flags cannot be changed. A Go
//     child then fails reading stdin unless it is built with podplay's
//     syscall overlay (see FINDINGS.md), which waits with poll_oneoff. The
//     same pipe at any other fd number blocks correctly.
//   - A write to a pipe with no reader ends the writing program at once with
//     exit status 64 (EPIPE); it never returns EPIPE, unless the program has
//     called Notify (then it does).
//   - While new SDK worker threads are being created (the first few
//     concurrent children of a runner), a sleeping child's timer can be held
//     up until its parent's next host call, or ~10 s.
//
// # Exit status
//
// The host squeezes an exit code through a WASI errno: 0-78 arrive intact,
// 79 and above all read 79. A child ended by SIGKILL or SIGINT reads 27, by
// SIGPIPE 64, by SIGQUIT 0; a Go panic or "fatal error: out of memory" 2.
// Status.Signal is inferred from the signals this program sent (see Status).
// Wait for every child (Wait or Poll) so its exit pipe is released.
//
// # Signals
//
// Only SIGKILL always ends a Go child; without Notify the host ignores
// SIGTERM, SIGHUP, SIGUSR1 and SIGALRM. A program that calls Notify receives
// those (and SIGPIPE) on a channel, e.g. to kill its own children on
// SIGTERM: the host's Process.terminate(grace) sends SIGTERM, but killing a
// program from the host does not end its children (a CPU-bound orphan keeps
// running).
package wasix
