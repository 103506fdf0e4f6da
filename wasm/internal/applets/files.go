package applets

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"podplay.dev/wasm/guest"
)

func init() {
	Register(&Applet{Name: "mkdir", Usage: "[-m MODE] [-p] DIRECTORY...", Help: "Create directories (-p: with parents, no error if they exist; -m: with MODE).", Run: mkdir})
	Register(&Applet{Name: "rm", Usage: "[-irf] FILE...", Help: "Remove files (-r: directories and their contents; -f: ignore missing).", Run: rm})
	Register(&Applet{Name: "rmdir", Usage: "[-p] DIRECTORY...", Help: "Remove empty directories (-p: and their empty parents).", Run: rmdir})
	Register(&Applet{Name: "touch", Usage: "[-c] FILE...", Help: "Create empty files, or update their times (-c: create none).", Run: touch})
	Register(&Applet{Name: "cp", Usage: "[-arPLHpfinlsTu] SOURCE... DEST", Help: "Copy files.\n-a same as -dpR  -R,-r recurse  -d,-P copy symlinks as symlinks (default with -R)\n-L,-H follow symlinks  -p keep modes, owners and times  -f overwrite  -n no overwrite\n-l hard link instead  -s symlink instead  -T DEST is not a directory", Run: cp})
	Register(&Applet{Name: "mv", Usage: "[-fin] SOURCE... DEST", Help: "Move or rename files.", Run: mv})
	Register(&Applet{Name: "ln", Usage: "[-sfnbvT] TARGET... LINK|DIR", Help: "Make a hard link, or with -s a symbolic link.\n-f remove existing destinations  -n don't follow a symlink to a directory at LINK\n-T LINK is not a directory", Run: ln})
}

const umask = 0o022

func mkdir(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "pv", "m")
	if !ok {
		return 1
	}
	if len(f.rest) == 0 {
		return e.Errorf("missing operand")
	}
	mode := uint32(0o777 &^ umask)
	if f.set['m'] {
		m, err := parseMode(f.values['m'], 0o777, true)
		if err != nil {
			return e.Errorf("invalid mode '%s'", f.values['m'])
		}
		mode = m
	}
	status := 0
	for _, d := range f.rest {
		p := e.Path(d)
		if f.set['p'] {
			// Missing parents get the default mode; the last one gets MODE.
			parts := strings.Split(strings.Trim(p, "/"), "/")
			cur := "/"
			for i, c := range parts {
				cur = path.Join(cur, c)
				if info, err := statFollow(cur); err == nil {
					if !info.IsDir() {
						status = e.Errorf("can't create directory '%s': %s", d, "File exists")
						break
					}
					continue
				}
				m := uint32(0o777 &^ umask)
				if i == len(parts)-1 {
					m = mode
				}
				if err := guest.Mkdir(cur, fs.FileMode(m&0o777)|extraBits(m)); err != nil && !errors.Is(err, fs.ErrExist) {
					status = e.Errorf("can't create directory '%s': %s", d, errText(err))
					break
				}
			}
			continue
		}
		if err := guest.Mkdir(p, fs.FileMode(mode&0o777)|extraBits(mode)); err != nil {
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
	if len(f.rest) == 0 && !f.set['f'] {
		return e.Errorf("missing operand")
	}
	status := 0
	for _, n := range f.rest {
		p := e.Path(n)
		if base := path.Base(strings.TrimRight(n, "/")); base == "." || base == ".." {
			status = e.Errorf("can't remove '.' or '..'")
			continue
		}
		info, err := lstat(p)
		if err != nil {
			if !f.set['f'] {
				status = e.Errorf("can't remove '%s': %s", n, errText(err))
			}
			continue
		}
		if info.IsDir() && !f.set['r'] && !f.set['R'] {
			status = e.Errorf("'%s' is a directory", n)
			continue
		}
		if info.IsDir() {
			err = guest.RemoveAll(p)
		} else {
			err = guest.Remove(p)
		}
		if err != nil {
			status = e.Errorf("can't remove '%s': %s", n, errText(err))
		} else if f.set['v'] {
			fmt.Fprintf(e.Stdout, "removed '%s'\n", n)
		}
	}
	return status
}

func rmdir(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "p", "")
	if !ok {
		return 1
	}
	status := 0
	for _, n := range f.rest {
		for d := n; ; d = path.Dir(d) {
			p := e.Path(d)
			info, err := lstat(p)
			if err == nil && !info.IsDir() {
				err = &os.PathError{Op: "rmdir", Path: p, Err: errors.New("Not a directory")}
			} else if err == nil {
				err = guest.Remove(p)
			}
			if err != nil {
				status = e.Errorf("'%s': %s", d, errText(err))
				break
			}
			if !f.set['p'] || path.Dir(d) == d || path.Dir(d) == "." {
				break
			}
		}
	}
	return status
}

func touch(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "cham", "dtr")
	if !ok {
		return 1
	}
	status := 0
	when := time.Now()
	if f.set['r'] {
		ref, err := statFollow(e.Path(f.values['r']))
		if err != nil {
			return e.Errorf("%s: %s", f.values['r'], errText(err))
		}
		when = ref.ModTime()
	}
	if f.set['d'] {
		t, err := parseDate(f.values['d'])
		if err != nil {
			return e.Errorf("invalid date '%s'", f.values['d'])
		}
		when = t
	}
	for _, n := range f.rest {
		p := e.Path(n)
		if _, err := lstat(p); err == nil {
			var err error
			if f.set['h'] {
				err = guest.Lchtimes(p, when)
			} else {
				err = guest.Chtimes(p, when, when)
			}
			if err != nil {
				status = e.Errorf("%s: %s", n, errText(err))
			}
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
		if f.set['d'] || f.set['r'] {
			guest.Chtimes(p, when, when)
		}
	}
	return status
}

// parseDate reads touch -d's and date -d's forms.
func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02", time.RFC3339, "200601021504.05", "200601021504"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	if strings.HasPrefix(s, "@") {
		var sec int64
		if _, err := fmt.Sscanf(s[1:], "%d", &sec); err == nil {
			return time.Unix(sec, 0), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date")
}

// destFor returns where src lands: inside dst when dst is a directory.
func destFor(e *Env, src, dst string, noTarget bool) string {
	if !noTarget {
		if info, err := statFollow(e.Path(dst)); err == nil && info.IsDir() {
			return path.Join(e.Path(dst), path.Base(strings.TrimRight(src, "/")))
		}
	}
	return e.Path(dst)
}

type cpOpts struct {
	recursive, deref, derefTop, preserve, force, noClobber, hardLink, symLink bool
}

func cp(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "arRdPLHpfinlsTuv", "")
	if !ok {
		return 1
	}
	if len(f.rest) < 2 {
		return e.Errorf("missing file operand")
	}
	o := cpOpts{
		recursive: f.set['r'] || f.set['R'] || f.set['a'],
		preserve:  f.set['p'] || f.set['a'],
		force:     f.set['f'],
		noClobber: f.set['n'],
		hardLink:  f.set['l'],
		symLink:   f.set['s'],
	}
	// Symlinks: copied as symlinks with -d/-P/-a, and by default under -R;
	// followed with -L; -H follows only those named on the command line.
	o.deref = f.set['L'] || (!o.recursive && !f.set['d'] && !f.set['P'])
	o.derefTop = o.deref || f.set['H']
	srcs, dst := f.rest[:len(f.rest)-1], f.rest[len(f.rest)-1]
	if len(srcs) > 1 {
		if info, err := statFollow(e.Path(dst)); err != nil || !info.IsDir() {
			return e.Errorf("'%s' is not a directory", dst)
		}
	}
	status := 0
	for _, s := range srcs {
		info, err := lstat(e.Path(s))
		if err == nil && o.derefTop && info.Mode()&fs.ModeSymlink != 0 {
			info, err = statFollow(e.Path(s))
		}
		if err != nil {
			status = e.Errorf("can't stat '%s': %s", s, errText(err))
			continue
		}
		if info.IsDir() && !o.recursive {
			status = e.Errorf("omitting directory '%s'", s)
			continue
		}
		to := destFor(e, s, dst, f.set['T'])
		if err := o.copy(e, e.Path(s), to, info); err != nil {
			status = 1
		}
	}
	return status
}

func (o cpOpts) copy(e *Env, from, to string, info fs.FileInfo) error {
	fail := func(format string, a ...any) error {
		e.Errorf(format, a...)
		return errors.New("failed")
	}
	if existing, err := lstat(to); err == nil {
		if o.noClobber {
			return nil
		}
		if s1, s2 := sysOf(existing), sysOf(info); s1.Ino != 0 && s1.Ino == s2.Ino {
			return fail("'%s' and '%s' are the same file", from, to)
		}
		if !info.IsDir() && (existing.Mode()&fs.ModeSymlink != 0 || o.force || o.hardLink || o.symLink || info.Mode()&fs.ModeSymlink != 0) {
			guest.Remove(to)
		}
	}
	st := sysOf(info)
	var err error
	switch {
	case info.IsDir():
		if existing, err2 := statFollow(to); err2 != nil {
			if err := guest.Mkdir(to, 0o700); err != nil {
				return fail("can't create directory '%s': %s", to, errText(err))
			}
		} else if !existing.IsDir() {
			return fail("can't create directory '%s': File exists", to)
		}
		entries, err := guest.ReadDir(from)
		if err != nil {
			return fail("can't open '%s': %s", from, errText(err))
		}
		var failed error
		for _, de := range entries {
			child := path.Join(from, de.Name())
			ci, err := de.Info()
			if err == nil && o.deref && ci.Mode()&fs.ModeSymlink != 0 {
				ci, err = statFollow(child)
			}
			if err != nil {
				failed = fail("can't stat '%s': %s", child, errText(err))
				continue
			}
			if err := o.copy(e, child, path.Join(to, de.Name()), ci); err != nil {
				failed = err
			}
		}
		mode := st.Mode & 0o7777
		if !o.preserve {
			mode &^= umask
		}
		guest.Chmod(to, fs.FileMode(mode&0o777)|extraBits(mode))
		if o.preserve {
			guest.Lchown(to, int(st.Uid), int(st.Gid))
			guest.Chtimes(to, info.ModTime(), info.ModTime())
		}
		return failed
	case o.hardLink:
		err = guest.Link(from, to)
	case o.symLink:
		err = guest.Symlink(from, to)
	case info.Mode()&fs.ModeSymlink != 0:
		target := st.Target
		if target == "" {
			target, _ = guest.Readlink(from)
		}
		err = guest.Symlink(target, to)
		if err == nil && o.preserve {
			guest.Lchown(to, int(st.Uid), int(st.Gid))
			guest.Lchtimes(to, info.ModTime())
		}
	default:
		if !info.Mode().IsRegular() {
			return fail("'%s': can't copy a special file", from)
		}
		err = copyFile(from, to)
		if err == nil {
			mode := st.Mode & 0o7777
			if !o.preserve {
				mode &^= umask | 0o6000
			}
			guest.Chmod(to, fs.FileMode(mode&0o777)|extraBits(mode))
			if o.preserve {
				guest.Chown(to, int(st.Uid), int(st.Gid))
				guest.Chtimes(to, info.ModTime(), info.ModTime())
			}
		}
	}
	if err != nil {
		return fail("can't create '%s': %s", to, errText(err))
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func mv(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "finTv", "")
	if !ok {
		return 1
	}
	if len(f.rest) < 2 {
		return e.Errorf("missing file operand")
	}
	srcs, dst := f.rest[:len(f.rest)-1], f.rest[len(f.rest)-1]
	status := 0
	for _, s := range srcs {
		to := destFor(e, s, dst, f.set['T'])
		if _, err := lstat(to); err == nil && f.set['n'] {
			continue
		}
		if err := os.Rename(e.Path(s), to); err != nil {
			status = e.Errorf("can't rename '%s': %s", s, errText(err))
		}
	}
	return status
}

func ln(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "sfnbvT", "S")
	if !ok {
		return 1
	}
	if len(f.rest) == 0 {
		return e.Errorf("missing operand")
	}
	targets, dir := f.rest, ""
	if len(f.rest) == 1 {
		dir = "."
	} else {
		targets, dir = f.rest[:len(f.rest)-1], f.rest[len(f.rest)-1]
	}
	status := 0
	for _, target := range targets {
		link := e.Path(dir)
		isDir := false
		if !f.set['T'] {
			if info, err := lstat(link); err == nil {
				isDir = info.IsDir()
				if !isDir && info.Mode()&fs.ModeSymlink != 0 && !f.set['n'] {
					if real, err := statFollow(link); err == nil {
						isDir = real.IsDir()
					}
				}
			}
		}
		shown := dir
		if isDir || len(f.rest) == 1 {
			link = path.Join(link, path.Base(target))
			shown = path.Join(dir, path.Base(target))
			if len(f.rest) == 1 {
				shown = path.Base(target)
			}
		}
		if f.set['f'] {
			if info, err := lstat(link); err == nil && !info.IsDir() {
				guest.Remove(link)
			}
		}
		var err error
		if f.set['s'] {
			err = guest.Symlink(target, link)
		} else {
			err = guest.Link(e.Path(target), link)
		}
		if err != nil {
			status = e.Errorf("%s: %s", shown, errText(err))
		} else if f.set['v'] {
			fmt.Fprintf(e.Stdout, "'%s' -> '%s'\n", shown, target)
		}
	}
	return status
}
