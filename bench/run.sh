#!/usr/bin/env bash
# Load benchmark of the family page, the caseload page and a static asset, on SQLite and
# on PostgreSQL, with `demo-data --families N` (about 100 chronology entries per family).
#
#   bench/run.sh [--families 10000] [--backends "sqlite postgres"] [--duration 20s]
#
# Needs wrk (Debian package) and, for PostgreSQL, a server at BENCH_PG (default
# postgres://postgres@127.0.0.1:5432/postgres) where it may create a database.
# Prints a Markdown table to paste into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

families=10000
backends="sqlite postgres"
duration=20s
connections=64
while [ $# -gt 0 ]; do
  case "$1" in
    --families) families=$2; shift 2 ;;
    --backends) backends=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
pg_admin=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}

cargo build --release --bin alongside --locked
bin=target/release/alongside
export ALONGSIDE_DEMO_PASSWORD=bench-demo-password
export ALONGSIDE_LOG=warn
port=18080
work=$(mktemp -d /tmp/alongside-bench.XXXXXX)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT

rows=()
for backend in $backends; do
  data="$work/$backend"
  if [ "$backend" = postgres ]; then
    db="alongside_bench_$$"
    psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db" -qc "CREATE DATABASE $db" >/dev/null
    export DATABASE_URL="${pg_admin%/*}/$db"
  else
    unset DATABASE_URL
  fi
  start=$(date +%s.%N)
  "$bin" --data "$data" migrate >/dev/null
  "$bin" --data "$data" demo-data --families "$families" >/dev/null
  gen=$(echo "$(date +%s.%N) - $start" | bc)
  "$bin" --data "$data" serve --port $port >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

  jar="$work/cookies-$backend"
  token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -c "$jar" -b "$jar" -o /dev/null -d "csrf_token=$token&username=demo.plo&password=$ALONGSIDE_DEMO_PASSWORD&next=/" "http://127.0.0.1:$port/login"
  cookie="alongside_session=$(awk '$6 == "alongside_session" {print $7}' "$jar")"
  family_paths=$(curl -s -b "$jar" "http://127.0.0.1:$port/caseload" | grep -o 'href="/families/[0-9]*"' | sed 's/href="//;s/"//' | sort -u | tr '\n' ' ')
  nfam=$(echo "$family_paths" | wc -w)
  entries=$(curl -s -b "$jar" "http://127.0.0.1:$port/families/$(echo "$family_paths" | awk '{print $1}' | sed 's|/families/||')" | grep -o 'The latest of [0-9]* events' | grep -o '[0-9]*')

  for target in family caseload asset; do
    case $target in
      family) paths=$family_paths ;;
      caseload) paths=/caseload ;;
      asset) paths=/assets/init.js ;;
    esac
    # A short warm-up, then the measured run.
    PATHS="$paths" COOKIE="$cookie" wrk -t2 -c"$connections" -d3s -s bench/paths.lua "http://127.0.0.1:$port" >/dev/null
    json=$(PATHS="$paths" COOKIE="$cookie" wrk -t2 -c"$connections" -d"$duration" -s bench/paths.lua "http://127.0.0.1:$port" | tail -1)
    rows+=("| $backend | $target | $(echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.0f | %.1f | %.1f | %.1f | %d" % (d["rps"], d["p50_ms"], d["p95_ms"], d["p99_ms"], d["errors"]))') |")
    echo "$backend $target $json" >&2
  done
  kill $server; wait $server 2>/dev/null || true; server=""
  echo "$backend: generated $families families in ${gen}s; demo.plo holds $nfam families; a family has $entries chronology entries" >&2
  rows+=("|  $backend | (generation of $families families: ${gen%.*} s; $nfam families on the PLO's caseload; $entries chronology entries per family) | | | | | |")
  if [ "$backend" = postgres ]; then psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db" >/dev/null; fi
done

echo
echo "| backend | page | requests/s | p50 ms | p95 ms | p99 ms | errors |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
