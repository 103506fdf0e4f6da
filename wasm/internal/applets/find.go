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
	Register(&Applet{Name: "find", Usage: "[-HL] [PATH]... [OPTIONS] [ACTIONS]", Help: "Search for files under each PATH (default .); symlinks are not followed unless -L.\n" +
		"Tests: -name -iname -path -ipath PATTERN, -type [fdlpsbc], -perm [-/]MODE, -size [+-]N[ckMG],\n" +
		"-user -group NAME, -uid -gid N, -mtime -mmin [+-]N, -newer FILE, -empty, -links N, -inum N,\n" +
		"-maxdepth -mindepth N, -depth, -prune, -true, -false; ! -not -a -and -o -or ( )\n" +
		"Actions: -print -print0 -exec CMD {} ; -exec CMD {} + -delete", Run: find})
}

type findNode struct {
	shown string // as printed
	path  string // absolute
	info  fs.FileInfo
	depth int
}

// findExpr evaluates to whether a file matches; actions run as a side effect.
type findExpr func(n *findNode) bool

type findState struct {
	e          *Env
	args       []string
	follow     bool
	maxDepth   int
	minDepth   int
	depthFirst bool
	hasAction  bool
	prune      bool
	status     int
	batches    []*findBatch
	now        time.Time
}

type findBatch struct {
	cmd   []string
	files []string
}

func find(e *Env) int {
	st := &findState{e: e, maxDepth: -1, now: time.Now()}
	args := e.Args[1:]
	for len(args) > 0 && (args[0] == "-L" || args[0] == "-H" || args[0] == "-P") {
		st.follow = args[0] == "-L"
		args = args[1:]
	}
	var roots []string
	for len(args) > 0 && (!strings.HasPrefix(args[0], "-") || args[0] == "-") && args[0] != "!" && args[0] != "(" {
		roots, args = append(roots, args[0]), args[1:]
	}
	if len(roots) == 0 {
		roots = []string{"."}
	}
	st.args = args
	var expr findExpr = func(*findNode) bool { return true }
	if len(st.args) > 0 {
		var err error
		if expr, err = st.parseOr(); err != nil {
			fmt.Fprintf(e.Stderr, "find: %s\n", err)
			return 1
		}
		if len(st.args) > 0 {
			fmt.Fprintf(e.Stderr, "find: unrecognized: %s\n", st.args[0])
			return 1
		}
	}
	if !st.hasAction {
		inner := expr
		expr = func(n *findNode) bool {
			if inner(n) {
				fmt.Fprintln(e.Stdout, n.shown)
			}
			return true
		}
	}
	for _, r := range roots {
		st.walk(expr, r, e.Path(r), 0, nil)
	}
	for _, b := range st.batches {
		if len(b.files) > 0 {
			st.run(append(append([]string(nil), b.cmd...), b.files...))
		}
	}
	return st.status
}

func (st *findState) walk(expr findExpr, shown, p string, depth int, seen []uint64) {
	// Symlinks are not followed (a starting point neither, as -P does) unless -L.
	info, err := lstat(p)
	if err == nil && st.follow && info.Mode()&fs.ModeSymlink != 0 {
		if real, err2 := statFollow(p); err2 == nil {
			info = real // a dangling link is reported as itself
		}
	}
	if err != nil {
		st.status = st.e.Errorf("%s: %s", shown, errText(err))
		return
	}
	n := &findNode{shown: shown, path: p, info: info, depth: depth}
	matchHere := func() {
		if depth >= st.minDepth {
			st.prune = false
			expr(n)
		}
	}
	if !st.depthFirst {
		matchHere()
		if st.prune {
			st.prune = false
			return
		}
	}
	if info.IsDir() && (st.maxDepth < 0 || depth < st.maxDepth) {
		ino := sysOf(info).Ino
		loop := false
		for _, s := range seen {
			loop = loop || (s == ino && ino != 0)
		}
		if loop {
			st.status = st.e.Errorf("File system loop detected; '%s' is part of the same file system loop as an ancestor.", shown)
		} else {
			entries, err := guest.ReadDir(p)
			if err != nil {
				st.status = st.e.Errorf("%s: %s", shown, errText(err))
			}
			for _, de := range entries {
				name := de.Name()
				if name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
					continue
				}
				st.walk(expr, strings.TrimSuffix(shown, "/")+"/"+name, path.Join(p, name), depth+1, append(seen, ino))
			}
		}
	}
	if st.depthFirst {
		matchHere()
	}
}

func (st *findState) next() (string, bool) {
	if len(st.args) == 0 {
		return "", false
	}
	a := st.args[0]
	st.args = st.args[1:]
	return a, true
}

func (st *findState) parseOr() (findExpr, error) {
	left, err := st.parseAnd()
	if err != nil {
		return nil, err
	}
	for len(st.args) > 0 && (st.args[0] == "-o" || st.args[0] == "-or") {
		st.args = st.args[1:]
		right, err := st.parseAnd()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(n *findNode) bool { return l(n) || right(n) }
	}
	return left, nil
}

func (st *findState) parseAnd() (findExpr, error) {
	left, err := st.parseNot()
	if err != nil {
		return nil, err
	}
	for len(st.args) > 0 && st.args[0] != "-o" && st.args[0] != "-or" && st.args[0] != ")" {
		if st.args[0] == "-a" || st.args[0] == "-and" {
			st.args = st.args[1:]
		}
		right, err := st.parseNot()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(n *findNode) bool { return l(n) && right(n) }
	}
	return left, nil
}

func (st *findState) parseNot() (findExpr, error) {
	if len(st.args) > 0 && (st.args[0] == "!" || st.args[0] == "-not") {
		st.args = st.args[1:]
		inner, err := st.parseNot()
		if err != nil {
			return nil, err
		}
		return func(n *findNode) bool { return !inner(n) }, nil
	}
	return st.parsePrimary()
}

// numCmp parses find's [+-]N: more than, less than, exactly.
func numCmp(s string) (func(v int64) bool, error) {
	sign := byte(0)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[0], s[1:]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("invalid argument '%s'", s)
	}
	switch sign {
	case '+':
		return func(v int64) bool { return v > n }, nil
	case '-':
		return func(v int64) bool { return v < n }, nil
	}
	return func(v int64) bool { return v == n }, nil
}

func (st *findState) parsePrimary() (findExpr, error) {
	a, ok := st.next()
	if !ok {
		return nil, fmt.Errorf("expected an expression")
	}
	arg := func() (string, error) {
		v, ok := st.next()
		if !ok {
			return "", fmt.Errorf("%s: requires an argument", a)
		}
		return v, nil
	}
	switch a {
	case "(":
		inner, err := st.parseOr()
		if err != nil {
			return nil, err
		}
		if c, ok := st.next(); !ok || c != ")" {
			return nil, fmt.Errorf("missing )")
		}
		return inner, nil
	case "-true":
		return func(*findNode) bool { return true }, nil
	case "-false":
		return func(*findNode) bool { return false }, nil
	case "-name", "-iname":
		pat, err := arg()
		if err != nil {
			return nil, err
		}
		fold := a == "-iname"
		return func(n *findNode) bool {
			base := path.Base(n.shown)
			if n.depth == 0 {
				base = path.Base(strings.TrimRight(n.shown, "/"))
			}
			return globMatch(pat, base, fold)
		}, nil
	case "-path", "-ipath", "-wholename", "-iwholename":
		pat, err := arg()
		if err != nil {
			return nil, err
		}
		fold := strings.HasPrefix(a, "-i")
		return func(n *findNode) bool { return globMatch(pat, n.shown, fold) }, nil
	case "-type":
		t, err := arg()
		if err != nil {
			return nil, err
		}
		return func(n *findNode) bool {
			m := n.info.Mode()
			switch t {
			case "f":
				return m.IsRegular()
			case "d":
				return m.IsDir()
			case "l":
				return m&fs.ModeSymlink != 0
			case "p":
				return m&fs.ModeNamedPipe != 0
			case "s":
				return m&fs.ModeSocket != 0
			case "c":
				return m&fs.ModeCharDevice != 0
			case "b":
				return m&fs.ModeDevice != 0 && m&fs.ModeCharDevice == 0
			}
			return false
		}, nil
	case "-perm":
		v, err := arg()
		if err != nil {
			return nil, err
		}
		kind := byte(0)
		if v != "" && (v[0] == '-' || v[0] == '/' || v[0] == '+') {
			kind, v = v[0], v[1:]
		}
		want, err := parseMode(v, 0, false)
		if err != nil {
			return nil, fmt.Errorf("invalid mode '%s'", v)
		}
		return func(n *findNode) bool {
			have := sysOf(n.info).Mode & 0o7777
			switch kind {
			case '-':
				return have&want == want
			case '/', '+':
				return want == 0 || have&want != 0
			}
			return have == want
		}, nil
	case "-size":
		v, err := arg()
		if err != nil {
			return nil, err
		}
		unit := int64(512)
		if v != "" {
			switch v[len(v)-1] {
			case 'c':
				unit, v = 1, v[:len(v)-1]
			case 'w':
				unit, v = 2, v[:len(v)-1]
			case 'b':
				unit, v = 512, v[:len(v)-1]
			case 'k':
				unit, v = 1024, v[:len(v)-1]
			case 'M':
				unit, v = 1<<20, v[:len(v)-1]
			case 'G':
				unit, v = 1<<30, v[:len(v)-1]
			}
		}
		cmp, err := numCmp(v)
		if err != nil {
			return nil, err
		}
		return func(n *findNode) bool { return cmp((n.info.Size() + unit - 1) / unit) }, nil
	case "-user", "-group", "-uid", "-gid":
		v, err := arg()
		if err != nil {
			return nil, err
		}
		var id uint32
		var found bool
		if a == "-user" || a == "-uid" {
			id, found = lookupUser(v)
		} else {
			id, found = lookupGroup(v)
		}
		if !found {
			return nil, fmt.Errorf("unknown %s '%s'", strings.TrimPrefix(a, "-"), v)
		}
		user := a == "-user" || a == "-uid"
		return func(n *findNode) bool {
			s := sysOf(n.info)
			if user {
				return s.Uid == id
			}
			return s.Gid == id
		}, nil
	case "-mtime", "-mmin":
		v, err := arg()
		if err != nil {
			return nil, err
		}
		cmp, err := numCmp(v)
		if err != nil {
			return nil, err
		}
		unit := 24 * time.Hour
		if a == "-mmin" {
			unit = time.Minute
		}
		return func(n *findNode) bool { return cmp(int64(st.now.Sub(n.info.ModTime()) / unit)) }, nil
	case "-newer":
		v, err := arg()
		if err != nil {
			return nil, err
		}
		ref, err := statFollow(st.e.Path(v))
		if err != nil {
			return nil, fmt.Errorf("%s: %s", v, errText(err))
		}
		return func(n *findNode) bool { return n.info.ModTime().After(ref.ModTime()) }, nil
	case "-empty":
		return func(n *findNode) bool {
			if n.info.IsDir() {
				entries, err := guest.ReadDir(n.path)
				return err == nil && len(entries) == 0
			}
			return n.info.Mode().IsRegular() && n.info.Size() == 0
		}, nil
	case "-links", "-inum":
		v, err := arg()
		if err != nil {
			return nil, err
		}
		cmp, err := numCmp(v)
		if err != nil {
			return nil, err
		}
		links := a == "-links"
		return func(n *findNode) bool {
			s := sysOf(n.info)
			if links {
				return cmp(int64(s.Nlink))
			}
			return cmp(int64(s.Ino))
		}, nil
	case "-maxdepth", "-mindepth":
		v, err := arg()
		if err != nil {
			return nil, err
		}
		d, err := strconv.Atoi(v)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("invalid argument '%s' to '%s'", v, a)
		}
		if a == "-maxdepth" {
			st.maxDepth = d
		} else {
			st.minDepth = d
		}
		return func(*findNode) bool { return true }, nil
	case "-depth", "-d":
		st.depthFirst = true
		return func(*findNode) bool { return true }, nil
	case "-xdev", "-mount", "-follow":
		if a == "-follow" {
			st.follow = true
		}
		return func(*findNode) bool { return true }, nil
	case "-prune":
		return func(*findNode) bool { st.prune = true; return true }, nil
	case "-print", "-print0":
		st.hasAction = true
		end := "\n"
		if a == "-print0" {
			end = "\x00"
		}
		return func(n *findNode) bool { fmt.Fprint(st.e.Stdout, n.shown+end); return true }, nil
	case "-delete":
		st.hasAction = true
		st.depthFirst = true
		return func(n *findNode) bool {
			if n.depth == 0 && (n.shown == "." || n.shown == "./") {
				return true
			}
			if err := guest.Remove(n.path); err != nil {
				st.status = st.e.Errorf("%s: %s", n.shown, errText(err))
				return false
			}
			return true
		}, nil
	case "-exec", "-ok":
		st.hasAction = true
		var cmd []string
		for {
			v, ok := st.next()
			if !ok {
				return nil, fmt.Errorf("-exec CMD must end by ';' or '+'")
			}
			if v == ";" {
				break
			}
			if v == "+" && len(cmd) > 0 && cmd[len(cmd)-1] == "{}" {
				b := &findBatch{cmd: cmd[:len(cmd)-1]}
				st.batches = append(st.batches, b)
				return func(n *findNode) bool { b.files = append(b.files, n.shown); return true }, nil
			}
			cmd = append(cmd, v)
		}
		if len(cmd) == 0 {
			return nil, fmt.Errorf("-exec CMD must end by ';' or '+'")
		}
		return func(n *findNode) bool {
			argv := make([]string, len(cmd))
			for i, c := range cmd {
				argv[i] = strings.ReplaceAll(c, "{}", n.shown)
			}
			return st.run(argv) == 0
		}, nil
	}
	return nil, fmt.Errorf("unrecognized: %s", a)
}

func (st *findState) run(argv []string) int {
	sub := *st.e
	sub.Args = argv
	status, err := Exec(&sub)
	if err != nil {
		fmt.Fprintf(st.e.Stderr, "find: %s: %s\n", argv[0], err)
		st.status = 1
	}
	return status
}

// globMatch is fnmatch(3) without FNM_PATHNAME: * matches / too, as find's -path needs.
func globMatch(pattern, name string, fold bool) bool {
	if fold {
		pattern, name = strings.ToLower(pattern), strings.ToLower(name)
	}
	return fnmatch(pattern, name)
}

func fnmatch(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if fnmatch(p, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			p, s = p[1:], s[1:]
		case '[':
			if s == "" {
				return false
			}
			end := strings.IndexByte(p[1:], ']')
			if end >= 0 && end == 0 {
				if e2 := strings.IndexByte(p[2:], ']'); e2 >= 0 {
					end = e2 + 1
				}
			}
			if end < 0 {
				if s[0] != '[' {
					return false
				}
				p, s = p[1:], s[1:]
				continue
			}
			class := p[:end+2]
			if strings.HasPrefix(class, "[!") {
				class = "[^" + class[2:]
			}
			ok, _ := path.Match(class, s[:1])
			if !ok {
				return false
			}
			p, s = p[end+2:], s[1:]
		case '\\':
			if len(p) > 1 {
				p = p[1:]
			}
			fallthrough
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}
