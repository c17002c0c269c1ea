#!/usr/bin/env bash
# Times the search API on a big database (made by `sangdam seed`): starts the server on it,
# waits for the message index to catch up (and says how long that took), then runs each query
# 7 times as the site's admin and prints the median and the slowest, with what each found.
#
# Usage: scripts/bench-search.sh DATABASE_URL API_TOKEN
# (a release build: cargo build --release -p sangdam)
set -euo pipefail
cd "$(dirname "$0")/.."
url="$1" token="$2"
bin="${SANGDAM_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/sangdam/target}/release/sangdam}"
log="$(mktemp)"
"$bin" serve --database-url "$url" --listen 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
base=""
for _ in $(seq 1 100); do
  base="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1 || true)"
  [ -n "$base" ] && break
  sleep 0.2
done
[ -n "$base" ] || { cat "$log"; exit 1; }

progress() {
  curl -s "$base/api/v1/search?q=xx" -H "Authorization: Bearer $token" |
    python3 -c 'import json,sys; i=json.load(sys.stdin)["index"]; print(i["done"], i["newest"])'
}
start=$(date +%s)
while :; do
  read -r done newest < <(progress)
  [ "$done" = "$newest" ] && break
  printf '\rindexing: message %s of %s' "$done" "$newest" >&2
  sleep 2
done
echo >&2
echo "messages: $newest (index complete after $(( $(date +%s) - start )) s)"

time_it() {
  local q="$1" enc times=()
  enc="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")"
  for _ in 1 2 3 4 5 6 7; do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' "$base/api/v1/search?q=$enc" \
      -H "Authorization: Bearer $token")")
  done
  local found
  found="$(curl -s "$base/api/v1/search?q=$enc" -H "Authorization: Bearer $token" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print("%d customers, %d parameters, %d messages" % (len(d["customers"]), len(d["parameters"]), len(d["messages"])))')"
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$q" -v f="$found" '
    { t[NR] = $1 } END { printf "%-16s median %6.0f ms   max %6.0f ms   (%s)\n", n, t[4] * 1000, t[NR] * 1000, f }'
}

# A word in many messages, a longer phrase, one spaced otherwise, words in no message, a
# name, a phone number without its dashes, a parameter value.
for q in "환불" "배송" "감사합니다" "영업일 기준" "영업일기준" "비밀번호재설정" "교환반품" "없는말이야" \
  "김민" "1588-1255" "15881255" "유튜브" "P12345"; do
  time_it "$q"
done
