#!/usr/bin/env bash
# Every check CI runs, in order: formatting, lints (warnings are errors), all tests.
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# A build directory outside the clone, so a fresh clone reuses an earlier build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sangdam/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests"
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  echo "cargo-nextest not found: using cargo test"
  cargo test --workspace --locked --no-fail-fast
fi
cargo test --workspace --locked --doc
