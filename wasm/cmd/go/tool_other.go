//go:build !wasip1

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// runProgram runs a toolchain program (this build, for tests of the driver
// on the machine that builds podplay, runs the host's compile and link).
func runProgram(args []string, dir string, env []string) ([]byte, int, error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out, exit.ExitCode(), nil
	}
	return out, 0, err
}

func execProgram(exe string, argv []string) int {
	cmd := exec.Command(exe, argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		fmt.Fprintf(os.Stderr, "exit status %d\n", exit.ExitCode())
		return 1
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "go: %v\n", err)
		return 1
	}
	return 0
}
