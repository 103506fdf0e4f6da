//go:build wasip1

package shell

import (
	"mvdan.cc/sh/v3/interp"

	"podplay.dev/wasm/guest"
)

// command -v and type find programs by their true modes. interp.PathStat is
// added by the toolbox's build to its copy of mvdan.cc/sh (wasm/tools/pack).
func init() { interp.PathStat = guest.Stat }
