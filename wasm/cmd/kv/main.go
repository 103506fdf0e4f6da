// Command kv keeps keys as files under a data directory (KV_DIR, default
// /data): mount a volume there and the values outlive the container.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	dir := flag.String("dir", envOr("KV_DIR", "/data"), "directory that holds one file per key")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: kv [-dir DIR] COMMAND\n\nCommands:\n  set KEY VALUE   store VALUE (VALUE - reads stdin)\n  get KEY         print the value\n  del KEY         delete the key\n  incr KEY        add 1 to a number and print it\n  list            print KEY=VALUE lines\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*dir, args); err != nil {
		fmt.Fprintf(os.Stderr, "kv: %v\n", err)
		os.Exit(1)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func keyPath(dir, key string) (string, error) {
	if key == "" || strings.ContainsAny(key, "/\\") || key == "." || key == ".." {
		return "", fmt.Errorf("invalid key %q: use letters, digits, '-', '_' or '.'", key)
	}
	return filepath.Join(dir, key), nil
}

func run(dir string, args []string) error {
	need := map[string]int{"set": 3, "get": 2, "del": 2, "incr": 2, "list": 1}
	n, ok := need[args[0]]
	if !ok {
		return fmt.Errorf("unknown command %q (try: set, get, del, incr, list)", args[0])
	}
	if len(args) != n {
		return fmt.Errorf("%s takes %d argument(s)", args[0], n-1)
	}
	if args[0] == "list" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		var names []string
		for _, e := range entries {
			if !e.IsDir() && !strings.Contains(e.Name(), "/") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, name := range names {
			data, _ := os.ReadFile(filepath.Join(dir, name))
			fmt.Printf("%s=%s\n", name, strings.TrimRight(string(data), "\n"))
		}
		return nil
	}
	p, err := keyPath(dir, args[1])
	if err != nil {
		return err
	}
	switch args[0] {
	case "set":
		value := args[2]
		if value == "-" {
			data, err := io.ReadAll(os.Stdin)
			if err != nil {
				return err
			}
			value = string(data)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(value), 0o644)
	case "get":
		data, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			return fmt.Errorf("key %q not found in %s", args[1], dir)
		}
		if err != nil {
			return err
		}
		fmt.Println(strings.TrimRight(string(data), "\n"))
	case "del":
		if err := os.Remove(p); os.IsNotExist(err) {
			return fmt.Errorf("key %q not found in %s", args[1], dir)
		} else if err != nil {
			return err
		}
	case "incr":
		value := 0
		if data, err := os.ReadFile(p); err == nil {
			value, err = strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				return fmt.Errorf("key %q does not hold a number", args[1])
			}
		}
		value++
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(strconv.Itoa(value)), 0o644); err != nil {
			return err
		}
		fmt.Println(value)
	}
	return nil
}
