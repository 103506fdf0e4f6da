package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// defaultGOROOT is where the podplay/golang image has its toolchain, as the
// official golang images have theirs.
const defaultGOROOT = "/usr/local/go"

// goroot is the toolchain's root: $GOROOT, else /usr/local/go.
func goroot() string {
	if v := os.Getenv("GOROOT"); v != "" {
		return filepath.Clean(v)
	}
	return defaultGOROOT
}

// toolDir holds compile and link ($GOROOT/pkg/tool/wasip1_wasm).
func toolDir() string {
	return filepath.Join(goroot(), "pkg", "tool", targetOS+"_"+targetArch)
}

// stdDir holds the precompiled standard library: <import path>.a under
// $GOROOT/pkg/wasip1_wasm, the layout GOROOT had before Go 1.20.
func stdDir() string {
	return filepath.Join(goroot(), "pkg", targetOS+"_"+targetArch)
}

func gopath() string {
	if v := os.Getenv("GOPATH"); v != "" {
		return strings.Split(v, string(os.PathListSeparator))[0]
	}
	if h := home(); h != "" {
		return filepath.Join(h, "go")
	}
	return ""
}

func gomodcache() string {
	if v := os.Getenv("GOMODCACHE"); v != "" {
		return v
	}
	if p := gopath(); p != "" {
		return filepath.Join(p, "pkg", "mod")
	}
	return ""
}

// gocache is the build cache directory, found as os.UserCacheDir does.
func gocache() (string, error) {
	if v := os.Getenv("GOCACHE"); v != "" {
		if v == "off" {
			return "", fmt.Errorf("GOCACHE=off is not supported: the build cache is required")
		}
		return v, nil
	}
	if v := os.Getenv("XDG_CACHE_HOME"); v != "" {
		return filepath.Join(v, "go-build"), nil
	}
	if h := home(); h != "" {
		return filepath.Join(h, ".cache", "go-build"), nil
	}
	return "", fmt.Errorf("GOCACHE is not defined and neither $XDG_CACHE_HOME nor $HOME are defined")
}

// home is $HOME, else root's home when it exists: a container started
// without HOME (podplay sets none) is root's, as docker would say.
func home() string {
	if h := os.Getenv("HOME"); h != "" {
		return h
	}
	if st, err := os.Stat("/root"); err == nil && st.IsDir() {
		return "/root"
	}
	return ""
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

type envVar struct{ name, value string }

// goEnv lists what go env prints, in its order.
func goEnv() []envVar {
	cache, _ := gocache()
	gomod := "/dev/null"
	if root, err := findModuleRoot(); err == nil && root != "" {
		gomod = filepath.Join(root, "go.mod")
	}
	return []envVar{
		{"AR", "ar"},
		{"CC", "gcc"},
		{"CGO_CFLAGS", ""},
		{"CGO_ENABLED", "0"},
		{"CXX", "g++"},
		{"GCCGO", "gccgo"},
		{"GO111MODULE", os.Getenv("GO111MODULE")},
		{"GOARCH", targetArch},
		{"GOAUTH", envOr("GOAUTH", "netrc")},
		{"GOBIN", os.Getenv("GOBIN")},
		{"GOCACHE", cache},
		{"GOENV", "off"},
		{"GOEXE", ".wasm"},
		{"GOFLAGS", os.Getenv("GOFLAGS")},
		{"GOHOSTARCH", targetArch},
		{"GOHOSTOS", targetOS},
		{"GOINSECURE", os.Getenv("GOINSECURE")},
		{"GOMOD", gomod},
		{"GOMODCACHE", gomodcache()},
		{"GONOPROXY", os.Getenv("GONOPROXY")},
		{"GONOSUMDB", os.Getenv("GONOSUMDB")},
		{"GOOS", targetOS},
		{"GOPATH", gopath()},
		{"GOPRIVATE", os.Getenv("GOPRIVATE")},
		{"GOPROXY", envOr("GOPROXY", "off")},
		{"GOROOT", goroot()},
		{"GOSUMDB", envOr("GOSUMDB", "off")},
		{"GOTOOLCHAIN", "local"},
		{"GOTOOLDIR", toolDir()},
		{"GOVERSION", runtime.Version()},
		{"GOWORK", ""},
	}
}

func cmdEnv(args []string) int {
	asJSON := false
	var names []string
	for _, a := range args {
		switch {
		case a == "-json":
			asJSON = true
		case a == "-w" || a == "-u" || strings.HasPrefix(a, "-w=") || strings.HasPrefix(a, "-u="):
			fmt.Fprintln(os.Stderr, "go: go env -w and -u are not available in podplay/golang (there is no go env file); set the variable with ENV or export instead")
			return 1
		case strings.HasPrefix(a, "-"):
			fmt.Fprintf(os.Stderr, "flag provided but not defined: %s\nusage: go env [-json] [-changed] [-u] [-w] [var ...]\nRun 'go help env' for details.\n", a)
			return 2
		default:
			names = append(names, a)
		}
	}
	all := goEnv()
	if len(names) > 0 {
		values := map[string]string{}
		for _, v := range all {
			values[v.name] = v.value
		}
		if asJSON {
			out := map[string]string{}
			for _, n := range names {
				out[n] = values[n]
			}
			printJSON(out)
			return 0
		}
		for _, n := range names {
			fmt.Println(values[n])
		}
		return 0
	}
	if asJSON {
		out := map[string]string{}
		for _, v := range all {
			out[v.name] = v.value
		}
		printJSON(out)
		return 0
	}
	for _, v := range all {
		fmt.Printf("%s='%s'\n", v.name, strings.ReplaceAll(v.value, "'", `'\''`))
	}
	return 0
}

func printJSON(m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("{\n")
	for i, k := range keys {
		kj, _ := json.Marshal(k)
		vj, _ := json.Marshal(m[k])
		fmt.Fprintf(&b, "\t%s: %s", kj, vj)
		if i < len(keys)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	fmt.Print(b.String())
}
