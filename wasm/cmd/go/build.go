package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"podplay.dev/wasm/guest"
)

// builder runs the compile and link actions of one go command.
type builder struct {
	flags   buildFlags
	mod     *mainModule
	cache   *buildCache
	work    string // $WORK
	nextDir int
	ids     map[*Package]string // output IDs of compiled packages
	failed  map[*Package]bool
}

func newBuilder(f buildFlags, mod *mainModule) (*builder, error) {
	cache, err := openCache()
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "go-build")
	if err != nil {
		return nil, fmt.Errorf("creating work dir: %v", err)
	}
	if f.work {
		fmt.Fprintf(os.Stderr, "WORK=%s\n", work)
	}
	return &builder{flags: f, mod: mod, cache: cache, work: work, ids: map[*Package]string{}, failed: map[*Package]bool{}}, nil
}

func (b *builder) close() {
	if !b.flags.work {
		os.RemoveAll(b.work)
	}
}

var versionForCache string

// goVersionForCache names the toolchain in action IDs: the Go version and
// the sizes of compile and link, so that another toolchain misses the cache.
func goVersionForCache() string {
	if versionForCache == "" {
		v := runtime.Version()
		for _, t := range []string{"compile", "link"} {
			if st, err := os.Stat(filepath.Join(toolDir(), t)); err == nil {
				v += fmt.Sprintf(" %s=%d", t, st.Size())
			}
		}
		versionForCache = v
	}
	return versionForCache
}

// compileAll compiles pkgs (dependencies first), skipping what the cache
// has. It reports whether every package compiled.
func (b *builder) compileAll(pkgs []*Package) bool {
	ok := true
	for _, p := range pkgs {
		if p.Std {
			continue
		}
		depFailed := false
		for _, d := range p.Deps {
			if b.failed[d] {
				depFailed = true
			}
		}
		if depFailed {
			b.failed[p] = true
			continue
		}
		if err := b.compile(p); err != nil {
			b.failed[p] = true
			ok = false
			if err != errReported {
				fmt.Fprintf(os.Stderr, "go: %v\n", err)
			}
		}
	}
	return ok
}

// errReported: the tool's output has been printed already.
var errReported = fmt.Errorf("reported")

func (b *builder) lang() string {
	if b.mod != nil && b.mod.root != "" {
		return b.mod.lang()
	}
	v := runtime.Version() // go1.26.8 → go1.26
	if parts := strings.SplitN(v, ".", 3); len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}

func (b *builder) trimpathArg(p *Package, work string) string {
	arg := work + "=>"
	if b.flags.trimpath && p.Module.dir != "" {
		rewrite := p.Module.path
		if p.Module.version != "" {
			rewrite += "@" + p.Module.version
		}
		if rel, err := filepath.Rel(p.Module.dir, p.Dir); err == nil && rel != "." {
			rewrite += "/" + filepath.ToSlash(rel)
		}
		arg += ";" + p.Dir + "=>" + rewrite
	} else if b.flags.trimpath && p.ImportPath == "command-line-arguments" {
		arg += ";" + p.Dir + "=>command-line-arguments"
	}
	return arg
}

func (b *builder) compile(p *Package) error {
	h := newHasher("compile")
	pkgFlag := p.ImportPath
	if p.Name == "main" {
		pkgFlag = "main"
	}
	h.add("package %s %s dir-independent=%v", pkgFlag, p.Name, b.flags.trimpath)
	if !b.flags.trimpath {
		h.add("dir %s", p.Dir)
	}
	h.add("lang %s", b.lang())
	h.add("gcflags %q", b.flags.gcflags)
	for _, f := range p.GoFiles {
		if err := h.addFile("file", f); err != nil {
			return err
		}
	}
	if p.Embed != nil {
		var names []string
		for name := range p.Embed.Files {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := h.addFile("embed "+name, p.Embed.Files[name]); err != nil {
				return err
			}
		}
		var pats []string
		for pat, files := range p.Embed.Patterns {
			pats = append(pats, pat+"="+strings.Join(files, ","))
		}
		sort.Strings(pats)
		h.add("patterns %q", pats)
	}
	for _, d := range p.Deps {
		if d.Std {
			h.add("import %s std", d.ImportPath)
		} else {
			h.add("import %s %s", d.ImportPath, b.ids[d])
		}
	}
	actionID := h.id()
	if !b.flags.all {
		if file, out, ok := b.cache.get(actionID); ok {
			p.Archive, b.ids[p] = file, out
			return nil
		}
	}

	b.nextDir++
	dir := filepath.Join(b.work, fmt.Sprintf("b%03d", b.nextDir))
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	var cfg bytes.Buffer
	cfg.WriteString("# import config\n")
	for _, d := range p.Deps {
		fmt.Fprintf(&cfg, "packagefile %s=%s\n", d.ImportPath, d.Archive)
	}
	if err := os.WriteFile(filepath.Join(dir, "importcfg"), cfg.Bytes(), 0o666); err != nil {
		return err
	}
	out := filepath.Join(dir, "_pkg_.a")
	args := []string{filepath.Join(toolDir(), "compile"), "-o", out, "-trimpath", b.trimpathArg(p, dir), "-p", pkgFlag}
	if lang := b.lang(); lang != "" {
		args = append(args, "-lang="+lang)
	}
	args = append(args, "-complete", "-buildid", shortID(actionID)+"/"+shortID(actionID), "-dwarf=false", "-goversion", runtime.Version(), "-c=1", "-nolocalimports", "-importcfg", filepath.Join(dir, "importcfg"))
	if p.Embed != nil {
		cfgPath := filepath.Join(dir, "embedcfg")
		if err := p.Embed.write(cfgPath); err != nil {
			return err
		}
		args = append(args, "-embedcfg", cfgPath)
	}
	args = append(args, b.flags.gcflags...)
	args = append(args, "-pack")
	args = append(args, p.GoFiles...)
	if b.flags.verbose {
		fmt.Fprintln(os.Stderr, p.ImportPath)
	}
	if err := b.runTool(p, p.Dir, args, nil); err != nil {
		return err
	}
	file, outID, err := b.cache.put(actionID, out, 0o666)
	if err != nil {
		return err
	}
	p.Archive, b.ids[p] = file, outID
	return nil
}

// shortID is a build ID part: the first 20 hex digits of an ID.
func shortID(id string) string {
	if len(id) > 20 {
		return id[:20]
	}
	return id
}

// link links the main package p (compiled) into an executable and returns
// the cached executable's path.
func (b *builder) link(p *Package) (string, error) {
	all := postorder([]*Package{p})
	info := b.buildInfo(p, all)
	h := newHasher("link")
	h.add("ldflags %q trimpath=%v", b.flags.ldflags, b.flags.trimpath)
	h.add("modinfo %q", info)
	for _, d := range all {
		if !d.Std {
			h.add("package %s %s", d.ImportPath, b.ids[d])
		}
	}
	actionID := h.id()
	if !b.flags.all {
		if file, _, ok := b.cache.get(actionID); ok {
			return file, nil
		}
	}
	b.nextDir++
	dir := filepath.Join(b.work, fmt.Sprintf("b%03d", b.nextDir))
	if err := os.MkdirAll(filepath.Join(dir, "exe"), 0o777); err != nil {
		return "", err
	}
	var cfg bytes.Buffer
	cfg.WriteString("# import config\n")
	for _, d := range all {
		if !d.Std {
			fmt.Fprintf(&cfg, "packagefile %s=%s\n", d.ImportPath, d.Archive)
		}
	}
	std, err := stdPackages()
	if err != nil {
		return "", err
	}
	for _, s := range std {
		fmt.Fprintf(&cfg, "packagefile %s=%s\n", s, filepath.Join(stdDir(), filepath.FromSlash(s)+".a"))
	}
	fmt.Fprintf(&cfg, "modinfo %q\n", modinfoStart+info+modinfoEnd)
	cfgPath := filepath.Join(dir, "importcfg.link")
	if err := os.WriteFile(cfgPath, cfg.Bytes(), 0o666); err != nil {
		return "", err
	}
	out := filepath.Join(dir, "exe", "a.out")
	args := []string{filepath.Join(toolDir(), "link"), "-o", out, "-importcfg", cfgPath, "-buildmode=exe", "-buildid=" + shortID(actionID) + "/" + shortID(b.ids[p])}
	args = append(args, b.flags.ldflags...)
	args = append(args, p.Archive)
	env := []string{"GOROOT=" + goroot()}
	if b.flags.trimpath {
		env = []string{"GOROOT_FINAL=$GOROOT"}
	}
	if err := b.runTool(p, "", args, env); err != nil {
		return "", err
	}
	file, _, err := b.cache.put(actionID, out, 0o777)
	return file, err
}

// cmd/go's markers around the build info it hands the linker (modload.ModInfoData).
const (
	modinfoStart = "0w\xaf\f\x92t\b\x02A\xe1\xc1\a\xe6\xd6\x18\xe6"
	modinfoEnd   = "\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2"
)

// buildInfo is what runtime/debug.ReadBuildInfo returns in the program.
func (b *builder) buildInfo(p *Package, all []*Package) string {
	bi := &debug.BuildInfo{Path: p.ImportPath}
	if p.Module.path != "" {
		bi.Main = debug.Module{Path: p.Module.path, Version: "(devel)"}
	}
	mods := map[string]moduleOf{}
	for _, d := range all {
		if !d.Std && d.Module.path != "" && d.Module.path != p.Module.path {
			mods[d.Module.path] = d.Module
		}
	}
	var paths []string
	for path := range mods {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		bi.Deps = append(bi.Deps, &debug.Module{Path: path, Version: mods[path].version})
	}
	set := func(k, v string) { bi.Settings = append(bi.Settings, debug.BuildSetting{Key: k, Value: v}) }
	set("-buildmode", "exe")
	set("-compiler", "gc")
	if len(b.flags.ldflags) > 0 {
		set("-ldflags", strings.Join(b.flags.ldflags, " "))
	}
	if len(b.flags.tags) > 0 {
		set("-tags", strings.Join(b.flags.tags, ","))
	}
	if b.flags.trimpath {
		set("-trimpath", "true")
	}
	set("CGO_ENABLED", "0")
	set("GOARCH", targetArch)
	set("GOOS", targetOS)
	return bi.String()
}

var stdList []string

// stdPackages lists the precompiled std packages (for the link's importcfg:
// the linker loads the ones the program needs).
func stdPackages() ([]string, error) {
	if stdList != nil {
		return stdList, nil
	}
	root := stdDir()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".a") {
			rel, _ := filepath.Rel(root, p)
			stdList = append(stdList, filepath.ToSlash(strings.TrimSuffix(rel, ".a")))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the precompiled standard library: %v", err)
	}
	return stdList, nil
}

// runTool runs compile or link in dir and prints its output as cmd/go's
// reportCmd does: "# <package>" then the output with the package's
// directory (and its parents) shortened to paths relative to here.
func (b *builder) runTool(p *Package, dir string, args, env []string) error {
	if b.flags.commands {
		shown := make([]string, len(args))
		for i, a := range args {
			shown[i] = strings.ReplaceAll(a, b.work, "$WORK")
		}
		line := strings.Join(quoteArgs(shown), " ")
		if dir != "" {
			fmt.Fprintf(os.Stderr, "cd %s\n", dir)
		}
		fmt.Fprintln(os.Stderr, line)
	}
	t0 := time.Now()
	out, code, err := runProgram(args, dir, env)
	phase(filepath.Base(args[0])+" "+p.ImportPath, t0)
	if err != nil {
		return fmt.Errorf("running %s: %v", filepath.Base(args[0]), err)
	}
	if len(out) == 0 && code == 0 {
		return nil
	}
	text := string(out)
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	text = replacePrefix(text, b.work, "$WORK")
	for d := p.Dir; d != ""; {
		if rel := shortPath(d); rel != d {
			if rel == "." {
				text = replacePrefix(text, d+"/", "./")
			}
			text = replacePrefix(text, d, rel)
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	fmt.Fprintf(os.Stderr, "# %s\n%s", p.ImportPath, text)
	if code != 0 {
		if text == "\n" || strings.TrimSpace(text) == "" {
			fmt.Fprintf(os.Stderr, "%s: exit status %d\n", filepath.Base(args[0]), code)
		}
		if strings.Contains(text, "out of memory") {
			fmt.Fprintln(os.Stderr, "podplay: the Go toolchain ran out of memory; give the container (or the build, docker build --memory) a higher memory limit.")
		}
		return errReported
	}
	return nil
}

// replacePrefix is cmd/go's: old is replaced where a line, or a word, starts with it.
func replacePrefix(s, old, new string) string {
	if !strings.Contains(s, old) {
		return s
	}
	s = strings.ReplaceAll(s, " "+old, " "+new)
	s = strings.ReplaceAll(s, "\n"+old, "\n"+new)
	s = strings.ReplaceAll(s, "\n\t"+old, "\n\t"+new)
	if strings.HasPrefix(s, old) {
		s = new + s[len(old):]
	}
	return s
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n\"'$;<>|&") {
			out[i] = strconv.Quote(a)
		} else {
			out[i] = a
		}
	}
	return out
}

// exeName is the file go build writes for a main package: the last element
// of its import path (the first file's name for files on the command line)
// and GOEXE, ".wasm" on wasip1.
func exeName(p *Package, files []string) string {
	if p.ImportPath == "command-line-arguments" && len(files) > 0 {
		return strings.TrimSuffix(filepath.Base(files[0]), ".go") + ".wasm"
	}
	elem := p.ImportPath[strings.LastIndex(p.ImportPath, "/")+1:]
	// A major version suffix (example.com/app/v2) names nothing: use the element before it.
	if len(elem) > 1 && elem[0] == 'v' && strings.Trim(elem[1:], "0123456789") == "" {
		rest := strings.TrimSuffix(p.ImportPath, "/"+elem)
		elem = rest[strings.LastIndex(rest, "/")+1:]
	}
	return elem + ".wasm"
}

// loadForBuild loads the main module (when there is one) and the packages named by args.
func loadForBuild(f buildFlags, args []string) ([]*Package, *mainModule, bool) {
	mod, err := loadMainModule(f.mod)
	if err != nil && err != errNoModRoot {
		fmt.Fprintf(os.Stderr, "go: %v\n", err)
		return nil, nil, false
	}
	filesOnly := len(args) > 0 && strings.HasSuffix(args[0], ".go")
	if mod == nil && !filesOnly {
		fmt.Fprintf(os.Stderr, "go: %v\n", errNoModRoot)
		return nil, nil, false
	}
	l := newLoader(mod, f.tags)
	roots := l.matchPackages(args)
	if len(l.errs) > 0 {
		for _, e := range l.errs {
			if strings.HasPrefix(e, "package ") || strings.Contains(e, ".go:") {
				fmt.Fprintln(os.Stderr, e)
			} else {
				fmt.Fprintf(os.Stderr, "go: %s\n", e)
			}
		}
		if l.noModule {
			fmt.Fprintln(os.Stderr, noNetworkHint)
		}
		return nil, nil, false
	}
	return roots, mod, true
}

func cmdBuild(args []string) int {
	var f buildFlags
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	f.register(fs, true)
	rest, ok := parseFlags(fs, "go build [-o output] [build flags] [packages]", args)
	if !ok {
		return 2
	}
	t0 := time.Now()
	roots, mod, ok := loadForBuild(f, rest)
	if !ok {
		return 1
	}
	phase("load", t0)
	b, err := newBuilder(f, mod)
	if err != nil {
		fmt.Fprintf(os.Stderr, "go: %v\n", err)
		return 1
	}
	defer b.close()
	if !b.compileAll(postorder(roots)) {
		return 1
	}
	var mains []*Package
	for _, r := range roots {
		if r.Name == "main" {
			mains = append(mains, r)
		}
	}
	outDir := ""
	if f.output != "" {
		if st, err := os.Stat(f.output); (err == nil && st.IsDir()) || strings.HasSuffix(f.output, "/") {
			outDir = f.output
		} else if len(roots) > 1 {
			fmt.Fprintf(os.Stderr, "go: cannot write multiple packages to non-directory %s\n", f.output)
			return 1
		}
	}
	if f.output == "" && len(roots) > 1 {
		mains = nil // several packages: compiled, results discarded (as cmd/go does)
	}
	status := 0
	for _, p := range mains {
		t0 := time.Now()
		exe, err := b.link(p)
		phase("link action", t0)
		t0 = time.Now()
		if err != nil {
			if err != errReported {
				fmt.Fprintf(os.Stderr, "go: %v\n", err)
			}
			status = 1
			continue
		}
		target := f.output
		if target == "" || outDir != "" {
			target = filepath.Join(outDir, exeName(p, rest))
		}
		if d := filepath.Dir(target); d != "." {
			if err := os.MkdirAll(d, 0o777); err != nil {
				fmt.Fprintf(os.Stderr, "go: %v\n", err)
				status = 1
				continue
			}
		}
		if err := copyFile(exe, target, 0o755); err != nil {
			fmt.Fprintf(os.Stderr, "go: %v\n", err)
			status = 1
			continue
		}
		// The WASI bridge cannot carry a file's mode: podplay's guest call sets it.
		guest.Chmod(target, 0o755)
		phase("write "+target, t0)
	}
	if f.output != "" && len(mains) == 0 && outDir == "" && len(roots) == 1 {
		// -o with a non-main package writes the package archive, as cmd/go does.
		if err := copyFile(roots[0].Archive, f.output, 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "go: %v\n", err)
			return 1
		}
	}
	return status
}

func cmdRun(args []string) int {
	var f buildFlags
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	f.register(fs, false)
	rest, ok := parseFlags(fs, "go run [build flags] [-exec xprog] package [arguments...]", args)
	if !ok {
		return 2
	}
	if len(rest) == 0 {
		fmt.Fprintln(os.Stderr, "go: no go files listed")
		return 1
	}
	var pkgArgs, progArgs []string
	if strings.HasSuffix(rest[0], ".go") {
		i := 0
		for i < len(rest) && strings.HasSuffix(rest[i], ".go") {
			i++
		}
		pkgArgs, progArgs = rest[:i], rest[i:]
	} else {
		pkgArgs, progArgs = rest[:1], rest[1:]
	}
	roots, mod, ok := loadForBuild(f, pkgArgs)
	if !ok {
		return 1
	}
	if len(roots) != 1 {
		fmt.Fprintln(os.Stderr, "go: pattern matches multiple packages")
		return 1
	}
	p := roots[0]
	if p.Name != "main" {
		fmt.Fprintf(os.Stderr, "package %s is not a main package\n", p.ImportPath)
		return 1
	}
	b, err := newBuilder(f, mod)
	if err != nil {
		fmt.Fprintf(os.Stderr, "go: %v\n", err)
		return 1
	}
	if !b.compileAll(postorder(roots)) {
		b.close()
		return 1
	}
	exe, err := b.link(p)
	b.close()
	if err != nil {
		if err != errReported {
			fmt.Fprintf(os.Stderr, "go: %v\n", err)
		}
		return 1
	}
	name := strings.TrimSuffix(exeName(p, pkgArgs), ".wasm")
	return execProgram(exe, append([]string{name}, progArgs...))
}

// phase prints how long a step took when GO_PHASES is set (podplay's
// bench reads these to say where a build's time goes).
func phase(name string, since time.Time) {
	if os.Getenv("GO_PHASES") != "" {
		fmt.Fprintf(os.Stderr, "phase %s %.3fs\n", name, time.Since(since).Seconds())
	}
}
