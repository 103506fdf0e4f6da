package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	pathpkg "path"
	"path/filepath"
	"strings"
)

// embedConfig is the compiler's -embedcfg file: each //go:embed pattern's
// files, and where each file is.
type embedConfig struct {
	Patterns map[string][]string
	Files    map[string]string
}

type embedError struct {
	pattern string
	err     error
}

func (e *embedError) Error() string { return fmt.Sprintf("pattern %s: %v", e.pattern, e.err) }

// resolveEmbed matches //go:embed patterns to files by cmd/go's rules: a
// pattern is a path.Match glob relative to the package directory ("all:"
// keeps names starting with . or _ inside directories), a directory embeds
// its tree, nothing may come from another module (a directory with a
// go.mod), and every pattern must match something.
func resolveEmbed(pkgdir string, patterns []string) (*embedConfig, error) {
	cfg := &embedConfig{Patterns: map[string][]string{}, Files: map[string]string{}}
	for _, pattern := range patterns {
		list, err := matchEmbed(pkgdir, pattern)
		if err != nil {
			return nil, &embedError{pattern: pattern, err: err}
		}
		cfg.Patterns[pattern] = list
		for _, rel := range list {
			cfg.Files[rel] = filepath.Join(pkgdir, filepath.FromSlash(rel))
		}
	}
	return cfg, nil
}

func matchEmbed(pkgdir, pattern string) ([]string, error) {
	glob, all := strings.CutPrefix(pattern, "all:")
	if _, err := pathpkg.Match(glob, ""); err != nil || glob == "." || !fs.ValidPath(glob) {
		return nil, fmt.Errorf("invalid pattern syntax")
	}
	match, err := filepath.Glob(filepath.Join(pkgdir, filepath.FromSlash(glob)))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var list []string
	add := func(rel string) {
		if !seen[rel] {
			seen[rel] = true
			list = append(list, rel)
		}
	}
	for _, file := range match {
		rel := filepath.ToSlash(strings.TrimPrefix(file, pkgdir+string(filepath.Separator)))
		info, err := os.Lstat(file)
		if err != nil {
			return nil, err
		}
		what := "file"
		if info.IsDir() {
			what = "directory"
		}
		for dir := file; len(dir) > len(pkgdir)+1; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return nil, fmt.Errorf("cannot embed %s %s: in different module", what, rel)
			}
			if elem := filepath.Base(dir); isBadEmbedName(elem) {
				if dir == file {
					return nil, fmt.Errorf("cannot embed %s %s: invalid name %s", what, rel, elem)
				}
				return nil, fmt.Errorf("cannot embed %s %s: in invalid directory %s", what, rel, elem)
			}
		}
		switch {
		case info.Mode().IsRegular():
			add(rel)
		case info.IsDir():
			count := 0
			err := filepath.WalkDir(file, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				r := filepath.ToSlash(strings.TrimPrefix(p, pkgdir+string(filepath.Separator)))
				name := d.Name()
				if p != file && (isBadEmbedName(name) || ((name[0] == '.' || name[0] == '_') && !all)) {
					if d.IsDir() {
						return fs.SkipDir
					}
					return nil
				}
				if d.IsDir() {
					if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil && p != file {
						return fs.SkipDir
					}
					return nil
				}
				if !d.Type().IsRegular() {
					return nil
				}
				count++
				add(r)
				return nil
			})
			if err != nil {
				return nil, err
			}
			if count == 0 {
				return nil, fmt.Errorf("cannot embed directory %s: contains no embeddable files", rel)
			}
		default:
			return nil, fmt.Errorf("cannot embed irregular file %s", rel)
		}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("no matching files found")
	}
	return list, nil
}

// isBadEmbedName: version control directories and names a module may not hold.
func isBadEmbedName(name string) bool {
	switch name {
	case "", ".bzr", ".hg", ".git", ".svn", "CVS":
		return true
	}
	return false
}

func (c *embedConfig) write(path string) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
