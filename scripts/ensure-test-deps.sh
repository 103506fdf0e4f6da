#!/usr/bin/env bash
# Runs before `npm test`: installs what the tests need on a fresh machine:
# npm packages, Chromium for the browser tests, the real OCI tools the
# peer tests compare podplay with (skopeo, umoci, docker-registry, buildah, openssl,
# busybox for the toolbox's applets),
# and python3, whose http.server is the plain static host the docs-site tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/playwright ] || [ ! -x node_modules/.bin/tsx ]; then
  npm ci --no-audit --no-fund
fi
missing=()
if [ -z "${PODPLAY_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ] && [ ! -x /usr/bin/chromium-browser ]; then missing+=(chromium); fi
for tool in skopeo umoci docker-registry buildah openssl python3 busybox; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
elif [[ " ${missing[*]} " == *" chromium "* ]]; then
  echo "The browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium) or set PODPLAY_CHROMIUM to its path." >&2
  exit 1
else
  echo "Peer tests will be skipped: install ${missing[*]} (Debian/Ubuntu: sudo apt-get install ${missing[*]}) to run them." >&2
fi
