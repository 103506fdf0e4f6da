package applets

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"podplay.dev/wasm/guest"
)

func init() {
	Register(&Applet{Name: "ls", Usage: "[-1AaCdFhiLlnoprRSsgt] [FILE]...", Help: "List directory contents.\n" +
		"-1 one per line  -a all, with . and ..  -A all but . and ..  -C columns  -d directories themselves\n" +
		"-F append /*@ by type  -p append / to directories  -h sizes like 1.5K  -i inode numbers\n" +
		"-L follow symlinks  -l long format  -n numeric ids  -g no owner  -o no group\n" +
		"-R recursive  -r reverse  -S by size  -t by time  -s sizes in blocks", Run: ls})
}

type lsEntry struct {
	name string // as shown
	path string // to stat
	info fs.FileInfo
}

type lsOpts struct {
	*flags
	columns bool
}

func ls(e *Env) int {
	f, ok := parseFlags(e, e.Args[1:], "1aACdFhiLlnopRrSstgcu", "")
	if !ok {
		return 2
	}
	o := lsOpts{flags: f}
	// busybox prints columns to a terminal and one name per line otherwise;
	// wasip1 has no isatty, so TERM (set by docker run -t, kubectl exec -t) tells.
	o.columns = (e.Getenv("TERM") != "" || f.set['C']) && !f.set['1'] && !o.long()
	targets := f.rest
	if len(targets) == 0 {
		targets = []string{"."}
	}
	status := 0
	var files, dirs []lsEntry
	for _, t := range targets {
		p := e.Path(t)
		info, err := lstat(p)
		// Symlinks named on the command line are followed unless -l, -d or -F asks for the link itself.
		follow := f.set['L'] || strings.HasSuffix(t, "/") || (!o.long() && !f.set['d'] && !f.set['F'])
		if err == nil && info.Mode()&fs.ModeSymlink != 0 && follow {
			if real, err2 := statFollow(p); err2 == nil {
				info = real
			}
		}
		if err != nil {
			e.Errorf("%s: %s", t, errText(err))
			status = 1
			continue
		}
		if info.IsDir() && !f.set['d'] {
			dirs = append(dirs, lsEntry{t, p, info})
		} else {
			files = append(files, lsEntry{t, p, info})
		}
	}
	o.sort(files)
	o.sort(dirs)
	o.print(e, files)
	for i, d := range dirs {
		if len(targets) > 1 || f.set['R'] {
			if i > 0 || len(files) > 0 {
				fmt.Fprintln(e.Stdout)
			}
			fmt.Fprintf(e.Stdout, "%s:\n", d.name)
		}
		if s := o.listDir(e, d.name, d.path); s != 0 {
			status = s
		}
	}
	return status
}

func (o lsOpts) long() bool { return o.set['l'] || o.set['n'] || o.set['g'] || o.set['o'] }

func (o lsOpts) listDir(e *Env, shown, dir string) int {
	entries, err := guest.ReadDir(dir)
	if err != nil {
		e.Errorf("%s: %s", shown, errText(err))
		return 2
	}
	var items []lsEntry
	if o.set['a'] {
		for _, n := range []string{".", ".."} {
			if info, err := statFollow(path.Join(dir, n)); err == nil {
				items = append(items, lsEntry{n, path.Join(dir, n), info})
			}
		}
	}
	for _, de := range entries {
		name := de.Name()
		// A plain WASI host can list odd entries at the root ("/.", "//").
		if name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
			continue
		}
		if strings.HasPrefix(name, ".") && !o.set['a'] && !o.set['A'] {
			continue
		}
		p := path.Join(dir, name)
		info, err := de.Info()
		if err == nil && o.set['L'] && info.Mode()&fs.ModeSymlink != 0 {
			if real, err2 := statFollow(p); err2 == nil {
				info = real
			}
		}
		if err != nil {
			e.Errorf("%s: %s", path.Join(shown, name), errText(err))
			continue
		}
		items = append(items, lsEntry{name, p, info})
	}
	o.sort(items)
	if o.long() || o.set['s'] {
		var total int64
		for _, it := range items {
			total += sysOf(it.info).Blocks / 2
		}
		fmt.Fprintf(e.Stdout, "total %d\n", total)
	}
	o.print(e, items)
	status := 0
	if o.set['R'] {
		for _, it := range items {
			if it.info.IsDir() && it.name != "." && it.name != ".." {
				sub := strings.TrimSuffix(shown, "/") + "/" + it.name
				fmt.Fprintf(e.Stdout, "\n%s:\n", sub)
				if s := o.listDir(e, sub, it.path); s != 0 {
					status = s
				}
			}
		}
	}
	return status
}

func (o lsOpts) sort(items []lsEntry) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		switch {
		case o.set['S'] && a.info.Size() != b.info.Size():
			return a.info.Size() > b.info.Size()
		case o.set['t'] && !a.info.ModTime().Equal(b.info.ModTime()):
			return a.info.ModTime().After(b.info.ModTime())
		}
		return a.name < b.name
	})
	if o.set['r'] {
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
	}
}

// suffix is -F's or -p's mark.
func (o lsOpts) suffix(m fs.FileMode) string {
	switch {
	case m.IsDir() && (o.set['F'] || o.set['p']):
		return "/"
	case !o.set['F']:
		return ""
	case m&fs.ModeSymlink != 0:
		return "@"
	case m&fs.ModeNamedPipe != 0:
		return "|"
	case m&fs.ModeSocket != 0:
		return "="
	case m&0o111 != 0:
		return "*"
	}
	return ""
}

func (o lsOpts) prefix(it lsEntry) string {
	var b strings.Builder
	st := sysOf(it.info)
	if o.set['i'] {
		fmt.Fprintf(&b, "%7d ", st.Ino)
	}
	if o.set['s'] {
		fmt.Fprintf(&b, "%4d ", st.Blocks/2)
	}
	return b.String()
}

func (o lsOpts) print(e *Env, items []lsEntry) {
	if len(items) == 0 {
		return
	}
	if o.long() {
		for _, it := range items {
			o.printLong(e, it)
		}
		return
	}
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = o.prefix(it) + it.name + o.suffix(it.info.Mode())
	}
	if !o.columns {
		for _, n := range names {
			fmt.Fprintln(e.Stdout, n)
		}
		return
	}
	width := 80
	if c, err := strconv.Atoi(e.Getenv("COLUMNS")); err == nil && c > 0 {
		width = c
	}
	max := 0
	for _, n := range names {
		if len(n) > max {
			max = len(n)
		}
	}
	colWidth := max + 2
	cols := width / colWidth
	if cols < 1 {
		cols = 1
	}
	rows := (len(names) + cols - 1) / cols
	for r := 0; r < rows; r++ {
		var line strings.Builder
		for c := 0; c < cols; c++ {
			i := c*rows + r
			if i >= len(names) {
				break
			}
			if c+1 < cols && (c+1)*rows+r < len(names) {
				line.WriteString(fmt.Sprintf("%-*s", colWidth, names[i]))
			} else {
				line.WriteString(names[i])
			}
		}
		fmt.Fprintln(e.Stdout, line.String())
	}
}

func (o lsOpts) printLong(e *Env, it lsEntry) {
	st := sysOf(it.info)
	var b strings.Builder
	b.WriteString(o.prefix(it))
	fmt.Fprintf(&b, "%s %4d ", modeString(it.info.Mode()), st.Nlink)
	user, group := userName(st.Uid), groupName(st.Gid)
	if o.set['n'] {
		user, group = strconv.Itoa(int(st.Uid)), strconv.Itoa(int(st.Gid))
	}
	if !o.set['g'] {
		fmt.Fprintf(&b, "%-8s ", user)
	}
	if !o.set['o'] {
		fmt.Fprintf(&b, "%-8s ", group)
	}
	if o.set['h'] {
		fmt.Fprintf(&b, "%9s ", humanSize(it.info.Size()))
	} else {
		fmt.Fprintf(&b, "%9d ", it.info.Size())
	}
	stamp := it.info.ModTime().Local()
	when := stamp.Format("Jan _2 15:04")
	if d := time.Since(stamp); d > 182*24*time.Hour || d < -time.Hour {
		when = stamp.Format("Jan _2  2006")
	}
	b.WriteString(when + " " + it.name)
	if it.info.Mode()&fs.ModeSymlink != 0 {
		target := sysOf(it.info).Target
		if target == "" {
			target, _ = guest.Readlink(it.path)
		}
		b.WriteString(" -> " + target)
	} else {
		b.WriteString(o.suffix(it.info.Mode()))
	}
	if _, err := fmt.Fprintln(e.Stdout, b.String()); err != nil {
		fmt.Fprintf(e.Stderr, "ls: write error: %v\n", err)
	}
}
