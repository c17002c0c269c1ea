#!/usr/bin/env bash
# Times the report API on a big database (made by `sangdam seed`): the first page with its
# counters, a period of one week, a filter on a custom parameter value (exact and contains),
# on the profile and on the consultation's own columns, a later page; then the dashboard's
# figures of the whole history, of a week, and of one channel. Each request runs 7 times; the median and the slowest are printed.
#
# Usage: scripts/bench-reports.sh DATABASE_URL SITE_ID API_TOKEN
# (a release build: cargo build --release -p sangdam)
set -euo pipefail
cd "$(dirname "$0")/.."
url="$1" site="$2" token="$3"
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

time_it() {
  local name="$1" body="$2" path="${3:-consultations}"
  local times=()
  for _ in 1 2 3 4 5 6 7; do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -X POST "$base/api/v1/reports/$path" \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$name" '
    { t[NR] = $1 } END { printf "%-44s median %6.0f ms   max %6.0f ms\n", n, t[4] * 1000, t[NR] * 1000 }'
}

# The total, to show what the figures are of.
curl -s -X POST "$base/api/v1/reports/consultations" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"limit": 1}' |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print("consultations:", d["counters"]["total"])'
newest="$(curl -s -X POST "$base/api/v1/reports/consultations" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"limit": 1}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0]["created_at"])')"
to="$(python3 -c "import datetime as d; print(d.datetime.fromtimestamp($newest/1000, d.timezone(d.timedelta(hours=9))).date())")"
from="$(python3 -c "import datetime as d; print(d.date.fromisoformat('$to') - d.timedelta(days=6))")"
cursor="$(curl -s -X POST "$base/api/v1/reports/consultations" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"limit": 500}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])')"

time_it "first page + counters, everything" '{}'
time_it "first page + counters, last 7 days" "{\"filter\": {\"from\": \"$from\", \"to\": \"$to\"}}"
time_it "parameter1 = 네이버검색 (exact), everything" '{"filter": {"params": [{"name": "parameter1", "value": "네이버검색"}]}}'
time_it "parameter2 contains 1002, everything" '{"filter": {"params": [{"name": "parameter2", "match": "contains", "value": "1002"}]}}'
time_it "name = 김민지 (profile), everything" '{"filter": {"params": [{"name": "cus_extra_username", "value": "김민지"}]}}'
time_it "kakao, closed by customer, rated 1-2" '{"filter": {"channels": ["kakao"], "end_types": ["customer"], "scores": [1, 2]}}'
time_it "a later page (after 500 rows)" "{\"cursor\": \"$cursor\"}"
time_it "dashboard, everything" '{}' dashboard
time_it "dashboard, last 7 days" "{\"filter\": {\"from\": \"$from\", \"to\": \"$to\"}}" dashboard
time_it "dashboard, kakao" '{"filter": {"channels": ["kakao"]}}' dashboard
time_it "dashboard, parameter1 = 네이버검색" '{"filter": {"params": [{"name": "parameter1", "value": "네이버검색"}]}}' dashboard
