// Command kube-examples holds two in-cluster client-go programs in one
// binary (the two images share its layer): it runs the one its name says,
// as busybox does.
//
//	pod-lister   lists the pods of a namespace (lister.go)
//	pod-watcher  prints pod changes as an informer sees them (watcher.go)
//
// The one line podplay needs in either is the incluster import.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	_ "podplay.dev/wasm/incluster"
)

func main() {
	switch name := filepath.Base(os.Args[0]); name {
	case "pod-lister":
		podLister()
	case "pod-watcher":
		podWatcher()
	default:
		fmt.Fprintf(os.Stderr, "kube-examples: run it as pod-lister or pod-watcher (not %q)\n", name)
		os.Exit(2)
	}
}
