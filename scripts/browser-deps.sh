#!/usr/bin/env bash
# Browser tests need Debian's Chromium (never a downloaded browser) and axe-core from npm.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "== installing Debian chromium"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver libharfbuzz-subset0 >/dev/null
  else
    echo "!! /usr/bin/chromium missing: install Debian's chromium package (browser tests will be skipped)" >&2
  fi
fi
if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then
  echo "== installing axe-core from npm"
  npm install --no-save --no-package-lock --no-audit --no-fund --silent >/dev/null 2>&1 || echo "!! npm install failed; falling back to the axe-core copy bundled with axe-playwright-python" >&2
fi
