// Command toolbox is podplay's busybox: one multi-call binary whose applets
// are chosen by the name it was invoked as (argv[0], e.g. /bin/ls) or by its
// first argument (toolbox ls -l).
package main

import (
	"fmt"
	"os"
	"path"
	"strings"

	"podplay.dev/wasm/internal/applets"
	"podplay.dev/wasm/internal/shell"
)

func main() {
	applets.Register(shell.Applet)
	for _, a := range shell.Aliases {
		applets.Register(a)
	}
	args := append([]string(nil), os.Args...)
	if len(args) == 0 {
		args = []string{"toolbox"}
	}
	if a, ok := applets.Lookup(path.Base(args[0])); ok {
		args[0] = a.Name
		os.Exit(applets.Call(a, applets.FromOS(args)))
	}
	if len(args) > 1 {
		if a, ok := applets.Lookup(path.Base(args[1])); ok {
			os.Exit(applets.Call(a, applets.FromOS(args[1:])))
		}
		if args[1] != "--help" && args[1] != "--list" {
			fmt.Fprintf(os.Stderr, "%s: applet not found\n", args[1])
			os.Exit(127)
		}
		if args[1] == "--list" {
			fmt.Println(strings.Join(applets.Names(), "\n"))
			return
		}
	}
	fmt.Print("podplay toolbox: a multi-call binary (GOOS=wasip1 GOARCH=wasm).\n\n" +
		"Usage: toolbox [APPLET [ARGS]...]   or invoke it as /bin/APPLET\n" +
		"       toolbox --list               print applet names, one per line\n\n" +
		"Applets: " + strings.Join(applets.Names(), ", ") + "\n")
}
