package applets

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"podplay.dev/wasm/guest"
)

func init() {
	Register(&Applet{Name: "stat", Usage: "[-ltL] [-c FMT] FILE...", Help: "Display file status.\n-c FMT  %n name %N quoted name (-> target) %s size %b blocks %B block size %o I/O block\n        %f raw mode (hex) %a octal mode %A mode %F type %h links %i inode\n        %u %U owner %g %G group %x %X %y %Y %z %Z times (%X epoch seconds) %d %D %t %T devices %%\n-L follow links  -t terse", Run: statApplet})
	Register(&Applet{Name: "readlink", Usage: "[-fen] FILE", Help: "Print a symlink's target.\n-f canonicalize: follow every link, all but the last component must exist\n-e all must exist  -n no newline", Run: readlink})
	Register(&Applet{Name: "realpath", Usage: "FILE...", Help: "Print each FILE's absolute path with every symlink resolved.", Run: realpath})
	Register(&Applet{Name: "which", Usage: "[-a] COMMAND...", Help: "Print where each COMMAND is found on PATH (-a: every match).", Run: which})
	Register(&Applet{Name: "du", Usage: "[-aHLdclsxhmk] [FILE]...", Help: "Estimate file space usage (in 1K blocks).\n-a all files, not only directories  -s only a total for each FILE  -c a grand total\n-d N at most N levels deep  -h human sizes  -m in MiB  -k in KiB  -L follow symlinks  -l count hard links again", Run: du})
}

func fileType(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "fifo"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character special file"
	case m&fs.ModeDevice != 0:
		return "block special file"
	}
	return "regular file"
}

// stamp is stat's time: 2026-12-07 11:10:11.868443562 +0000.
func stamp(t time.Time) string {
	return t.Format("2006-01-02 15:04:05.000000000 -0700")
}

func statApplet(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "ltLf", "c")
	if !ok {
		return 1
	}
	if len(f.rest) == 0 {
		return e.Errorf("missing operand")
	}
	status := 0
	for _, n := range f.rest {
		p := e.Path(n)
		var info fs.FileInfo
		var err error
		if f.set['L'] {
			info, err = statFollow(p)
		} else {
			info, err = lstat(p)
		}
		if err != nil {
			status = e.Errorf("can't stat '%s': %s", n, errText(err))
			continue
		}
		st := sysOf(info)
		switch {
		case f.set['c']:
			fmt.Fprintln(e.Stdout, statFormat(f.values['c'], n, info, st))
		case f.set['t']:
			fmt.Fprintf(e.Stdout, "%s %d %d %x %d %d fe00 %d %d 0 0 %d %d %d 4096\n", n, st.Size, st.Blocks, st.Mode, st.Uid, st.Gid, st.Ino, st.Nlink, info.ModTime().Unix(), info.ModTime().Unix(), info.ModTime().Unix())
		default:
			name := n
			if info.Mode()&fs.ModeSymlink != 0 {
				name = fmt.Sprintf("'%s' -> '%s'", n, st.Target)
			}
			fmt.Fprintf(e.Stdout, "  File: %s\n", name)
			fmt.Fprintf(e.Stdout, "  Size: %-10d\tBlocks: %-10d IO Block: 4096   %s\n", st.Size, st.Blocks, fileType(info.Mode()))
			fmt.Fprintf(e.Stdout, "Device: fe00h/65024d\tInode: %-10d  Links: %d\n", st.Ino, st.Nlink)
			fmt.Fprintf(e.Stdout, "Access: (%04o/%s)  Uid: (%5d/%8s)   Gid: (%5d/%8s)\n", st.Mode&0o7777, modeString(info.Mode()), st.Uid, userName(st.Uid), st.Gid, groupName(st.Gid))
			t := stamp(info.ModTime())
			fmt.Fprintf(e.Stdout, "Access: %s\nModify: %s\nChange: %s\n", t, t, t)
		}
	}
	return status
}

func statFormat(format, name string, info fs.FileInfo, st guest.Sys) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '\\' && i+1 < len(format) {
			i++
			switch format[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte('\\')
				b.WriteByte(format[i])
			}
			continue
		}
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		mt := info.ModTime()
		switch format[i] {
		case '%':
			b.WriteByte('%')
		case 'n':
			b.WriteString(name)
		case 'N':
			if info.Mode()&fs.ModeSymlink != 0 {
				fmt.Fprintf(&b, "'%s' -> '%s'", name, st.Target)
			} else {
				fmt.Fprintf(&b, "'%s'", name)
			}
		case 's':
			b.WriteString(strconv.FormatInt(st.Size, 10))
		case 'b':
			b.WriteString(strconv.FormatInt(st.Blocks, 10))
		case 'B':
			b.WriteString("512")
		case 'o':
			b.WriteString("4096")
		case 'f':
			fmt.Fprintf(&b, "%x", st.Mode)
		case 'a':
			fmt.Fprintf(&b, "%o", st.Mode&0o7777)
		case 'A':
			b.WriteString(modeString(info.Mode()))
		case 'F':
			b.WriteString(fileType(info.Mode()))
		case 'h':
			b.WriteString(strconv.FormatUint(st.Nlink, 10))
		case 'i':
			b.WriteString(strconv.FormatUint(st.Ino, 10))
		case 'u':
			b.WriteString(strconv.FormatUint(uint64(st.Uid), 10))
		case 'U':
			b.WriteString(userName(st.Uid))
		case 'g':
			b.WriteString(strconv.FormatUint(uint64(st.Gid), 10))
		case 'G':
			b.WriteString(groupName(st.Gid))
		case 'x', 'y', 'z':
			b.WriteString(stamp(mt))
		case 'X', 'Y', 'Z':
			b.WriteString(strconv.FormatInt(mt.Unix(), 10))
		case 'd':
			b.WriteString("65024")
		case 'D':
			b.WriteString("fe00")
		case 't', 'T':
			b.WriteString("0")
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

func readlink(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "fenvsq", "")
	if !ok {
		return 1
	}
	if len(f.rest) == 0 {
		return e.Errorf("missing operand")
	}
	end := "\n"
	if f.set['n'] {
		end = ""
	}
	status := 0
	for _, n := range f.rest {
		p := e.Path(n)
		if f.set['f'] || f.set['e'] {
			real, err := canonical(p, f.set['e'])
			if err != nil {
				if f.set['v'] {
					e.Errorf("%s: %s", n, errText(err))
				}
				status = 1
				continue
			}
			fmt.Fprint(e.Stdout, real+end)
			continue
		}
		target, err := guest.Readlink(p)
		if err != nil {
			if f.set['v'] {
				e.Errorf("%s: %s", n, errText(err))
			}
			status = 1
			continue
		}
		fmt.Fprint(e.Stdout, target+end)
	}
	return status
}

// canonical is readlink -f (the last component may be missing) or -e (it must exist).
func canonical(p string, mustExist bool) (string, error) {
	if real, err := guest.Realpath(p); err == nil {
		return real, nil
	} else if mustExist {
		return "", err
	}
	dir, err := guest.Realpath(path.Dir(p))
	if err != nil {
		return "", err
	}
	return path.Join(dir, path.Base(p)), nil
}

func realpath(e *Env) int {
	status := 0
	for _, n := range e.Args[1:] {
		real, err := guest.Realpath(e.Path(n))
		if err != nil {
			status = e.Errorf("%s: %s", n, errText(err))
			continue
		}
		fmt.Fprintln(e.Stdout, real)
	}
	return status
}

// LookPath finds an executable regular file for name as execvp(3) would:
// a name with a slash as it is, else the first match on PATH. The second
// result says whether a file was found that is not executable.
func LookPath(e *Env, name string) (string, bool) {
	if strings.Contains(name, "/") {
		return e.Path(name), executable(e.Path(name))
	}
	pathVar, ok := e.LookupEnv("PATH")
	if !ok {
		pathVar = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	}
	for _, dir := range strings.Split(pathVar, ":") {
		if dir == "" {
			dir = "."
		}
		p := path.Join(e.Path(dir), name)
		if executable(p) {
			return p, true
		}
	}
	return "", false
}

func executable(p string) bool {
	info, err := statFollow(p)
	return err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0
}

func which(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "a", "")
	if !ok {
		return 1
	}
	status := 0
	for _, n := range f.rest {
		found := false
		if strings.Contains(n, "/") {
			if executable(e.Path(n)) {
				fmt.Fprintln(e.Stdout, n)
				found = true
			}
		} else {
			pathVar, ok := e.LookupEnv("PATH")
			if !ok {
				pathVar = "/sbin:/usr/sbin:/bin:/usr/bin"
			}
			for _, dir := range strings.Split(pathVar, ":") {
				if dir == "" {
					dir = "."
				}
				if p := path.Join(dir, n); executable(e.Path(p)) {
					fmt.Fprintln(e.Stdout, p)
					found = true
					if !f.set['a'] {
						break
					}
				}
			}
		}
		if !found {
			status = 1
		}
	}
	return status
}

type duOpts struct {
	*flags
	maxDepth int
	seen     map[uint64]bool
	unit     int64 // bytes per printed unit
}

func du(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "aHLcslxhmk", "d")
	if !ok {
		return 1
	}
	o := duOpts{flags: f, maxDepth: -1, seen: map[uint64]bool{}, unit: 1024}
	if f.set['d'] {
		d, err := strconv.Atoi(f.values['d'])
		if err != nil || d < 0 {
			return e.Errorf("invalid number '%s'", f.values['d'])
		}
		o.maxDepth = d
	}
	if f.set['s'] {
		o.maxDepth = 0
	}
	if f.set['m'] {
		o.unit = 1 << 20
	}
	roots := f.rest
	if len(roots) == 0 {
		roots = []string{"."}
	}
	status := 0
	var total int64
	for _, r := range roots {
		n, ok := o.walk(e, r, e.Path(r), 0, true)
		if !ok {
			status = 1
		}
		total += n
	}
	if f.set['c'] {
		o.print(e, total, "total")
	}
	return status
}

func (o duOpts) print(e *Env, blocks int64, name string) {
	bytes := blocks * 512
	if o.set['h'] {
		fmt.Fprintf(e.Stdout, "%s\t%s\n", humanSize(bytes), name)
		return
	}
	fmt.Fprintf(e.Stdout, "%d\t%s\n", (bytes+o.unit-1)/o.unit, name)
}

// walk returns the 512-byte blocks under p and prints per busybox du's rules.
func (o duOpts) walk(e *Env, shown, p string, depth int, top bool) (int64, bool) {
	info, err := lstat(p)
	if err == nil && info.Mode()&fs.ModeSymlink != 0 && (o.set['L'] || (top && o.set['H'])) {
		info, err = statFollow(p)
	}
	if err != nil {
		e.Errorf("%s: %s", shown, errText(err))
		return 0, false
	}
	st := sysOf(info)
	if !info.IsDir() && st.Nlink > 1 && !o.set['l'] {
		if o.seen[st.Ino] {
			return 0, true
		}
		o.seen[st.Ino] = true
	}
	blocks := st.Blocks
	ok := true
	if info.IsDir() {
		entries, err := guest.ReadDir(p)
		if err != nil {
			e.Errorf("%s: %s", shown, errText(err))
			ok = false
		}
		for _, de := range entries {
			n, fine := o.walk(e, strings.TrimSuffix(shown, "/")+"/"+de.Name(), path.Join(p, de.Name()), depth+1, false)
			blocks += n
			ok = ok && fine
		}
	}
	if (info.IsDir() || o.set['a'] || top) && (o.maxDepth < 0 || depth <= o.maxDepth) {
		o.print(e, blocks, shown)
	}
	return blocks, ok
}
