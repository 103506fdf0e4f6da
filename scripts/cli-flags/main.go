// Command cli-flags writes the command trees of the real kubectl and docker
// clients as JSON: every command (its path, usage line, aliases, short help)
// and every flag (name, shorthand, type, default, usage line), walked from
// the cobra trees kubectl (k8s.io/kubectl/pkg/cmd) and docker
// (github.com/docker/cli/cli/command/commands) build. podplay's tests hold
// its own command trees against these tables (test/data/).
//
//	go run . -out ../../test/data   (npm run cli-flags)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/docker/cli/cli/command"
	"github.com/docker/cli/cli/command/commands"
	cliflags "github.com/docker/cli/cli/flags"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	kubectl "k8s.io/kubectl/pkg/cmd"
)

type flagInfo struct {
	Name       string `json:"name"`
	Shorthand  string `json:"shorthand,omitempty"`
	Type       string `json:"type"`
	Default    string `json:"default"`
	Usage      string `json:"usage"`
	Deprecated string `json:"deprecated,omitempty"`
	Hidden     bool   `json:"hidden,omitempty"`
}

type commandInfo struct {
	Path       string     `json:"path"`
	Use        string     `json:"use"`
	Aliases    []string   `json:"aliases,omitempty"`
	Short      string     `json:"short"`
	Deprecated string     `json:"deprecated,omitempty"`
	Hidden     bool       `json:"hidden,omitempty"`
	Flags      []flagInfo `json:"flags"`
}

type table struct {
	Tool     string        `json:"tool"`
	Module   string        `json:"module"`
	Version  string        `json:"version"`
	Global   []flagInfo    `json:"global"`
	Commands []commandInfo `json:"commands"`
}

// home is written as $HOME in defaults and usage lines (kubectl's --cache-dir,
// docker's --config), so the tables do not depend on who made them.
var home, _ = os.UserHomeDir()

func unhome(s string) string {
	if home == "" || home == "/" {
		return s
	}
	return strings.ReplaceAll(s, home, "$HOME")
}

func flagsOf(set *pflag.FlagSet) []flagInfo {
	out := []flagInfo{}
	set.VisitAll(func(f *pflag.Flag) {
		out = append(out, flagInfo{Name: f.Name, Shorthand: f.Shorthand, Type: f.Value.Type(), Default: unhome(f.DefValue), Usage: unhome(f.Usage), Deprecated: f.Deprecated, Hidden: f.Hidden})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func walk(c *cobra.Command, out *[]commandInfo) {
	if c.HasParent() {
		*out = append(*out, commandInfo{
			Path: c.CommandPath(), Use: c.Use, Aliases: c.Aliases, Short: c.Short,
			Deprecated: c.Deprecated, Hidden: c.Hidden, Flags: flagsOf(c.LocalFlags()),
		})
	}
	subs := c.Commands()
	sort.Slice(subs, func(i, j int) bool { return subs[i].Name() < subs[j].Name() })
	for _, s := range subs {
		walk(s, out)
	}
}

func moduleVersion(path string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "unknown"
}

func write(dir, name string, t table) {
	data, err := json.MarshalIndent(t, "", " ")
	if err != nil {
		panic(err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d commands\n", file, len(t.Commands))
}

func main() {
	out := flag.String("out", ".", "the directory to write kubectl-commands.json and docker-commands.json in")
	flag.Parse()

	// kubectl: the tree `kubectl` itself runs, its global flags on the root
	// (it reads os.Args for plugins: give it a bare `kubectl`).
	os.Args = []string{"kubectl"}
	k := kubectl.NewDefaultKubectlCommand()
	kt := table{Tool: "kubectl", Module: "k8s.io/kubectl", Version: moduleVersion("k8s.io/kubectl"), Global: flagsOf(k.PersistentFlags())}
	walk(k, &kt.Commands)
	write(*out, "kubectl-commands.json", kt)

	// docker: the CLI's commands under a root with its global flags, as cmd/docker builds them.
	cli, err := command.NewDockerCli()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Its global options are the root's own flags (cmd/docker: TraverseChildren), parsed before the command.
	d := &cobra.Command{Use: "docker [OPTIONS] COMMAND [ARG...]", TraverseChildren: true}
	cliflags.NewClientOptions().InstallFlags(d.Flags())
	commands.AddCommands(d, cli)
	dt := table{Tool: "docker", Module: "github.com/docker/cli", Version: strings.TrimSuffix(moduleVersion("github.com/docker/cli"), "+incompatible"), Global: flagsOf(d.Flags())}
	walk(d, &dt.Commands)
	write(*out, "docker-commands.json", dt)
}
