//go:build wasip1

package guest

import "podplay.dev/wasm/internal/wasix"

func init() { Pid = wasix.Pid }
