package applets

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func init() {
	Register(&Applet{Name: "id", Usage: "[-ugGnr] [USER]",
		Help: "Print information about USER or the current user\n\n\t-u\tUser ID\n\t-g\tGroup ID\n\t-G\tSupplementary group IDs\n\t-n\tPrint names instead of numbers\n\t-r\tPrint real ID instead of effective ID",
		Run:  id})
	Register(&Applet{Name: "whoami", Usage: "", Help: "Print the user name associated with the current effective user id", Run: whoami})
}

// A container's processes run as root: wasip1 has no user IDs. Names come
// from the container's own /etc/passwd and /etc/group, as getpwuid would.
const (
	currentUID = 0
	currentGID = 0
)

// etcDir is where passwd and group are read (tests point it elsewhere).
var etcDir = "/etc"

type passwdEntry struct {
	name     string
	uid, gid int
}

type groupEntry struct {
	name    string
	gid     int
	members []string
}

func readColonFile(name string) [][]string {
	f, err := os.Open(etcDir + "/" + name)
	if err != nil {
		return nil
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rows = append(rows, strings.Split(line, ":"))
	}
	return rows
}

func readPasswd() []passwdEntry {
	var out []passwdEntry
	for _, f := range readColonFile("passwd") {
		if len(f) < 4 {
			continue
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 == nil && err2 == nil {
			out = append(out, passwdEntry{f[0], uid, gid})
		}
	}
	return out
}

func readGroups() []groupEntry {
	var out []groupEntry
	for _, f := range readColonFile("group") {
		if len(f) < 3 {
			continue
		}
		gid, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		g := groupEntry{name: f[0], gid: gid}
		if len(f) > 3 && f[3] != "" {
			g.members = strings.Split(f[3], ",")
		}
		out = append(out, g)
	}
	return out
}

func pwUserName(uid int) (string, bool) {
	for _, p := range readPasswd() {
		if p.uid == uid {
			return p.name, true
		}
	}
	return "", false
}

func grGroupName(gid int) (string, bool) {
	for _, g := range readGroups() {
		if g.gid == gid {
			return g.name, true
		}
	}
	return "", false
}

// groupList is getgrouplist: the primary group, then every group that
// lists the user, without repeats.
func groupList(user string, gid int) []int {
	list := []int{gid}
	seen := map[int]bool{gid: true}
	for _, g := range readGroups() {
		if seen[g.gid] {
			continue
		}
		for _, m := range g.members {
			if m == user {
				list = append(list, g.gid)
				seen[g.gid] = true
				break
			}
		}
	}
	return list
}

var idOptions = getopt{short: "rnugG"}

// id is busybox's id (effective and real IDs are the same here).
func id(e *Env) int {
	p, ok := idOptions.parse(e, e.Args[1:])
	if !ok {
		return usageError(e, 1)
	}
	has := p.has
	excl := 0
	for _, c := range "ugG" {
		if has(byte(c)) {
			excl++
		}
	}
	if len(p.operands) > 1 || excl > 1 || ((has('r') || has('n')) && excl == 0) {
		return usageError(e, 1)
	}
	anyOpt := len(p.list) > 0
	uid, gid := currentUID, currentGID
	user, known := pwUserName(uid)
	if len(p.operands) == 1 {
		user, known = p.operands[0], false
		for _, pw := range readPasswd() {
			if pw.name == user {
				uid, gid, known = pw.uid, pw.gid, true
				break
			}
		}
		if !known {
			fmt.Fprintf(e.Stderr, "id: unknown user %s\n", user)
			return 1
		}
	}
	var b strings.Builder
	status := 0
	// print is busybox's print_common.
	print := func(n int, name string, found bool, prefix string) {
		b.WriteString(prefix)
		if !has('n') || !found {
			b.WriteString(strconv.Itoa(n))
		}
		if !anyOpt || has('n') {
			if found {
				if anyOpt {
					b.WriteString(name)
				} else {
					b.WriteString("(" + name + ")")
				}
			} else if anyOpt {
				fmt.Fprintf(e.Stderr, "id: unknown ID %d\n", n)
				status = 1
			}
		}
	}
	printUser := func(n int, prefix string) { name, ok := pwUserName(n); print(n, name, ok, prefix) }
	printGroup := func(n int, prefix string) { name, ok := grGroupName(n); print(n, name, ok, prefix) }
	switch {
	case !anyOpt || has('G'):
		groups := []int{gid}
		if known {
			groups = groupList(user, gid)
		}
		prefix := " "
		if !anyOpt {
			printUser(uid, "uid=")
			printGroup(gid, " gid=")
			prefix = " groups="
		} else {
			printGroup(gid, "")
		}
		for _, g := range groups {
			if anyOpt && g == gid {
				continue
			}
			printGroup(g, prefix)
			if !anyOpt {
				prefix = ","
			}
		}
	case has('u'):
		printUser(uid, "")
	case has('g'):
		printGroup(gid, "")
	}
	b.WriteByte('\n')
	if writeAll(e.Stdout, []byte(b.String())) != 0 {
		return 1
	}
	return status
}

func whoami(e *Env) int {
	if len(e.Args) > 1 {
		fmt.Fprintln(e.Stderr, "Usage: whoami")
		return 1
	}
	name, ok := pwUserName(currentUID)
	if !ok {
		fmt.Fprintf(e.Stderr, "whoami: unknown uid %d\n", currentUID)
		return 1
	}
	fmt.Fprintln(e.Stdout, name)
	return 0
}
