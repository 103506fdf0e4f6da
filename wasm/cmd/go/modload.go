package main

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

var errNoModRoot = errors.New("go.mod file not found in current directory or any parent directory; see 'go help modules'")

// findModuleRoot walks up from the working directory to the first go.mod.
func findModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !st.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errNoModRoot
		}
		dir = parent
	}
}

// mainModule is the module being built: its go.mod, and how the modules it
// requires are found (vendor/ or the module cache; there is no proxy).
type mainModule struct {
	root   string // directory of go.mod; "" for files named on the command line without one
	path   string // module path
	goVers string // the go directive ("1.26.8")
	file   *modfile.File
	vendor bool // -mod=vendor (the default when vendor/modules.txt exists)
}

func loadMainModule(modFlag string) (*mainModule, error) {
	root, err := findModuleRoot()
	if err != nil {
		return nil, err
	}
	gomod := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(gomod, data, nil)
	if err != nil {
		return nil, fmt.Errorf("errors parsing %s:\n%v", shortPath(gomod), err)
	}
	if f.Module == nil {
		return nil, fmt.Errorf("error reading %s: missing module declaration. To specify the module path:\n\tgo mod edit -module=example.com/mod", shortPath(gomod))
	}
	m := &mainModule{root: root, path: f.Module.Mod.Path, file: f}
	if f.Go != nil {
		m.goVers = f.Go.Version
	}
	switch modFlag {
	case "vendor":
		m.vendor = true
	case "", "readonly":
		if st, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err == nil && !st.IsDir() && modFlag == "" {
			m.vendor = true
		}
	case "mod":
	default:
		return nil, fmt.Errorf("-mod may only be set to readonly or vendor or mod, not %s", modFlag)
	}
	return m, nil
}

// lang is the -lang flag for the compiler: the go directive's language version.
func (m *mainModule) lang() string {
	if m == nil || m.goVers == "" {
		return ""
	}
	parts := strings.SplitN(m.goVers, ".", 3)
	if len(parts) < 2 {
		return "go" + parts[0]
	}
	return "go" + parts[0] + "." + parts[1]
}

// isStd says whether an import path names a standard library package:
// its first element has no dot (as cmd/go decides it).
func isStd(importPath string) bool {
	first, _, _ := strings.Cut(importPath, "/")
	return !strings.Contains(first, ".")
}

// stdArchive is the precompiled archive of a std package, "" if there is none.
func stdArchive(importPath string) string {
	a := filepath.Join(stdDir(), filepath.FromSlash(importPath)+".a")
	if st, err := os.Stat(a); err == nil && !st.IsDir() {
		return a
	}
	return ""
}

// moduleOf is the module a non-std package comes from.
type moduleOf struct {
	path    string // module path
	version string // "" for the main module and directory replacements
	dir     string // the module's root directory
}

// errNoModule is an import that no required module provides.
type errNoModule struct {
	importPath string
	why        string
}

func (e *errNoModule) Error() string {
	if e.why != "" {
		return fmt.Sprintf("no required module provides package %s: %s", e.importPath, e.why)
	}
	return fmt.Sprintf("no required module provides package %s; to add it:\n\tgo get %s", e.importPath, e.importPath)
}

// resolve finds the directory of a non-std package: in the main module, in a
// required module (vendor/, a directory replacement or the module cache).
func (m *mainModule) resolve(importPath string) (string, moduleOf, error) {
	if m == nil || m.root == "" {
		return "", moduleOf{}, &errNoModule{importPath: importPath, why: errNoModRoot.Error()}
	}
	if rest, ok := cutModulePrefix(importPath, m.path); ok {
		return filepath.Join(m.root, filepath.FromSlash(rest)), moduleOf{path: m.path, dir: m.root}, nil
	}
	// The required module with the longest path that is a prefix.
	var best *modfile.Require
	for _, r := range m.file.Require {
		if _, ok := cutModulePrefix(importPath, r.Mod.Path); ok && (best == nil || len(r.Mod.Path) > len(best.Mod.Path)) {
			best = r
		}
	}
	if best == nil {
		return "", moduleOf{}, &errNoModule{importPath: importPath}
	}
	rest, _ := cutModulePrefix(importPath, best.Mod.Path)
	if m.vendor {
		dir := filepath.Join(m.root, "vendor", filepath.FromSlash(importPath))
		return dir, moduleOf{path: best.Mod.Path, version: best.Mod.Version, dir: filepath.Join(m.root, "vendor", filepath.FromSlash(best.Mod.Path))}, nil
	}
	mod := best.Mod
	for _, r := range m.file.Replace {
		if r.Old.Path == mod.Path && (r.Old.Version == "" || r.Old.Version == mod.Version) {
			if r.New.Version == "" { // a directory
				dir := r.New.Path
				if !filepath.IsAbs(dir) {
					dir = filepath.Join(m.root, dir)
				}
				return filepath.Join(dir, filepath.FromSlash(rest)), moduleOf{path: mod.Path, dir: dir}, nil
			}
			mod = r.New
		}
	}
	cache := gomodcache()
	escPath, err1 := module.EscapePath(mod.Path)
	escVers, err2 := module.EscapeVersion(mod.Version)
	if cache == "" || err1 != nil || err2 != nil {
		return "", moduleOf{}, &errNoModule{importPath: importPath}
	}
	modDir := filepath.Join(cache, filepath.FromSlash(escPath)+"@"+escVers)
	if st, err := os.Stat(modDir); err != nil || !st.IsDir() {
		return "", moduleOf{}, fmt.Errorf("%s@%s: module lookup disabled by GOPROXY=off", mod.Path, mod.Version)
	}
	return filepath.Join(modDir, filepath.FromSlash(rest)), moduleOf{path: mod.Path, version: mod.Version, dir: modDir}, nil
}

// cutModulePrefix reports whether importPath is in the module at modPath,
// and the path inside it.
func cutModulePrefix(importPath, modPath string) (string, bool) {
	if importPath == modPath {
		return "", true
	}
	if strings.HasPrefix(importPath, modPath+"/") {
		return importPath[len(modPath)+1:], true
	}
	return "", false
}

// importPathOfDir is the import path of a directory inside the main module.
func (m *mainModule) importPathOfDir(dir string) (string, bool) {
	if m == nil || m.root == "" {
		return "", false
	}
	rel, err := filepath.Rel(m.root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	if rel == "." {
		return m.path, true
	}
	return path.Join(m.path, filepath.ToSlash(rel)), true
}

// noNetworkHint is the line podplay adds to a missing module's error.
const noNetworkHint = "podplay: there is no network to the Go module proxy here; go can use modules from the main module's vendor directory (run go mod vendor where Go has network and copy vendor/ in) or from the module cache at $GOMODCACHE, or a local directory named by a replace directive."
