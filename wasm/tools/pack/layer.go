package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"sort"
	"strings"
	"time"
)

// epoch is every entry's mtime and every "created" field, so the same
// sources give the same bytes (the role SOURCE_DATE_EPOCH plays elsewhere).
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// entry is one file, directory or symlink of a layer, by its path in the rootfs.
type entry struct {
	path   string // no leading slash; directories without trailing slash
	mode   int64
	kind   byte // tar.TypeReg, tar.TypeDir, tar.TypeSymlink
	data   []byte
	target string
}

func file(p string, mode int64, data []byte) entry {
	return entry{path: p, mode: mode, kind: tar.TypeReg, data: data}
}
func dir(p string, mode int64) entry { return entry{path: p, mode: mode, kind: tar.TypeDir} }
func symlink(p, target string) entry {
	return entry{path: p, mode: 0o777, kind: tar.TypeSymlink, target: target}
}

// layer is a built layer: the gzip blob and the digest of its uncompressed tar
// (the config's diff_id).
type layer struct {
	gz     []byte
	diffID string
}

// buildLayer writes entries as a tar (parents first, sorted, root-owned,
// fixed mtimes) and gzips it without a name or timestamp in the header.
func buildLayer(entries []entry) (layer, error) {
	withParents := map[string]entry{}
	for _, e := range entries {
		withParents[e.path] = e
		for p := path.Dir(e.path); p != "." && p != "/"; p = path.Dir(p) {
			if _, ok := withParents[p]; !ok {
				withParents[p] = dir(p, 0o755)
			}
		}
	}
	paths := make([]string, 0, len(withParents))
	for p := range withParents {
		paths = append(paths, p)
	}
	sort.Strings(paths)

	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for _, p := range paths {
		e := withParents[p]
		h := &tar.Header{
			Typeflag: e.kind, Name: strings.TrimPrefix(p, "/"), Mode: e.mode, ModTime: epoch,
			Uname: "root", Gname: "root", Format: tar.FormatPAX,
		}
		switch e.kind {
		case tar.TypeDir:
			h.Name += "/"
		case tar.TypeReg:
			h.Size = int64(len(e.data))
		case tar.TypeSymlink:
			h.Linkname = e.target
		}
		if err := tw.WriteHeader(h); err != nil {
			return layer{}, err
		}
		if e.kind == tar.TypeReg {
			if _, err := tw.Write(e.data); err != nil {
				return layer{}, err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return layer{}, err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return layer{}, err
	}
	if err := zw.Close(); err != nil {
		return layer{}, err
	}
	return layer{gz: gz.Bytes(), diffID: digestOf(raw.Bytes())}, nil
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
