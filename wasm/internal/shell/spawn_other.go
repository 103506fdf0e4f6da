//go:build !wasip1

package shell

import (
	"context"
	"fmt"

	"podplay.dev/wasm/internal/applets"
)

// Outside wasip1 (native tests of this package) there is no WASIX to spawn with.
func spawn(_ context.Context, e *applets.Env, cmd *command, _ int, _ map[string]string) int {
	fmt.Fprintf(e.Stderr, "sh: %s: starting programs needs podplay (WASIX)\n", cmd.argv[0])
	return 126
}

func replaceProcess(*applets.Env, *command) (status int, declined bool) { return 0, true }
