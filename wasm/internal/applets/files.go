package applets

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

func init() {
	Register(&Applet{Name: "ls", Usage: "[-1alAdR] [FILE]...", Help: "List directory contents.\n-a all (with . and ..)  -A all but . and ..  -l long format  -d directories themselves  -R recursive", Run: ls})
	Register(&Applet{Name: "mkdir", Usage: "[-p] DIRECTORY...", Help: "Create directories (-p: with parents, no error if they exist).", Run: mkdir})
	Register(&Applet{Name: "rm", Usage: "[-rf] FILE...", Help: "Remove files (-r: directories and their contents; -f: ignore missing).", Run: rm})
	Register(&Applet{Name: "rmdir", Usage: "DIRECTORY...", Help: "Remove empty directories.", Run: rmdir})
	Register(&Applet{Name: "touch", Usage: "FILE...", Help: "Create empty files, or update their times.", Run: touch})
	Register(&Applet{Name: "cp", Usage: "[-r] SOURCE... DEST", Help: "Copy files (-r: directories too).", Run: cp})
	Register(&Applet{Name: "mv", Usage: "SOURCE... DEST", Help: "Move or rename files.", Run: mv})
	Register(&Applet{Name: "ln", Usage: "[-sf] TARGET LINK", Help: "Make a hard link, or with -s a symbolic link.", Run: ln})
	Register(&Applet{Name: "find", Usage: "[PATH]... [-name PATTERN] [-type f|d|l] [-maxdepth N] [-mindepth N]", Help: "Search for files under each PATH (default .).", Run: find})
}

func modeString(m fs.FileMode) string {
	kind := byte('-')
	switch {
	case m.IsDir():
		kind = 'd'
	case m&fs.ModeSymlink != 0:
		kind = 'l'
	case m&fs.ModeNamedPipe != 0:
		kind = 'p'
	case m&fs.ModeCharDevice != 0:
		kind = 'c'
	}
	const rwx = "rwxrwxrwx"
	b := []byte{kind}
	for i := 0; i < 9; i++ {
		if m&(1<<uint(8-i)) != 0 {
			b = append(b, rwx[i])
		} else {
			b = append(b, '-')
		}
	}
	return string(b)
}

type lsOpts struct{ all, almost, long, dirself, recursive bool }

func ls(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "1alAdRh", "")
	if !ok {
		return 1
	}
	o := lsOpts{all: f.set['a'], almost: f.set['A'], long: f.set['l'], dirself: f.set['d'], recursive: f.set['R']}
	targets := f.rest
	if len(targets) == 0 {
		targets = []string{"."}
	}
	status := 0
	var files, dirs []string
	for _, t := range targets {
		st, err := os.Stat(e.Path(t))
		if err != nil {
			status = e.Errorf("%s: %s", t, errText(err))
			continue
		}
		if st.IsDir() && !o.dirself {
			dirs = append(dirs, t)
		} else {
			files = append(files, t)
		}
	}
	for _, t := range files {
		st, _ := os.Stat(e.Path(t))
		printEntry(e, o, t, st)
	}
	for i, d := range dirs {
		header := len(targets) > 1 || o.recursive
		if header {
			if i > 0 || len(files) > 0 {
				fmt.Fprintln(e.Stdout)
			}
			fmt.Fprintf(e.Stdout, "%s:\n", d)
		}
		if s := listDir(e, o, d); s != 0 {
			status = s
		}
	}
	return status
}

func listDir(e *Env, o lsOpts, dir string) int {
	entries, err := os.ReadDir(e.Path(dir))
	if err != nil {
		return e.Errorf("%s: %s", dir, errText(err))
	}
	type item struct {
		name string
		info fs.FileInfo
	}
	var items []item
	if o.all {
		for _, n := range []string{".", ".."} {
			if st, err := os.Stat(e.Path(path.Join(dir, n))); err == nil {
				items = append(items, item{n, st})
			}
		}
	}
	var subdirs []string
	for _, de := range entries {
		name := de.Name()
		// wasip1 hosts can list odd entries at the root ("/.", "//"): skip them.
		if name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
			continue
		}
		if strings.HasPrefix(name, ".") && !o.all && !o.almost {
			continue
		}
		info, err := os.Stat(e.Path(path.Join(dir, name)))
		if err != nil {
			if info, err = de.Info(); err != nil {
				e.Errorf("%s: %s", path.Join(dir, name), errText(err))
				continue
			}
		}
		items = append(items, item{name, info})
		if info.IsDir() {
			subdirs = append(subdirs, path.Join(dir, name))
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].name < items[j].name })
	if o.long {
		var total int64
		for _, it := range items {
			total += (it.info.Size() + 1023) / 1024
		}
		fmt.Fprintf(e.Stdout, "total %d\n", total)
	}
	for _, it := range items {
		printEntry(e, o, it.name, it.info)
	}
	status := 0
	if o.recursive {
		for _, sd := range subdirs {
			fmt.Fprintf(e.Stdout, "\n%s:\n", sd)
			if s := listDir(e, o, sd); s != 0 {
				status = s
			}
		}
	}
	return status
}

func printEntry(e *Env, o lsOpts, name string, st fs.FileInfo) {
	if !o.long {
		if _, err := fmt.Fprintln(e.Stdout, name); err != nil {
			fmt.Fprintf(e.Stderr, "ls: write error: %v\n", err)
		}
		return
	}
	stamp := st.ModTime().UTC()
	when := stamp.Format("Jan _2 15:04")
	if time.Since(stamp) > 180*24*time.Hour || stamp.After(time.Now().Add(time.Hour)) {
		when = stamp.Format("Jan _2  2006")
	}
	// busybox ls -l: mode, links, owner, group, size, date, name
	fmt.Fprintf(e.Stdout, "%s %4d %-8s %-8s %8d %s %s\n", modeString(st.Mode()), 1, "root", "root", st.Size(), when, name)
}

func mkdir(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "p", "m")
	if !ok {
		return 1
	}
	if len(f.rest) == 0 {
		return e.Errorf("missing operand")
	}
	status := 0
	for _, d := range f.rest {
		var err error
		if f.set['p'] {
			err = os.MkdirAll(e.Path(d), 0o755)
		} else {
			err = os.Mkdir(e.Path(d), 0o755)
		}
		if err != nil {
			status = e.Errorf("can't create directory '%s': %s", d, errText(err))
		}
	}
	return status
}

func rm(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "rRfiv", "")
	if !ok {
		return 1
	}
	status := 0
	for _, n := range f.rest {
		p := e.Path(n)
		st, err := os.Stat(p)
		if err != nil {
			if !f.set['f'] {
				status = e.Errorf("can't remove '%s': %s", n, errText(err))
			}
			continue
		}
		if st.IsDir() && !f.set['r'] && !f.set['R'] {
			status = e.Errorf("'%s' is a directory", n)
			continue
		}
		if st.IsDir() {
			err = os.RemoveAll(p)
		} else {
			err = os.Remove(p)
		}
		if err != nil {
			status = e.Errorf("can't remove '%s': %s", n, errText(err))
		}
	}
	return status
}

func rmdir(e *Env) int {
	status := 0
	for _, n := range e.Args[1:] {
		p := e.Path(n)
		os.Stat(p) // the host bridge finds a directory it has been asked about first
		if err := os.Remove(p); err != nil {
			status = e.Errorf("'%s': %s", n, errText(err))
		}
	}
	return status
}

func touch(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "c", "")
	if !ok {
		return 1
	}
	status := 0
	now := time.Now()
	for _, n := range f.rest {
		p := e.Path(n)
		if _, err := os.Stat(p); err == nil {
			os.Chtimes(p, now, now) // best effort: not every host filesystem keeps times
			continue
		}
		if f.set['c'] {
			continue
		}
		fh, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			status = e.Errorf("%s: %s", n, errText(err))
			continue
		}
		fh.Close()
	}
	return status
}

// destFor returns where src lands: inside dst when dst is a directory.
func destFor(e *Env, src, dst string) string {
	if st, err := os.Stat(e.Path(dst)); err == nil && st.IsDir() {
		return path.Join(e.Path(dst), path.Base(src))
	}
	return e.Path(dst)
}

func copyFile(from, to string, mode fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode.Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func copyTree(from, to string) error {
	st, err := os.Stat(from)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return copyFile(from, to, st.Mode())
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, de := range entries {
		if err := copyTree(path.Join(from, de.Name()), path.Join(to, de.Name())); err != nil {
			return err
		}
	}
	return nil
}

func cp(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "rRapf", "")
	if !ok {
		return 1
	}
	if len(f.rest) < 2 {
		return e.Errorf("missing file operand")
	}
	srcs, dst := f.rest[:len(f.rest)-1], f.rest[len(f.rest)-1]
	status := 0
	for _, s := range srcs {
		st, err := os.Stat(e.Path(s))
		if err != nil {
			status = e.Errorf("can't stat '%s': %s", s, errText(err))
			continue
		}
		to := destFor(e, s, dst)
		if st.IsDir() {
			if !f.set['r'] && !f.set['R'] && !f.set['a'] {
				status = e.Errorf("omitting directory '%s'", s)
				continue
			}
			err = copyTree(e.Path(s), to)
		} else {
			err = copyFile(e.Path(s), to, st.Mode())
		}
		if err != nil {
			status = e.Errorf("can't create '%s': %s", to, errText(err))
		}
	}
	return status
}

func mv(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "fin", "")
	if !ok {
		return 1
	}
	if len(f.rest) < 2 {
		return e.Errorf("missing file operand")
	}
	srcs, dst := f.rest[:len(f.rest)-1], f.rest[len(f.rest)-1]
	status := 0
	for _, s := range srcs {
		if err := os.Rename(e.Path(s), destFor(e, s, dst)); err != nil {
			status = e.Errorf("can't rename '%s': %s", s, errText(err))
		}
	}
	return status
}

func ln(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "sfn", "")
	if !ok {
		return 1
	}
	if len(f.rest) != 2 {
		return e.Errorf("usage: ln [-sf] TARGET LINK")
	}
	target, link := f.rest[0], destFor(e, f.rest[0], f.rest[1])
	if f.set['f'] {
		os.Remove(link)
	}
	var err error
	if f.set['s'] {
		err = os.Symlink(target, link)
	} else {
		err = os.Link(e.Path(target), link)
	}
	if err != nil {
		return e.Errorf("%s: %s", link, errText(err))
	}
	return 0
}

func find(e *Env) int {
	args := e.Args[1:]
	var roots []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		roots, args = append(roots, args[0]), args[1:]
	}
	if len(roots) == 0 {
		roots = []string{"."}
	}
	var name, kind string
	maxDepth, minDepth := -1, 0
	for len(args) > 0 {
		if len(args) < 2 {
			return e.Errorf("%s: requires an argument", args[0])
		}
		var err error
		switch args[0] {
		case "-name":
			name = args[1]
		case "-type":
			kind = args[1]
		case "-maxdepth":
			maxDepth, err = strconv.Atoi(args[1])
		case "-mindepth":
			minDepth, err = strconv.Atoi(args[1])
		default:
			return e.Errorf("unrecognized: %s", args[0])
		}
		if err != nil {
			return e.Errorf("invalid number '%s'", args[1])
		}
		args = args[2:]
	}
	status := 0
	var walk func(shown, real string, depth int)
	walk = func(shown, real string, depth int) {
		st, err := os.Stat(real)
		if err != nil {
			status = e.Errorf("%s: %s", shown, errText(err))
			return
		}
		matches := depth >= minDepth
		if name != "" {
			ok, _ := path.Match(name, path.Base(shown))
			matches = matches && ok
		}
		switch kind {
		case "f":
			matches = matches && st.Mode().IsRegular()
		case "d":
			matches = matches && st.IsDir()
		case "l":
			matches = matches && st.Mode()&fs.ModeSymlink != 0
		}
		if matches {
			fmt.Fprintln(e.Stdout, shown)
		}
		if !st.IsDir() || (maxDepth >= 0 && depth >= maxDepth) {
			return
		}
		entries, err := os.ReadDir(real)
		if err != nil {
			status = e.Errorf("%s: %s", shown, errText(err))
			return
		}
		for _, de := range entries {
			n := de.Name()
			if n == "" || n == "." || n == ".." || strings.Contains(n, "/") {
				continue
			}
			walk(strings.TrimSuffix(shown, "/")+"/"+n, path.Join(real, n), depth+1)
		}
	}
	for _, r := range roots {
		walk(r, e.Path(r), 0)
	}
	return status
}
