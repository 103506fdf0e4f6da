package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// shModule is the shell interpreter the toolbox's sh is built on. Its interp
// package keeps in-process pipes (io.Pipe) for js/wasm only and asks wasip1
// for os.Pipe, which wasip1 does not have; and its PATH lookup (command -v,
// type) reads modes with os.Stat, which the WASI bridge answers with 0600.
// The build uses a copy of the module whose two stdin files carry wasip1 in
// their build constraints and whose PATH lookup stats through a variable
// (interp.PathStat) the toolbox points at the control directory.
const shModule = "mvdan.cc/sh/v3"

// prepareWorkspace copies the shell module into buildDir with that one change
// and writes a go.work that points the build at it.
func prepareWorkspace(moduleDir, buildDir string) (string, error) {
	out, err := goCmd(moduleDir, nil, "list", "-m", "-f", "{{.Dir}} {{.Version}}", shModule).Output()
	if err != nil {
		return "", fmt.Errorf("locating %s: %v", shModule, err)
	}
	src, version, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	dst := filepath.Join(buildDir, "mvdan-sh")
	if err := os.RemoveAll(dst); err != nil {
		return "", err
	}
	if err := copyDir(src, dst); err != nil {
		return "", err
	}
	interp := filepath.Join(dst, "interp")
	// A file named *_js.go is limited to GOOS=js by its name, so it is renamed.
	if err := retag(filepath.Join(interp, "stdin_js.go"), filepath.Join(interp, "stdin_inprocess.go"),
		"//go:build js\n", "//go:build js || wasip1\n"); err != nil {
		return "", err
	}
	if err := retag(filepath.Join(interp, "stdin_os.go"), filepath.Join(interp, "stdin_os.go"),
		"//go:build !js\n", "//go:build !js && !wasip1\n"); err != nil {
		return "", err
	}
	// The shell hands a child process the file under a wrapped stdin (jsReader).
	if err := retag(filepath.Join(interp, "stdin_inprocess.go"), filepath.Join(interp, "stdin_inprocess.go"),
		"func (jsReader) SetReadDeadline(t time.Time) error { return nil }\n",
		"func (jsReader) SetReadDeadline(t time.Time) error { return nil }\n\n// Unwrap gives the reader underneath (added by podplay's build).\nfunc (r jsReader) Unwrap() io.Reader { return r.Reader }\n"); err != nil {
		return "", err
	}
	if err := retag(filepath.Join(interp, "handler.go"), filepath.Join(interp, "handler.go"),
		"\tinfo, err := os.Stat(file)\n", "\tinfo, err := PathStat(file)\n"); err != nil {
		return "", err
	}
	pathStat := "package interp\n\nimport \"os\"\n\n// PathStat is how the PATH lookup (command -v, type) reads a file's mode (added by podplay's build).\nvar PathStat = os.Stat\n"
	if err := os.WriteFile(filepath.Join(interp, "pathstat_podplay.go"), []byte(pathStat), 0o644); err != nil {
		return "", err
	}
	work := filepath.Join(buildDir, "go.work")
	rel, _ := filepath.Rel(buildDir, moduleDir)
	goLine := "go 1.24"
	if mod, err := os.ReadFile(filepath.Join(moduleDir, "go.mod")); err == nil {
		for _, l := range strings.Split(string(mod), "\n") {
			if strings.HasPrefix(l, "go ") {
				goLine = l
			}
		}
	}
	text := fmt.Sprintf("%s\n\nuse %s\n\nreplace %s %s => ./mvdan-sh\n", goLine, filepath.ToSlash(rel), shModule, version)
	return work, os.WriteFile(work, []byte(text), 0o644)
}

func retag(from, to, old, new string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if !strings.Contains(string(data), old) {
		return fmt.Errorf("%s: expected build line %q; has %s changed upstream?", from, strings.TrimSpace(old), shModule)
	}
	if from != to {
		if err := os.Remove(from); err != nil {
			return err
		}
	}
	return os.WriteFile(to, []byte(strings.Replace(string(data), old, new, 1)), 0o644)
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// buildProgram compiles ./cmd/<name> for wasip1. -trimpath and -buildvcs=false
// keep the bytes independent of where and in which checkout it was built.
func buildProgram(moduleDir, work, overlay, name, out string) error {
	cmd := goCmd(moduleDir, []string{"GOOS=wasip1", "GOARCH=wasm", "GOWORK=" + work, "CGO_ENABLED=0"},
		"build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-overlay="+overlay, "-o", out, "./cmd/"+name)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building %s: %v", name, err)
	}
	return nil
}

func goCmd(dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}
