package main

import (
	"errors"
	"fmt"
	"go/build"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

func cmdMod(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, "Go mod provides access to operations on modules.\n\nUsage:\n\n\tgo mod <command> [arguments]\n\nThe commands are:\n\n\tinit        initialize new module in current directory\n\ttidy        add missing and remove unused modules\n\nUse \"go help mod <command>\" for more information about a command.\n")
		return 2
	}
	switch args[0] {
	case "init":
		return modInit(args[1:])
	case "tidy":
		return modTidy(args[1:])
	case "download", "edit", "graph", "vendor", "verify", "why":
		fmt.Fprintf(os.Stderr, "go: go mod %s is not available in podplay/golang, which has go mod init and go mod tidy (and no network to the module proxy)\n", args[0])
		return 2
	}
	fmt.Fprintf(os.Stderr, "go mod %s: unknown command\nRun 'go help mod' for usage.\n", args[0])
	return 2
}

// goDirective is the go line go mod init writes: the toolchain's version.
func goDirective() string {
	return strings.TrimPrefix(runtime.Version(), "go")
}

func modInit(args []string) int {
	if len(args) > 1 {
		fmt.Fprintln(os.Stderr, "go: go mod init: too many arguments")
		return 1
	}
	wd, _ := os.Getwd()
	gomod := filepath.Join(wd, "go.mod")
	if _, err := os.Stat(gomod); err == nil {
		fmt.Fprintf(os.Stderr, "go: %s already exists\n", gomod)
		return 1
	}
	path := ""
	if len(args) == 1 {
		path = args[0]
	} else if gp := gopath(); gp != "" {
		if rel, err := filepath.Rel(filepath.Join(gp, "src"), wd); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			path = filepath.ToSlash(rel)
		}
	}
	if path == "" {
		fmt.Fprintf(os.Stderr, "go: cannot determine module path for source directory %s (outside GOPATH, module path must be specified)\n\nExample usage:\n\t'go mod init example.com/m' to initialize a v0 or v1 module\n\t'go mod init example.com/m/v2' to initialize a v2 module\n\nRun 'go help mod init' for more information.\n", wd)
		return 1
	}
	if err := module.CheckImportPath(path); err != nil {
		var e *module.InvalidPathError
		if errors.As(err, &e) {
			fmt.Fprintf(os.Stderr, "go: malformed module path %q: %v\n", path, e.Err)
		} else {
			fmt.Fprintf(os.Stderr, "go: malformed module path %q: %v\n", path, err)
		}
		return 1
	}
	f := &modfile.File{Syntax: &modfile.FileSyntax{}}
	f.AddModuleStmt(path)
	f.AddGoStmt(goDirective())
	data, err := f.Format()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go: %v\n", err)
		return 1
	}
	if err := os.WriteFile(gomod, data, 0o666); err != nil {
		fmt.Fprintf(os.Stderr, "go: %v\n", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "go: creating new go.mod: module %s\n", path)
	if matches, _ := filepath.Glob(filepath.Join(wd, "*.go")); len(matches) > 0 {
		fmt.Fprintln(os.Stderr, "go: to add module requirements and sums:\n\tgo mod tidy")
	}
	return 0
}

// modTidy keeps the requirements the module's packages (tests included,
// every build tag) import and drops the others; an import that no
// available module provides fails as it does with GOPROXY=off.
func modTidy(args []string) int {
	for _, a := range args {
		if a != "-v" && a != "-e" {
			fmt.Fprintf(os.Stderr, "go: go mod tidy: flag %s is not available in podplay/golang\n", a)
			return 2
		}
	}
	mod, err := loadMainModule("mod")
	if err != nil {
		fmt.Fprintf(os.Stderr, "go: %v\n", err)
		return 1
	}
	mod.vendor = false
	if st, err := os.Stat(filepath.Join(mod.root, "vendor", "modules.txt")); err == nil && !st.IsDir() {
		mod.vendor = true
	}
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH, ctxt.CgoEnabled = targetOS, targetArch, false
	ctxt.UseAllFiles = true
	used := map[string]bool{} // module paths
	type importer struct{ pkg, path string }
	var missing []importer
	seen := map[string]bool{}
	var visit func(importPath, dir string, local bool)
	visit = func(importPath, dir string, local bool) {
		if seen[importPath] {
			return
		}
		seen[importPath] = true
		bp, err := ctxt.ImportDir(dir, build.ImportComment)
		if err != nil && bp == nil {
			return
		}
		imports := append([]string(nil), bp.Imports...)
		if local {
			imports = append(append(imports, bp.TestImports...), bp.XTestImports...)
		}
		sort.Strings(imports)
		for _, ip := range imports {
			if ip == "C" || isStd(ip) || seen[ip] {
				continue
			}
			if _, ok := cutModulePrefix(ip, mod.path); ok {
				d, _, _ := mod.resolve(ip)
				visit(ip, d, true)
				continue
			}
			d, m, err := mod.resolve(ip)
			if err != nil {
				missing = append(missing, importer{importPath, ip})
				seen[ip] = true
				continue
			}
			if st, err := os.Stat(d); err != nil || !st.IsDir() {
				missing = append(missing, importer{importPath, ip})
				seen[ip] = true
				continue
			}
			used[m.path] = true
			visit(ip, d, false)
		}
	}
	filepath.WalkDir(mod.root, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		name := d.Name()
		if p != mod.root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
			return filepath.SkipDir
		}
		if p != mod.root {
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
		}
		ip, _ := mod.importPathOfDir(p)
		visit(ip, p, true)
		return nil
	})
	if len(missing) > 0 {
		for _, m := range missing {
			fmt.Fprintf(os.Stderr, "go: finding module for package %s\n", m.path)
		}
		for _, m := range missing {
			fmt.Fprintf(os.Stderr, "go: %s imports\n\t%s: cannot find module providing package %s: module lookup disabled by GOPROXY=off\n", m.pkg, m.path, m.path)
		}
		fmt.Fprintln(os.Stderr, noNetworkHint)
		return 1
	}
	f := mod.file
	for _, r := range f.Require {
		if !used[r.Mod.Path] {
			f.DropRequire(r.Mod.Path)
		} else if r.Indirect {
			r.Indirect = false
			r.Syntax.Comments.Suffix = nil
		}
	}
	f.Cleanup()
	f.SortBlocks()
	data, err := f.Format()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go: %v\n", err)
		return 1
	}
	gomod := filepath.Join(mod.root, "go.mod")
	if old, _ := os.ReadFile(gomod); string(old) != string(data) {
		if err := os.WriteFile(gomod, data, 0o666); err != nil {
			fmt.Fprintf(os.Stderr, "go: %v\n", err)
			return 1
		}
	}
	return 0
}
