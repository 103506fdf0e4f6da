// Command hello greets from inside a container: it reads its greeting from
// the image's /etc/hello/greeting and says where it runs (HOSTNAME, and
// POD_NAME / NODE_NAME when the cluster sets them). In a pod it then stays
// up, as a service would, until it is stopped: a Deployment of it runs.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: hello [-once] [NAME]\n\nGreets NAME (default: world) with the image's /etc/hello/greeting,\nthen prints the host name and, when set, POD_NAME and NODE_NAME.\nIn a Kubernetes pod (KUBERNETES_SERVICE_HOST is set) it then stays up\nuntil stopped, as a server would; -once exits there too.\n\n")
		flag.PrintDefaults()
	}
	once := flag.Bool("once", false, "exit after greeting, even in a pod")
	flag.Parse()
	name := "world"
	if flag.NArg() > 0 {
		name = strings.Join(flag.Args(), " ")
	}
	greeting := "Hello"
	if data, err := os.ReadFile("/etc/hello/greeting"); err == nil {
		greeting = strings.TrimSpace(string(data))
	}
	fmt.Printf("%s, %s!\n", greeting, name)
	fmt.Printf("hostname: %s\n", hostname())
	for _, key := range []string{"POD_NAME", "NODE_NAME"} {
		if v := os.Getenv(key); v != "" {
			fmt.Printf("%s: %s\n", strings.ToLower(strings.TrimSuffix(key, "_NAME")), v)
		}
	}
	if os.Getenv("KUBERNETES_SERVICE_HOST") != "" && !*once {
		for {
			time.Sleep(time.Hour)
		}
	}
}

// hostname: wasip1 has no hostname call, so a runtime sets HOSTNAME; the
// image's /etc/hostname is the fallback.
func hostname() string {
	if h := os.Getenv("HOSTNAME"); h != "" {
		return h
	}
	if data, err := os.ReadFile("/etc/hostname"); err == nil {
		return strings.TrimSpace(string(data))
	}
	return "localhost"
}
