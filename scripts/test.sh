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

# PostgreSQL for the storage tests: the one given in SANGDAM_TEST_PG, else a local server
# (started if it is installed but stopped). On CI a missing PostgreSQL is a failure.
step "PostgreSQL"
if [ -z "${SANGDAM_TEST_PG:-}" ]; then
  pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
  if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
    for version in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
    done
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_up && break; sleep 1; done
  fi
  if pg_up; then
    export SANGDAM_TEST_PG="postgres://postgres@127.0.0.1:5432"
  elif [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is not reachable at 127.0.0.1:5432 and CI=true: the PostgreSQL tests must run." >&2
    exit 1
  else
    echo "!!! SKIPPING the PostgreSQL variants: no server at 127.0.0.1:5432 (set SANGDAM_TEST_PG)." >&2
  fi
fi
if [ -n "${SANGDAM_TEST_PG:-}" ] && command -v psql >/dev/null 2>&1; then
  echo "using $SANGDAM_TEST_PG"
  # Databases left behind by an interrupted earlier run.
  psql "$SANGDAM_TEST_PG/postgres" -Atqc \
    "SELECT datname FROM pg_database WHERE datname LIKE 'sangdam\_t\_%'" 2>/dev/null |
    while read -r db; do psql "$SANGDAM_TEST_PG/postgres" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
fi

# NATS for the several-instances test: the test starts its own nats-server on a free port.
# Installed from Debian's packages when missing. On CI a missing NATS is a failure.
step "NATS"
if [ -z "${SANGDAM_TEST_NATS_SERVER:-}" ]; then
  nats_bin="$(command -v nats-server || true)"
  if [ -z "$nats_bin" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing nats-server"
    (apt-get install -y nats-server >/dev/null 2>&1 ||
      (apt-get update >/dev/null 2>&1 && apt-get install -y nats-server >/dev/null 2>&1)) || true
    nats_bin="$(command -v nats-server || true)"
  fi
  if [ -n "$nats_bin" ]; then
    export SANGDAM_TEST_NATS_SERVER="$nats_bin"
    echo "using $nats_bin"
  elif [ "${CI:-}" = "true" ]; then
    echo "nats-server is not installed and CI=true: the several-instances test must run." >&2
    exit 1
  else
    echo "!!! SKIPPING the several-instances test: no nats-server (set SANGDAM_TEST_NATS_SERVER)." >&2
  fi
fi

# A local S3 for the bucket tests: moto's server, from PyPI into a cached virtualenv. On CI a
# missing S3 is a failure.
step "S3 (moto)"
if [ -z "${SANGDAM_TEST_S3:-}" ]; then
  moto_venv="${XDG_CACHE_HOME:-$HOME/.cache}/sangdam/moto-venv"
  s3_skip() {
    if [ "${CI:-}" = "true" ]; then
      echo "moto: $* and CI=true: the bucket tests must run." >&2
      exit 1
    fi
    echo "!!! SKIPPING the bucket tests: $*" >&2
  }
  if [ ! -x "$moto_venv/bin/moto_server" ]; then
    echo "installing moto's S3 server into $moto_venv"
    { python3 -m venv "$moto_venv" && "$moto_venv/bin/pip" install --quiet 'moto[server]>=5,<6'; } ||
      s3_skip "pip could not install moto"
  fi
  if [ -x "$moto_venv/bin/moto_server" ]; then
    s3_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "$moto_venv/bin/moto_server" -H 127.0.0.1 -p "$s3_port" >"${TMPDIR:-/tmp}/sangdam-moto.log" 2>&1 &
    moto_pid=$!
    trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 1 50); do
      curl -fs -o /dev/null "http://127.0.0.1:$s3_port/" 2>/dev/null && break
      sleep 0.2
    done
    if curl -fs -o /dev/null -X PUT "http://127.0.0.1:$s3_port/sangdam-test"; then
      export SANGDAM_TEST_S3="http://127.0.0.1:$s3_port"
      echo "using $SANGDAM_TEST_S3"
    else
      s3_skip "moto's server did not start (${TMPDIR:-/tmp}/sangdam-moto.log)"
    fi
  fi
fi

step "tests"
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  echo "cargo-nextest not found: using cargo test"
  cargo test --workspace --locked --no-fail-fast
fi
cargo test --workspace --locked --doc

step "schemathesis (the API against its OpenAPI document)"
cargo build -p sangdam --locked
SANGDAM_BIN="$CARGO_TARGET_DIR/debug/sangdam" bash scripts/schemathesis.sh

step "browser tests"
cargo build -p sangdam --locked
SANGDAM_BIN="$CARGO_TARGET_DIR/debug/sangdam" bash e2e/run.sh
