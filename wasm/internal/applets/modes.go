package applets

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"podplay.dev/wasm/guest"
)

func init() {
	Register(&Applet{Name: "chmod", Usage: "[-Rfv] MODE[,MODE]... FILE...", Help: "Change file modes: octal (755) or symbolic ([ugoa]*[-+=][rwxXst]*, u+x,go-w).\n-R recursive (symlinks met on the way are not followed)  -f quiet  -v verbose", Run: chmod})
	Register(&Applet{Name: "chown", Usage: "[-RhLHPcvf] USER[:[GRP]] FILE...", Help: "Change the owner (and group) of files.\n-R recursive  -h the symlink itself", Run: func(e *Env) int { return chown(e, false) }})
	Register(&Applet{Name: "chgrp", Usage: "[-RhLHPcvf] GROUP FILE...", Help: "Change the group of files.\n-R recursive  -h the symlink itself", Run: func(e *Env) int { return chown(e, true) }})
}

// parseMode applies an octal or symbolic mode to old (permission bits); dir
// tells X whether the file is a directory.
func parseMode(spec string, old uint32, dir bool) (uint32, error) {
	if spec == "" {
		return 0, fmt.Errorf("invalid mode")
	}
	if spec[0] >= '0' && spec[0] <= '7' {
		n, err := strconv.ParseUint(spec, 8, 32)
		if err != nil || n > 0o7777 {
			return 0, fmt.Errorf("invalid mode")
		}
		return uint32(n), nil
	}
	mode := old
	for _, clause := range strings.Split(spec, ",") {
		i := 0
		var who uint32
		for i < len(clause) && strings.IndexByte("ugoa", clause[i]) >= 0 {
			switch clause[i] {
			case 'u':
				who |= 0o4700
			case 'g':
				who |= 0o2070
			case 'o':
				who |= 0o1007
			case 'a':
				who |= 0o7777
			}
			i++
		}
		implicit := who == 0
		if implicit {
			who = 0o7777
		}
		if i == len(clause) {
			return 0, fmt.Errorf("invalid mode")
		}
		for i < len(clause) {
			op := clause[i]
			if op != '+' && op != '-' && op != '=' {
				return 0, fmt.Errorf("invalid mode")
			}
			i++
			var bits uint32
			for i < len(clause) && strings.IndexByte("rwxXstugo", clause[i]) >= 0 {
				switch clause[i] {
				case 'r':
					bits |= 0o444
				case 'w':
					bits |= 0o222
				case 'x':
					bits |= 0o111
				case 'X':
					if dir || mode&0o111 != 0 {
						bits |= 0o111
					}
				case 's':
					bits |= 0o6000
				case 't':
					bits |= 0o1000
				case 'u':
					bits |= spread((mode >> 6) & 7)
				case 'g':
					bits |= spread((mode >> 3) & 7)
				case 'o':
					bits |= spread(mode & 7)
				}
				i++
			}
			bits &= who
			if implicit {
				bits &^= 0o022 // with no [ugoa], the umask a shell has (022) limits what changes
			}
			switch op {
			case '+':
				mode |= bits
			case '-':
				mode &^= bits
			case '=':
				mode = mode&^who | bits
			}
		}
	}
	return mode, nil
}

// spread copies a 3-bit rwx group into the u, g and o positions.
func spread(b uint32) uint32 { return b<<6 | b<<3 | b }

func chmod(e *Env) int {
	args := e.Args[1:]
	recursive, quiet, verbose := false, false, false
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && strings.Trim(args[0][1:], "Rfv") == "" {
		recursive = recursive || strings.Contains(args[0], "R")
		quiet = quiet || strings.Contains(args[0], "f")
		verbose = verbose || strings.Contains(args[0], "v")
		args = args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) < 2 {
		return e.Errorf("missing operand")
	}
	spec, files := args[0], args[1:]
	if _, err := parseMode(spec, 0, false); err != nil {
		return e.Errorf("invalid mode '%s'", spec)
	}
	status := 0
	var apply func(shown, p string, top bool)
	apply = func(shown, p string, top bool) {
		info, err := lstat(p)
		if err == nil && info.Mode()&fs.ModeSymlink != 0 {
			if !top {
				return // chmod -R leaves symlinks found on the way alone
			}
			info, err = statFollow(p)
		}
		if err != nil {
			if !quiet {
				e.Errorf("%s: %s", shown, errText(err))
			}
			status = 1
			return
		}
		old := sysOf(info).Mode & 0o7777
		mode, _ := parseMode(spec, old, info.IsDir())
		if err := guest.Chmod(p, fs.FileMode(mode&0o777)|extraBits(mode)); err != nil {
			if !quiet {
				e.Errorf("%s: %s", shown, errText(err))
			}
			status = 1
		} else if verbose {
			fmt.Fprintf(e.Stdout, "mode of '%s' changed to %04o (%s)\n", shown, mode, modeString(fs.FileMode(mode & 0o777))[1:])
		}
		if recursive && info.IsDir() {
			entries, _ := guest.ReadDir(p)
			for _, de := range entries {
				apply(path.Join(shown, de.Name()), path.Join(p, de.Name()), false)
			}
		}
	}
	for _, f := range files {
		apply(f, e.Path(f), true)
	}
	return status
}

// extraBits converts setuid, setgid and sticky to Go's mode bits.
func extraBits(mode uint32) fs.FileMode {
	var m fs.FileMode
	if mode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if mode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

func chown(e *Env, groupOnly bool) int {
	f, ok := parseFlags(e, e.Args[1:], "RhLHPcvf", "")
	if !ok {
		return 1
	}
	if len(f.rest) < 2 {
		return e.Errorf("missing operand")
	}
	uid, gid := -1, -1
	spec := f.rest[0]
	if groupOnly {
		g, ok := lookupGroup(spec)
		if !ok {
			return e.Errorf("unknown group %s", spec)
		}
		gid = int(g)
	} else {
		user, group, hasGroup := strings.Cut(strings.Replace(spec, ".", ":", 1), ":")
		if user != "" {
			u, ok := lookupUser(user)
			if !ok {
				return e.Errorf("unknown user %s", user)
			}
			uid = int(u)
		}
		if hasGroup && group != "" {
			g, ok := lookupGroup(group)
			if !ok {
				return e.Errorf("unknown group %s", group)
			}
			gid = int(g)
		}
	}
	status := 0
	var apply func(shown, p string, top bool)
	apply = func(shown, p string, top bool) {
		var err error
		if f.set['h'] || !top {
			err = guest.Lchown(p, uid, gid)
		} else {
			err = guest.Chown(p, uid, gid)
		}
		if err != nil {
			if !f.set['f'] {
				e.Errorf("%s: %s", shown, errText(err))
			}
			status = 1
			return
		}
		if f.set['R'] {
			if info, err := lstat(p); err == nil && info.IsDir() {
				entries, _ := guest.ReadDir(p)
				for _, de := range entries {
					apply(path.Join(shown, de.Name()), path.Join(p, de.Name()), false)
				}
			}
		}
	}
	for _, n := range f.rest[1:] {
		apply(n, e.Path(n), true)
	}
	return status
}
