package main

import (
	"errors"
	"fmt"
	"go/build"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Package is one package of a build, as go/build found it.
type Package struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string // absolute paths, in go/build's order
	Imports    []string // direct imports, sorted
	ImportPos  map[string][]token.Position
	Embed      *embedConfig // nil when the package embeds nothing
	Module     moduleOf
	Std        bool   // precompiled: Archive is the std archive
	Archive    string // the compiled archive (after the build)
	Deps       []*Package
	BuildInfo  string // the main package's build info (runtime/debug.BuildInfo)
}

// loader finds packages and their imports, once each.
type loader struct {
	ctxt  build.Context
	mod   *mainModule
	pkgs  map[string]*Package // by import path
	stack []string            // import stack, for cycles
	errs  []string
	// noModule: an import no module provides (the no-network hint is printed once).
	noModule bool
}

func newLoader(mod *mainModule, tags []string) *loader {
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH = targetOS, targetArch
	ctxt.GOROOT = goroot()
	ctxt.GOPATH = gopath()
	ctxt.CgoEnabled = false
	ctxt.Compiler = "gc"
	ctxt.BuildTags = tags
	return &loader{ctxt: ctxt, mod: mod, pkgs: map[string]*Package{}}
}

// fail records a package error; the build stops after loading.
func (l *loader) fail(format string, args ...any) {
	l.errs = append(l.errs, fmt.Sprintf(format, args...))
}

// loadDir loads the package in dir as importPath, then its imports.
func (l *loader) loadDir(importPath, dir string, mod moduleOf) *Package {
	if p, ok := l.pkgs[importPath]; ok {
		return p
	}
	bp, err := l.ctxt.ImportDir(dir, 0)
	return l.loaded(importPath, dir, mod, bp, err)
}

// loaded finishes a package go/build has read, or records why it could not.
func (l *loader) loaded(importPath, dir string, mod moduleOf, bp *build.Package, err error) *Package {
	if err != nil {
		l.packageError(importPath, dir, bp, err)
		return nil
	}
	return l.finish(importPath, dir, mod, bp)
}

// loadFiles loads Go files named on the command line as one package,
// "command-line-arguments", as cmd/go does.
func (l *loader) loadFiles(files []string) *Package {
	dir := ""
	for _, f := range files {
		if !strings.HasSuffix(f, ".go") {
			l.fail("named files must be .go files: %s", f)
			return nil
		}
		abs, _ := filepath.Abs(f)
		if st, err := os.Stat(abs); err != nil {
			l.fail("stat %s: no such file or directory", abs)
			return nil
		} else if st.IsDir() {
			l.fail("%s is a directory, should be a Go file", f)
			return nil
		}
		d := filepath.Dir(abs)
		if dir != "" && d != dir {
			l.fail("named files must all be in one directory; have %s and %s", shortPath(dir), shortPath(d))
			return nil
		}
		dir = d
	}
	ctxt := l.ctxt
	names := map[string]bool{}
	for _, f := range files {
		names[filepath.Base(f)] = true
	}
	ctxt.ReadDir = func(d string) ([]fs.FileInfo, error) {
		entries, err := os.ReadDir(d)
		if err != nil {
			return nil, err
		}
		var out []fs.FileInfo
		for _, e := range entries {
			if names[e.Name()] {
				if info, err := e.Info(); err == nil {
					out = append(out, info)
				}
			}
		}
		return out, nil
	}
	bp, err := ctxt.ImportDir(dir, 0)
	if err != nil {
		l.packageError("command-line-arguments", dir, bp, err)
		return nil
	}
	mod := moduleOf{}
	if l.mod != nil && l.mod.root != "" {
		if _, ok := l.mod.importPathOfDir(dir); ok {
			mod = moduleOf{path: l.mod.path, dir: l.mod.root}
		}
	}
	return l.finish("command-line-arguments", dir, mod, bp)
}

func (l *loader) packageError(importPath, dir string, bp *build.Package, err error) {
	var noGo *build.NoGoError
	var multi *build.MultiplePackageError
	switch {
	case errors.As(err, &noGo):
		if bp != nil && len(bp.IgnoredGoFiles) > 0 {
			if f := l.cgoFile(dir, bp.IgnoredGoFiles); f != "" {
				l.fail("package %s: %s", importPath, cgoError(f))
				return
			}
			l.fail("package %s: build constraints exclude all Go files in %s", importPath, dir)
			return
		}
		if bp != nil && len(bp.TestGoFiles)+len(bp.XTestGoFiles) > 0 {
			l.fail("no non-test Go files in %s", dir)
			return
		}
		l.fail("no Go files in %s", dir)
	case errors.As(err, &multi):
		l.fail("found packages %s (%s) and %s (%s) in %s", multi.Packages[0], multi.Files[0], multi.Packages[1], multi.Files[1], dir)
	default:
		l.fail("%v", shortPathsIn(err.Error()))
	}
}

// cgoFile is the first of files that is left out only because cgo is off.
func (l *loader) cgoFile(dir string, files []string) string {
	ctxt := l.ctxt
	ctxt.CgoEnabled = true
	for _, f := range files {
		if ok, err := ctxt.MatchFile(dir, f); err == nil && ok {
			return filepath.Join(dir, f)
		}
	}
	return ""
}

func cgoError(file string) string {
	return fmt.Sprintf("%s imports \"C\": cgo is not available for wasip1/wasm (there is no C toolchain in podplay); write the package in pure Go", shortPath(file))
}

func (l *loader) finish(importPath, dir string, mod moduleOf, bp *build.Package) *Package {
	p := &Package{ImportPath: importPath, Name: bp.Name, Dir: dir, Module: mod, ImportPos: bp.ImportPos}
	l.pkgs[importPath] = p
	if f := l.cgoFile(dir, bp.IgnoredGoFiles); f != "" {
		l.fail("package %s: %s", importPath, cgoError(f))
	}
	if len(bp.SFiles)+len(bp.HFiles) > 0 {
		l.fail("package %s: assembly files (%s) need the assembler, which podplay/golang does not have", importPath, strings.Join(append(bp.SFiles, bp.HFiles...), ", "))
	}
	if len(bp.CFiles)+len(bp.CXXFiles)+len(bp.MFiles)+len(bp.FFiles)+len(bp.SysoFiles) > 0 {
		l.fail("package %s: C, C++ and syso files need cgo, which is not available for wasip1/wasm", importPath)
	}
	for _, f := range bp.GoFiles {
		p.GoFiles = append(p.GoFiles, filepath.Join(dir, f))
	}
	if len(bp.EmbedPatterns) > 0 {
		cfg, err := resolveEmbed(dir, bp.EmbedPatterns)
		if err != nil {
			var ee *embedError
			if errors.As(err, &ee) {
				if pos := bp.EmbedPatternPos[ee.pattern]; len(pos) > 0 {
					l.fail("%s: %v", positionString(pos[0]), err)
					return p
				}
			}
			l.fail("package %s: %v", importPath, err)
			return p
		}
		p.Embed = cfg
	}
	imports := append([]string(nil), bp.Imports...)
	sort.Strings(imports)
	l.stack = append(l.stack, importPath)
	defer func() { l.stack = l.stack[:len(l.stack)-1] }()
	for _, path := range imports {
		if path == "C" {
			continue
		}
		p.Imports = append(p.Imports, path)
		if dep := l.loadImport(p, path); dep != nil {
			p.Deps = append(p.Deps, dep)
		}
	}
	return p
}

// loadImport loads one import of p: std from the precompiled archives,
// anything else through the module it belongs to.
func (l *loader) loadImport(p *Package, path string) *Package {
	pos := ""
	if ps := p.ImportPos[path]; len(ps) > 0 {
		pos = positionString(ps[0]) + ": "
	}
	for i, s := range l.stack {
		if s == path {
			cycle := append(append([]string(nil), l.stack[i:]...), path)
			l.fail("package %s\n\timports %s: import cycle not allowed", cycle[0], strings.Join(cycle[1:], "\n\timports "))
			return nil
		}
	}
	if dep, ok := l.pkgs[path]; ok {
		return dep
	}
	if strings.HasPrefix(path, "./") || strings.HasPrefix(path, "../") || path == "." || path == ".." {
		l.fail("%s\"%s\" is relative, but relative import paths are not supported in module mode", pos, path)
		return nil
	}
	if isStd(path) {
		archive := stdArchive(path)
		if archive == "" {
			l.fail("%spackage %s is not in std (%s)", pos, path, filepath.Join(goroot(), "src", filepath.FromSlash(path)))
			return nil
		}
		if isInternalOf(path, "") { // user code importing std's internal packages
			l.fail("%suse of internal package %s not allowed", pos, path)
			return nil
		}
		dep := &Package{ImportPath: path, Std: true, Archive: archive}
		l.pkgs[path] = dep
		return dep
	}
	dir, mod, err := l.mod.resolve(path)
	if err != nil {
		var nm *errNoModule
		if errors.As(err, &nm) && nm.why == "" {
			l.noModule = true
		}
		l.fail("%s%v", pos, err)
		return nil
	}
	if isInternalOf(path, p.ImportPath) {
		l.fail("%suse of internal package %s not allowed", pos, path)
		return nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if mod.path == l.mod.path {
			l.fail("%spackage %s is not in std (%s)", pos, path, filepath.Join(goroot(), "src", filepath.FromSlash(path)))
		} else {
			l.fail("%smodule %s provides no package %s", pos, mod.path, path)
		}
		return nil
	}
	return l.loadDir(path, dir, mod)
}

// isInternalOf says whether importing path from importer breaks the
// internal rule (importer "" is user code importing std).
func isInternalOf(path, importer string) bool {
	i := strings.LastIndex(path+"/", "/internal/")
	if !strings.HasPrefix(path, "internal/") && i < 0 {
		return false
	}
	parent := ""
	if i >= 0 {
		parent = path[:i]
	}
	if importer == "" || isStd(path) != isStd(importer) {
		return true
	}
	return !(parent == "" || importer == parent || strings.HasPrefix(importer, parent+"/"))
}

// matchPackages expands the package arguments of build, run and list.
func (l *loader) matchPackages(args []string) []*Package {
	if len(args) == 0 {
		args = []string{"."}
	}
	if strings.HasSuffix(args[0], ".go") {
		if p := l.loadFiles(args); p != nil {
			return []*Package{p}
		}
		return nil
	}
	var roots []*Package
	for _, arg := range args {
		switch {
		case arg == "." || arg == ".." || strings.HasPrefix(arg, "./") || strings.HasPrefix(arg, "../") || filepath.IsAbs(arg):
			if strings.HasSuffix(arg, "/...") || arg == "..." {
				roots = append(roots, l.walkPattern(strings.TrimSuffix(strings.TrimSuffix(arg, "..."), "/"))...)
				continue
			}
			abs, _ := filepath.Abs(arg)
			ip, ok := l.mod.importPathOfDir(abs)
			if !ok {
				if l.mod == nil || l.mod.root == "" {
					l.fail("%v", errNoModRoot)
				} else {
					l.fail("directory %s outside main module or its selected dependencies", shortPath(abs))
				}
				continue
			}
			if st, err := os.Stat(abs); err != nil || !st.IsDir() {
				l.fail("stat %s: directory not found", abs)
				continue
			}
			if p := l.loadDir(ip, abs, moduleOf{path: l.mod.path, dir: l.mod.root}); p != nil {
				roots = append(roots, p)
			}
		case arg == "std" || arg == "all" || arg == "cmd":
			l.fail("the %q pattern is not available in podplay/golang: the standard library is precompiled", arg)
		default:
			if strings.HasSuffix(arg, "/...") && l.mod != nil {
				if rest, ok := cutModulePrefix(strings.TrimSuffix(arg, "/..."), l.mod.path); ok {
					roots = append(roots, l.walkPattern(filepath.Join(l.mod.root, filepath.FromSlash(rest)))...)
					continue
				}
			}
			if isStd(arg) {
				if stdArchive(arg) == "" {
					l.fail("package %s is not in std (%s)", arg, filepath.Join(goroot(), "src", filepath.FromSlash(arg)))
				}
				continue // precompiled: nothing to build
			}
			if l.mod == nil || l.mod.root == "" {
				l.fail("cannot find main module, but found no go.mod; %v", errNoModRoot)
				continue
			}
			dir, mod, err := l.mod.resolve(arg)
			if err != nil {
				l.fail("%v", err)
				continue
			}
			if p := l.loadDir(arg, dir, mod); p != nil {
				roots = append(roots, p)
			}
		}
	}
	return roots
}

// walkPattern loads every package under dir in the main module ("./...").
func (l *loader) walkPattern(dir string) []*Package {
	if dir == "" {
		dir = "."
	}
	abs, _ := filepath.Abs(dir)
	var roots []*Package
	filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		name := d.Name()
		if p != abs && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
			return filepath.SkipDir
		}
		if p != abs {
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
		}
		ip, ok := l.mod.importPathOfDir(p)
		if !ok {
			return nil
		}
		if pkg, ok := l.pkgs[ip]; ok { // loaded already, as an import of an earlier one
			roots = append(roots, pkg)
			return nil
		}
		bp, err := l.ctxt.ImportDir(p, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil // a directory without Go files is not a package "./..." names
		}
		if pkg := l.loaded(ip, p, moduleOf{path: l.mod.path, dir: l.mod.root}, bp, err); pkg != nil {
			roots = append(roots, pkg)
		}
		return nil
	})
	if len(roots) == 0 && len(l.errs) == 0 {
		fmt.Fprintf(os.Stderr, "go: warning: %q matched no packages\n", dir+"/...")
	}
	return roots
}

// positionString prints a source position as cmd/go does, with the file
// name made relative to the working directory when that is shorter.
func positionString(pos token.Position) string {
	s := shortPath(pos.Filename)
	if pos.Line > 0 {
		s += fmt.Sprintf(":%d:%d", pos.Line, pos.Column)
	}
	return s
}

// shortPath is cmd/go's base.ShortPath: a path relative to the working
// directory if that is shorter.
func shortPath(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && len(rel) < len(p) {
		return rel
	}
	return p
}

// shortPathsIn shortens the absolute paths of the working directory's tree in a message.
func shortPathsIn(s string) string {
	wd, err := os.Getwd()
	if err != nil || wd == "/" {
		return s
	}
	return strings.ReplaceAll(s, wd+"/", "")
}

// postorder lists roots and their dependencies, dependencies first.
func postorder(roots []*Package) []*Package {
	var out []*Package
	seen := map[*Package]bool{}
	var visit func(*Package)
	visit = func(p *Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		for _, d := range p.Deps {
			visit(d)
		}
		out = append(out, p)
	}
	for _, r := range roots {
		visit(r)
	}
	return out
}
