package applets

import (
	"archive/tar"
	"compress/gzip"
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
	Register(&Applet{Name: "tar", Usage: "c|x|t [-zvpO] [-f TARFILE] [-C DIR] [FILE]...", Help: "Create, extract, or list files from a tar file.\n" +
		"c create  x extract  t list  -f TARFILE (default or -: stdin/stdout)  -C DIR change to DIR first\n" +
		"-z gzip  -v verbose  -O extract to stdout  -h follow symlinks when creating\n" +
		"Modes, owners, mtimes, symlinks and hard links are kept.", Run: tarApplet})
}

func tarApplet(e *Env) int {
	args := e.Args[1:]
	// "tar cvf x" (old style: the first word is the options without a dash).
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		args[0] = "-" + args[0]
	}
	f, ok := parseFlags(e, args, "cxtzvpOhk", "fC")
	if !ok {
		return 1
	}
	modes := 0
	for _, m := range "cxt" {
		if f.set[byte(m)] {
			modes++
		}
	}
	if modes != 1 {
		return e.Errorf("need exactly one of 'c', 'x' or 't'")
	}
	file := f.values['f']
	dir := e.Dir
	if f.set['C'] {
		dir = e.Path(f.values['C'])
	}
	if f.set['c'] {
		if len(f.rest) == 0 {
			return e.Errorf("empty archive")
		}
		var out io.Writer = e.Stdout
		if file != "" && file != "-" {
			fh, err := os.Create(e.Path(file))
			if err != nil {
				return e.Errorf("can't open '%s': %s", file, errText(err))
			}
			defer fh.Close()
			out = fh
		}
		return tarCreate(e, out, dir, f.rest, f.set['z'], f.set['v'], f.set['h'])
	}
	var in io.Reader = e.Stdin
	if file != "" && file != "-" {
		fh, err := os.Open(e.Path(file))
		if err != nil {
			return e.Errorf("can't open '%s': %s", file, errText(err))
		}
		defer fh.Close()
		in = fh
	}
	if f.set['z'] {
		gz, err := gzip.NewReader(in)
		if err != nil {
			return e.Errorf("invalid gzip magic")
		}
		in = gz
	}
	return tarRead(e, tar.NewReader(in), dir, f)
}

func tarCreate(e *Env, out io.Writer, dir string, names []string, gz, verbose, follow bool) int {
	var gzw *gzip.Writer
	if gz {
		gzw = gzip.NewWriter(out)
		out = gzw
	}
	tw := tar.NewWriter(out)
	status := 0
	links := map[uint64]string{}
	var add func(name string)
	add = func(name string) {
		p := path.Join(dir, name)
		if path.IsAbs(name) {
			p = name
		}
		info, err := lstat(p)
		if err == nil && follow && info.Mode()&fs.ModeSymlink != 0 {
			info, err = statFollow(p)
		}
		if err != nil {
			status = e.Errorf("%s: %s", name, errText(err))
			return
		}
		st := sysOf(info)
		stored := strings.TrimPrefix(name, "/")
		h := &tar.Header{Name: stored, Mode: int64(st.Mode & 0o7777), Uid: int(st.Uid), Gid: int(st.Gid), ModTime: info.ModTime(), Uname: userName(st.Uid), Gname: groupName(st.Gid), Format: tar.FormatGNU}
		switch {
		case info.IsDir():
			h.Typeflag, h.Name = tar.TypeDir, stored+"/"
		case info.Mode()&fs.ModeSymlink != 0:
			h.Typeflag, h.Linkname = tar.TypeSymlink, st.Target
		case st.Nlink > 1 && links[st.Ino] != "":
			h.Typeflag, h.Linkname = tar.TypeLink, links[st.Ino]
		default:
			h.Typeflag, h.Size = tar.TypeReg, info.Size()
			if st.Nlink > 1 {
				links[st.Ino] = stored
			}
		}
		if verbose {
			fmt.Fprintln(e.Stderr, h.Name)
		}
		if err := tw.WriteHeader(h); err != nil {
			status = e.Errorf("%s: %v", name, err)
			return
		}
		if h.Typeflag == tar.TypeReg {
			fh, err := os.Open(p)
			if err == nil {
				_, err = io.Copy(tw, fh)
				fh.Close()
			}
			if err != nil {
				status = e.Errorf("%s: %s", name, errText(err))
			}
		}
		if h.Typeflag == tar.TypeDir {
			entries, err := guest.ReadDir(p)
			if err != nil {
				status = e.Errorf("%s: %s", name, errText(err))
			}
			for _, de := range entries {
				add(strings.TrimSuffix(name, "/") + "/" + de.Name()) // ./a stays ./a, as tar stores it
			}
		}
	}
	for _, n := range names {
		add(n)
	}
	if err := tw.Close(); err != nil {
		status = e.Errorf("%v", err)
	}
	if gzw != nil {
		gzw.Close()
	}
	return status
}

func tarRead(e *Env, tr *tar.Reader, dir string, f *flags) int {
	status := 0
	type dirTime struct {
		path string
		t    time.Time
	}
	var dirs []dirTime
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return e.Errorf("%v", err)
		}
		name := path.Clean("/" + h.Name)[1:]
		if f.set['t'] {
			if f.set['v'] {
				mode := fs.FileMode(h.Mode & 0o777)
				switch h.Typeflag {
				case tar.TypeDir:
					mode |= fs.ModeDir
				case tar.TypeSymlink:
					mode |= fs.ModeSymlink
				}
				line := fmt.Sprintf("%s %s/%s %9d %s %s", modeString(mode|extraBits(uint32(h.Mode))), h.Uname, h.Gname, h.Size, h.ModTime.Format("2006-01-02 15:04:05"), h.Name)
				if h.Typeflag == tar.TypeSymlink {
					line += " -> " + h.Linkname
				} else if h.Typeflag == tar.TypeLink {
					line += " link to " + h.Linkname
				}
				fmt.Fprintln(e.Stdout, line)
			} else {
				fmt.Fprintln(e.Stdout, h.Name)
			}
			continue
		}
		if f.set['O'] {
			if h.Typeflag == tar.TypeReg {
				io.Copy(e.Stdout, tr)
			}
			continue
		}
		if f.set['v'] {
			fmt.Fprintln(e.Stdout, h.Name)
		}
		if name == "" {
			continue
		}
		p := path.Join(dir, name)
		mode := uint32(h.Mode & 0o7777)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := guest.Mkdir(p, fs.FileMode(mode&0o777)|extraBits(mode)); err != nil && !errors.Is(err, fs.ErrExist) {
				status = e.Errorf("can't make directory '%s': %s", name, errText(err))
				continue
			}
			guest.Chmod(p, fs.FileMode(mode&0o777)|extraBits(mode))
			dirs = append(dirs, dirTime{p, h.ModTime})
		case tar.TypeSymlink:
			guest.Remove(p)
			if err := guest.Symlink(h.Linkname, p); err != nil {
				status = e.Errorf("can't create symlink '%s': %s", name, errText(err))
				continue
			}
			guest.Lchtimes(p, h.ModTime)
		case tar.TypeLink:
			guest.Remove(p)
			if err := guest.Link(path.Join(dir, path.Clean("/" + h.Linkname)[1:]), p); err != nil {
				status = e.Errorf("can't create hardlink '%s': %s", name, errText(err))
			}
			continue
		case tar.TypeReg, '\x00':
			if info, err := lstat(p); err == nil && !info.Mode().IsRegular() {
				guest.Remove(p)
			}
			out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
			if err != nil {
				status = e.Errorf("can't open '%s': %s", name, errText(err))
				continue
			}
			_, err = io.Copy(out, tr)
			out.Close()
			if err != nil {
				status = e.Errorf("%s: %v", name, err)
			}
			guest.Chmod(p, fs.FileMode(mode&0o777)|extraBits(mode))
			guest.Chtimes(p, h.ModTime, h.ModTime)
		default:
			fmt.Fprintf(e.Stderr, "tar: %s: skipping a file of type '%c' (podplay has no devices or fifos)\n", name, h.Typeflag)
			continue
		}
		// As root, tar keeps the archive's owners (as GNU and busybox tar do for root).
		guest.Lchown(p, h.Uid, h.Gid)
	}
	// Directories' times last: extracting into them changed them.
	for i := len(dirs) - 1; i >= 0; i-- {
		guest.Chtimes(dirs[i].path, dirs[i].t, dirs[i].t)
	}
	return status
}
