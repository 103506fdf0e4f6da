package guest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Outside podplay (no /run/podplay/ctl) the package is the os package's.
func TestFallbackOutsidePodplay(t *testing.T) {
	if Available() {
		t.Skip("running inside podplay")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("x"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := Symlink("target", link); err != nil {
		t.Fatal(err)
	}
	fi, err := Lstat(link)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("Lstat of a symlink: %v, %v", fi, err)
	}
	if got, err := Readlink(link); err != nil || got != "target" {
		t.Fatalf("Readlink: %q, %v", got, err)
	}
	real, err := Realpath(filepath.Join(dir, "link"))
	want, _ := filepath.EvalSymlinks(target)
	if err != nil || real != want {
		t.Fatalf("Realpath: %q, %v; want %q", real, err, want)
	}
	if err := Chmod(target, 0o755|fs.ModeSetuid); err != nil {
		t.Fatal(err)
	}
	if fi, _ := Stat(link); fi.Mode().Perm() != 0o755 || fi.Mode()&fs.ModeSetuid == 0 {
		t.Fatalf("Chmod 4755 then Stat through the link: %v", fi.Mode())
	}
}

func TestModeBits(t *testing.T) {
	for _, c := range []struct {
		mode fs.FileMode
		want uint32
	}{{0o755, 0o755}, {0o644 | fs.ModeSetuid, 0o4644}, {0o777 | fs.ModeSticky, 0o1777}, {0o2750 & 0o777 | fs.ModeSetgid, 0o2750}} {
		if got := unixMode(c.mode); got != c.want {
			t.Errorf("unixMode(%v) = %o, want %o", c.mode, got, c.want)
		}
	}
	fi := &FileInfo{st: Sys{Mode: 0o120777}}
	if fi.Mode()&fs.ModeSymlink == 0 || fi.IsDir() {
		t.Errorf("st_mode 0120777 is a symlink: %v", fi.Mode())
	}
}
