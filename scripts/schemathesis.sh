#!/usr/bin/env bash
# The API against outside judges: Redocly lints its OpenAPI document, and schemathesis
# (PyPI) reads the OpenAPI document of a
# running Alongside (a fresh SQLite database with the demo data), generates requests from
# it and checks every answer: no server error, statuses and content types as documented,
# bodies that match their schemas, invalid requests refused, and the stateful links.
# Exits non-zero on any failure.
#
# Every check runs ("--checks all"). The writes whose rules go beyond what a schema can
# state (a date not in the future, a PLO of this hub, the ETag read) expect a 422 (or
# 412) for schema-valid requests that break them: scripts/schemathesis.toml lists each
# with its rule. One worker: with two, Python 3.11's parser once failed inside
# schemathesis itself ("AST constructor recursion depth mismatch").
#
#   scripts/schemathesis.sh            # needs ALONGSIDE_ORACLE_PYTHON with schemathesis
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python="${ALONGSIDE_ORACLE_PYTHON:-$PWD/target/graphml-reader/bin/python}"
st="$(dirname "$python")/st"
port="${SCHEMATHESIS_PORT:-8124}"
password="schemathesis-demo-password-2026"
data="$(mktemp -d /tmp/alongside-st.XXXXXX)"

cargo build --bin alongside --locked -q
ALONGSIDE_DEMO_PASSWORD="$password" target/debug/alongside --data "$data" serve --demo --port "$port" >"$data/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  if "$python" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/healthz')" 2>/dev/null; then break; fi
  sleep 0.5
done

# A manager's personal API token, made as a person would: sign in, then the account page.
token="$("$python" - "$port" "$password" <<'PY'
import re, sys, requests
port, password = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
s = requests.Session()
csrf = lambda html: re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
page = s.get(f"{base}/login").text
s.post(f"{base}/login", data={"csrf_token": csrf(page), "next": "/", "username": "demo.manager", "password": password}, allow_redirects=False)
page = s.get(f"{base}/account").text
made = s.post(f"{base}/account/tokens", data={"csrf_token": csrf(page), "name": "schemathesis", "scope": "read_write"}).text
print(re.search(r'<code id="new-token">([^<]+)</code>', made).group(1))
PY
)"

# Redocly's recommended rules (npm @redocly/cli, installed by scripts/e2e.sh's npm ci):
# a tag and summary on every operation, servers, licence, no unused schemas.
"$python" -c "import sys,urllib.request; sys.stdout.buffer.write(urllib.request.urlopen('http://127.0.0.1:$port/api/v1/openapi.json').read())" >"$data/openapi.json"
if [ ! -x node_modules/.bin/redocly ]; then npm ci --no-audit --no-fund >/dev/null; fi
NO_UPDATE_NOTIFIER=1 REDOCLY_TELEMETRY=off node_modules/.bin/redocly lint "$data/openapi.json" --extends recommended --format stylish 2>&1 | grep -v '[║╔╚]'
test "${PIPESTATUS[0]}" = 0

"$st" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$port/api/v1/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks all \
  --max-examples 20 --seed ${SCHEMATHESIS_SEED:-20261201} --workers 1 --no-color ${SCHEMATHESIS_ARGS:-}
if grep -q "panicked" "$data/server.log"; then
  echo "schemathesis.sh: the server panicked:" >&2
  grep -A3 "panicked" "$data/server.log" >&2
  exit 1
fi
