package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// The podplay/golang image: Go's own compile and link built for wasip1, the
// standard library precompiled for wasip1/wasm (every package a program can
// import, with the runtime overlay podplay's programs get), and the go
// command of wasm/cmd/go, FROM podplay/toolbox. Laid out as the official
// golang images are (/usr/local/go, GOPATH=/go), except that the std
// archives are under /usr/local/go/pkg/wasip1_wasm as before Go 1.20.
const golangRoot = "usr/local/go"

// toolchain is what the packer builds for the golang image.
type toolchain struct {
	compile, link, goCmd []byte
	std                  map[string][]byte // import path → archive
	guest                map[string][]byte // path in podplay.dev/wasm → source, for the module cache
}

// The packages of this module a user's program may import (podplay.dev/wasm/
// incluster, .../guest) use only the standard library. podplay/golang's module
// cache holds them as module podplay.dev/wasm at guestModuleVersion, so that
// `require podplay.dev/wasm v0.1.0` in a go.mod builds in the tab, offline.
const guestModuleVersion = "v0.1.0"

var guestPackages = []string{"guest", "incluster"}

// readGuestModule reads the guest packages' Go files (not tests) from the module.
func readGuestModule(moduleDir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, pkg := range guestPackages {
		names, err := filepath.Glob(filepath.Join(moduleDir, pkg, "*.go"))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			data, err := os.ReadFile(name)
			if err != nil {
				return nil, err
			}
			out[pkg+"/"+filepath.Base(name)] = data
		}
	}
	return out, nil
}

// buildToolchain compiles cmd/compile and cmd/link for wasip1 and the
// standard library's archives, all with -trimpath so that the bytes depend
// only on the Go version and the overlay.
func buildToolchain(moduleDir, work, overlay, buildDir string, goCmd []byte) (*toolchain, error) {
	guest, err := readGuestModule(moduleDir)
	if err != nil {
		return nil, err
	}
	tc := &toolchain{goCmd: goCmd, std: map[string][]byte{}, guest: guest}
	for _, t := range []struct {
		pkg string
		out *[]byte
	}{{"cmd/compile", &tc.compile}, {"cmd/link", &tc.link}} {
		p := filepath.Join(buildDir, "bin", filepath.Base(t.pkg)+".wasm")
		fmt.Fprintf(os.Stderr, "building %s\n", t.pkg)
		cmd := goCmd2(moduleDir, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-overlay="+overlay, "-o", p, t.pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("building %s: %v", t.pkg, err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		*t.out = data
	}

	// Every std package a program can import: not internal, not vendored,
	// not a command; then everything those depend on.
	fmt.Fprintln(os.Stderr, "compiling the standard library for wasip1/wasm")
	out, err := goCmd2(moduleDir, "list", "-e", "-f", "{{if and .GoFiles (not .Error)}}{{.ImportPath}}{{end}}", "std").Output()
	if err != nil {
		return nil, fmt.Errorf("listing std: %v", err)
	}
	var public []string
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "internal") || strings.HasPrefix(p, "vendor/") || p == "syscall/js" {
			continue
		}
		public = append(public, p)
	}
	args := append([]string{"list", "-e", "-export", "-deps", "-trimpath", "-overlay=" + overlay,
		"-f", "{{if .Export}}{{.ImportPath}} {{.Export}}{{end}}"}, public...)
	cmd := goCmd2(moduleDir, args...)
	cmd.Stderr = os.Stderr
	out, err = cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("compiling std: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path, file, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		tc.std[path] = data
	}
	return tc, nil
}

// goCmd2 is a go command for the wasip1 target in the module's directory.
func goCmd2(moduleDir string, args ...string) *exec.Cmd {
	return goCmd(moduleDir, []string{"GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=-mod=mod"}, args...)
}

// golangLayers are the image's layers after the toolbox's: the toolchain,
// the standard library, and the go command (which changes most often).
func golangLayers(tc *toolchain, version string) ([]layer, error) {
	toolDir := golangRoot + "/pkg/tool/wasip1_wasm/"
	tools, err := buildLayer([]entry{
		file(toolDir+"compile", 0o755, tc.compile),
		file(toolDir+"link", 0o755, tc.link),
	})
	if err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(tc.std))
	for p := range tc.std {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var std []entry
	for _, p := range paths {
		std = append(std, file(golangRoot+"/pkg/wasip1_wasm/"+p+".a", 0o644, tc.std[p]))
	}
	stdLayer, err := buildLayer(std)
	if err != nil {
		return nil, err
	}
	cmd, err := buildLayer([]entry{
		file(golangRoot+"/bin/go", 0o755, tc.goCmd),
		file(golangRoot+"/VERSION", 0o644, []byte(version+"\n")),
		file(golangRoot+"/LICENSE", 0o644, goLicense()),
		dir("go/bin", 0o777), dir("go/src", 0o777), dir("go/pkg/mod", 0o777),
		dir("root/.cache", 0o755),
	})
	if err != nil {
		return nil, err
	}
	// The module cache is read-only, as go makes it.
	modDir := "go/pkg/mod/podplay.dev/wasm@" + guestModuleVersion
	mod := []entry{dir("go/pkg/mod/podplay.dev", 0o755), dir(modDir, 0o555), file(modDir+"/go.mod", 0o444, []byte("module podplay.dev/wasm\n\ngo 1.21\n"))}
	for _, pkg := range guestPackages {
		mod = append(mod, dir(modDir+"/"+pkg, 0o555))
	}
	names := make([]string, 0, len(tc.guest))
	for name := range tc.guest {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		mod = append(mod, file(modDir+"/"+name, 0o444, tc.guest[name]))
	}
	guestLayer, err := buildLayer(mod)
	if err != nil {
		return nil, err
	}
	return []layer{tools, stdLayer, cmd, guestLayer}, nil
}

// goLicense is the Go project's license, which the toolchain's binaries and
// the std archives are distributed under.
func goLicense() []byte {
	out, err := goCmd("", nil, "env", "GOROOT").Output()
	if err == nil {
		if data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "LICENSE")); err == nil {
			return data
		}
	}
	return []byte("See https://go.dev/LICENSE\n")
}

// addGolang adds podplay/golang FROM the toolbox, tagged with the Go
// version, its minor line and latest (golang:1.26.8, golang:1.26, golang:latest).
func addGolang(w *layoutWriter, idx *index, tc *toolchain, base layer, baseHistory []history, baseDesc descriptor) error {
	version := goVersion() // go1.26.8
	num := strings.TrimPrefix(version, "go")
	layers, err := golangLayers(tc, version)
	if err != nil {
		return err
	}
	created := epoch.Format("2006-01-02T15:04:05Z")
	env := []string{"PATH=/go/bin:/usr/local/go/bin:/usr/local/bin:/bin", "GOLANG_VERSION=" + num, "GOTOOLCHAIN=local", "GOPATH=/go"}
	hist := append([]history(nil), baseHistory...)
	hist = append(hist,
		history{Created: created, CreatedBy: "COPY compile.wasm link.wasm /usr/local/go/pkg/tool/wasip1_wasm/  # cmd/compile and cmd/link of " + version + " built for wasip1"},
		history{Created: created, CreatedBy: "COPY std /usr/local/go/pkg/wasip1_wasm/  # the standard library compiled for wasip1/wasm"},
		history{Created: created, CreatedBy: "COPY go.wasm /usr/local/go/bin/go  # podplay's go command (wasm/cmd/go)"},
		history{Created: created, CreatedBy: "COPY guest incluster /go/pkg/mod/podplay.dev/wasm@" + guestModuleVersion + "/  # podplay's packages for programs, in the module cache"},
	)
	for _, e := range env {
		hist = append(hist, history{Created: created, CreatedBy: "ENV " + e, EmptyLayer: true})
	}
	hist = append(hist, history{Created: created, CreatedBy: "WORKDIR /go", EmptyLayer: true})
	cfg := runConfig{Env: env, Cmd: []string{"sh"}, WorkingDir: "/go"}
	d, err := addImage(w, idx, "podplay/golang:"+num, cfg, append([]layer{base}, layers...), hist, baseAnnotations(baseDesc))
	if err != nil {
		return err
	}
	minor := num
	if parts := strings.SplitN(num, ".", 3); len(parts) == 3 {
		minor = parts[0] + "." + parts[1]
	}
	for _, tag := range []string{minor, "latest"} {
		alias := d
		alias.Annotations = map[string]string{annotationRefName: "podplay/golang:" + tag}
		idx.Manifests = append(idx.Manifests, alias)
	}
	return nil
}
