// Command go is the go command of the podplay/golang image: it builds and
// runs Go programs inside a podplay container, where the Go toolchain's own
// compile and link (built for wasip1) run as child processes and the
// standard library comes precompiled for wasip1/wasm, so std is never
// rebuilt. It loads packages with go/build and go.mod files with
// golang.org/x/mod, the way cmd/go does; docs/golang.md says what it covers.
//
//	go build [-o output] [build flags] [packages]
//	go run [build flags] package|files [arguments...]
//	go version | go env [-json] [var ...] | go mod init [path] | go mod tidy
package main

import (
	"fmt"
	"os"
	"runtime"
)

const usage = `Go is a tool for managing Go source code.

Usage:

	go <command> [arguments]

The commands are:

	build       compile packages and dependencies
	env         print Go environment information
	list        list packages
	mod         module maintenance
	run         compile and run Go program
	version     print Go version

podplay/golang has the commands above; test, get, install, vet, fmt, doc,
generate and tool are not in it (there is no network and no Go source tree
in the image).

Use "go help <command>" for more information about a command.
`

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return cmdBuild(rest)
	case "run":
		return cmdRun(rest)
	case "version":
		return cmdVersion(rest)
	case "env":
		return cmdEnv(rest)
	case "list":
		return cmdList(rest)
	case "mod":
		return cmdMod(rest)
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
		return 0
	case "test", "get", "install", "vet", "fmt", "doc", "generate", "tool", "work", "clean", "bug", "fix", "telemetry":
		fmt.Fprintf(os.Stderr, "go %s: not available in podplay/golang, which has go build, run, list, env, version and mod init/tidy.\n", cmd)
		return 2
	}
	fmt.Fprintf(os.Stderr, "go %s: unknown command\nRun 'go help' for usage.\n", cmd)
	return 2
}

func cmdVersion(args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(os.Stderr, "go: go version with arguments (reading a binary's build information) is not available in podplay/golang\n")
		return 2
	}
	fmt.Printf("go version %s %s/%s\n", runtime.Version(), targetOS, targetArch)
	return 0
}

// The platform the toolchain in the image builds for (and runs on).
const (
	targetOS   = "wasip1"
	targetArch = "wasm"
)

// fatalf prints a go-command error ("go: …") and exits 1, as cmd/go's base.Fatalf does.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "go: "+format+"\n", args...)
	os.Exit(1)
}
