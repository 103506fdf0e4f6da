#!/usr/bin/env bash
# Runs before `npm test`: installs what the tests need on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/playwright ] || [ ! -x node_modules/.bin/tsx ]; then
  npm ci --no-audit --no-fund
fi
if [ -n "${PODPLAY_CHROMIUM:-}" ] && [ -x "${PODPLAY_CHROMIUM}" ]; then exit 0; fi
if [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
else
  echo "The browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium) or set PODPLAY_CHROMIUM to its path." >&2
  exit 1
fi
