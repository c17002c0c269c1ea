#!/usr/bin/env bash
# Browser tests: installs what they need (Debian's Chromium, playwright-core from npm), then runs
# them against the sangdam binary in $SANGDAM_BIN. Screenshots land in e2e/screenshots/.
set -euo pipefail
cd "$(dirname "$0")"

# Debian's Chromium, and a Korean font so screenshots show Hangul rather than boxes.
CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
missing=""
[ -z "$CHROMIUM" ] && missing="chromium"
[ -d /usr/share/fonts/truetype/nanum ] || missing="$missing fonts-nanum"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's$missing…"
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  CHROMIUM="$(command -v chromium || true)"
fi
if [ -z "$CHROMIUM" ] || ! command -v node >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "Chromium or Node.js is missing and CI=true: the browser tests must run." >&2
    exit 1
  fi
  echo "!!! SKIPPING the browser tests: Chromium or Node.js is not installed." >&2
  exit 0
fi
export CHROMIUM

if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
: "${SANGDAM_BIN:?set SANGDAM_BIN to the sangdam binary}"
export SANGDAM_BIN
rm -rf screenshots
node --test --test-concurrency=1 tests/
