#!/usr/bin/env bash
# The Go tests of the toolbox's applets (each case also run by busybox, when
# it is installed, and compared) and of package guest, natively. Skipped,
# saying so, on a machine without Go: the packed images need no Go to run.
set -euo pipefail
cd "$(dirname "$0")/../wasm"
if ! command -v go >/dev/null; then
  echo "Go is not installed: skipping the Go tests of wasm/ (the applets and package guest)."
  exit 0
fi
if ! command -v busybox >/dev/null; then
  echo "busybox is not installed: the applet tests run without comparing with it (Debian/Ubuntu: apt-get install busybox)." >&2
fi
go test ./internal/applets/ ./guest/
