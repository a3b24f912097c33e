#!/usr/bin/env bash
# Starts Alongside for the browser tests: a fresh SQLite database in a temporary folder,
# a second, separate demo hub ("Second hub", users other.demo.*), then the demo hub itself
# as `serve --demo` makes it. Playwright's webServer runs this, polls the URL until the
# server answers, and stops the server (this process, after exec) when the tests end.
#
# Environment:
#   ALONGSIDE_BIN             the binary (default: target/debug/alongside in the repo)
#   ALONGSIDE_DEMO_PASSWORD   password of every demo account (required; the config sets it)
#   E2E_PORT                  port to serve on (default 8123)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${ALONGSIDE_BIN:-$root/target/debug/alongside}"
port="${E2E_PORT:-8123}"

if [[ ! -x "$bin" ]]; then
  echo "e2e/start-server.sh: no Alongside binary at $bin (run: cargo build --bin alongside)" >&2
  exit 1
fi
if [[ -z "${ALONGSIDE_DEMO_PASSWORD:-}" ]]; then
  echo "e2e/start-server.sh: ALONGSIDE_DEMO_PASSWORD must be set" >&2
  exit 1
fi

tmp="${TMPDIR:-/tmp}"
# Remove the data of earlier runs whose server has ended (each folder names its server).
for old in "$tmp"/alongside-e2e.*; do
  [[ -d "$old" && -f "$old/server.pid" ]] || continue
  if ! kill -0 "$(cat "$old/server.pid")" 2>/dev/null; then
    rm -rf -- "$old"
  fi
done

# Always the embedded SQLite database in a folder of our own, never a shared database.
unset DATABASE_URL ALONGSIDE_DATA
data="$(mktemp -d "$tmp/alongside-e2e.XXXXXX")"
echo $$ > "$data/server.pid"

if ! "$bin" --data "$data" demo-data --families 5 --hub "Second hub" --prefix other. \
    > "$data/demo-data.log" 2>&1; then
  cat "$data/demo-data.log" >&2
  echo "e2e/start-server.sh: making the second demo hub failed" >&2
  exit 1
fi

# exec keeps this process id (written above), so the server is what Playwright stops.
exec "$bin" --data "$data" serve --demo --port "$port" --bind 127.0.0.1
