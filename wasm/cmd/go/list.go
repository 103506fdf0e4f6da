package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"text/template"
)

// listPackage is what go list -f and -json see (a subset of cmd/go's).
type listPackage struct {
	Dir        string   `json:",omitempty"`
	ImportPath string   `json:",omitempty"`
	Name       string   `json:",omitempty"`
	Standard   bool     `json:",omitempty"`
	GoFiles    []string `json:",omitempty"`
	EmbedFiles []string `json:",omitempty"`
	Imports    []string `json:",omitempty"`
	Deps       []string `json:",omitempty"`
}

func cmdList(args []string) int {
	var f buildFlags
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	f.register(fs, false)
	format := fs.String("f", "{{.ImportPath}}", "output template")
	asJSON := fs.Bool("json", false, "print packages as JSON")
	deps := fs.Bool("deps", false, "also list the packages the named ones depend on")
	modules := fs.Bool("m", false, "list modules instead of packages")
	rest, ok := parseFlags(fs, "go list [-f format] [-json] [-m] [list flags] [build flags] [packages]", args)
	if !ok {
		return 2
	}
	if *modules {
		mod, err := loadMainModule(f.mod)
		if err != nil {
			fmt.Fprintf(os.Stderr, "go: %v\n", err)
			return 1
		}
		fmt.Println(mod.path)
		return 0
	}
	roots, _, ok := loadForBuild(f, rest)
	if !ok {
		return 1
	}
	tmpl, err := template.New("main").Parse(*format)
	if err != nil {
		fmt.Fprintf(os.Stderr, "template: %v\n", err)
		return 2
	}
	pkgs := roots
	if *deps {
		pkgs = postorder(roots)
	}
	for _, p := range pkgs {
		lp := listPackage{Dir: p.Dir, ImportPath: p.ImportPath, Name: p.Name, Standard: p.Std, Imports: p.Imports}
		if p.Std {
			lp.Dir = filepath.Join(goroot(), "src", filepath.FromSlash(p.ImportPath))
		}
		for _, g := range p.GoFiles {
			lp.GoFiles = append(lp.GoFiles, filepath.Base(g))
		}
		if p.Embed != nil {
			for name := range p.Embed.Files {
				lp.EmbedFiles = append(lp.EmbedFiles, name)
			}
		}
		for _, d := range postorder([]*Package{p}) {
			if d != p {
				lp.Deps = append(lp.Deps, d.ImportPath)
			}
		}
		if *asJSON {
			data, _ := json.MarshalIndent(lp, "", "\t")
			fmt.Println(string(data))
			continue
		}
		if err := tmpl.Execute(os.Stdout, lp); err != nil {
			fmt.Fprintf(os.Stderr, "template: %v\n", err)
			return 1
		}
		fmt.Println()
	}
	return 0
}
