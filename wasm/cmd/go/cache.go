package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// buildCache is GOCACHE, laid out as cmd/go lays it out: an action entry
// <aa>/<action ID>-a says which output an action made, and the output is
// stored by its content hash as <oo>/<output ID>-d.
type buildCache struct{ dir string }

const cacheReadme = "This directory holds cached build artifacts from the Go build system.\nRun \"go clean -cache\" if the directory is getting too large.\nRun \"go clean -fuzzcache\" to delete the fuzz cache.\nSee golang.org to learn more about Go.\n"

func openCache() (*buildCache, error) {
	dir, err := gocache()
	if err != nil {
		return nil, fmt.Errorf("build cache is required, but could not be located: %v", err)
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("failed to initialize build cache at %s: %v", dir, err)
	}
	readme := filepath.Join(dir, "README")
	if _, err := os.Stat(readme); err != nil {
		os.WriteFile(readme, []byte(cacheReadme), 0o666)
	}
	return &buildCache{dir: dir}, nil
}

func (c *buildCache) path(id, kind string) string {
	return filepath.Join(c.dir, id[:2], id+"-"+kind)
}

// get returns the output an action made before: its file and output ID.
func (c *buildCache) get(actionID string) (file, outputID string, ok bool) {
	data, err := os.ReadFile(c.path(actionID, "a"))
	if err != nil {
		return "", "", false
	}
	f := strings.Fields(string(data))
	if len(f) < 4 || f[0] != "v1" || f[1] != actionID {
		return "", "", false
	}
	outputID = f[2]
	size, _ := strconv.ParseInt(f[3], 10, 64)
	file = c.path(outputID, "d")
	if st, err := os.Stat(file); err != nil || st.Size() != size {
		return "", "", false
	}
	return file, outputID, true
}

// put moves an action's output file into the cache (src is gone after it)
// and returns where it now is and its ID.
func (c *buildCache) put(actionID, src string, mode os.FileMode) (file, outputID string, err error) {
	defer phase("cache put "+filepath.Base(src), time.Now())
	in, err := os.Open(src)
	if err != nil {
		return "", "", err
	}
	defer in.Close()
	h := sha256.New()
	size, err := io.Copy(h, in)
	if err != nil {
		return "", "", err
	}
	outputID = hex.EncodeToString(h.Sum(nil))
	file = c.path(outputID, "d")
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		return "", "", err
	}
	if st, err := os.Stat(file); err != nil || st.Size() != size {
		// A rename, not a copy: the work directory and the cache are one filesystem.
		if err := os.Rename(src, file); err != nil {
			if err := copyFile(src, file, mode); err != nil {
				return "", "", err
			}
		}
	}
	entry := fmt.Sprintf("v1 %s %s %20d %20d\n", actionID, outputID, size, time.Now().UnixNano())
	if err := os.MkdirAll(filepath.Dir(c.path(actionID, "a")), 0o777); err != nil {
		return "", "", err
	}
	if err := writeFileAtomic(c.path(actionID, "a"), []byte(entry)); err != nil {
		return "", "", err
	}
	return file, outputID, nil
}

// copyFile copies src to dst through a temporary name, so a reader never
// sees half a file.
func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp" + strconv.Itoa(os.Getpid())
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, dst)
}

func writeFileAtomic(dst string, data []byte) error {
	tmp := dst + ".tmp" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, data, 0o666); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// hasher builds an action ID from labelled parts.
type hasher struct{ h hash.Hash }

func newHasher(kind string) *hasher {
	h := &hasher{h: sha256.New()}
	h.add("podplay-go %s %s", kind, goVersionForCache())
	return h
}

func (h *hasher) add(format string, args ...any) { fmt.Fprintf(h.h, format+"\n", args...) }

// addFile hashes a file's name and content.
func (h *hasher) addFile(label, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fh := sha256.New()
	if _, err := io.Copy(fh, f); err != nil {
		return err
	}
	h.add("%s %s %x", label, filepath.Base(path), fh.Sum(nil))
	return nil
}

func (h *hasher) id() string { return hex.EncodeToString(h.h.Sum(nil)) }
