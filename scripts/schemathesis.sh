#!/usr/bin/env bash
# The API against an outside judge: schemathesis (PyPI) reads the OpenAPI document of a
# running Alongside (a fresh SQLite database with the demo data), generates requests from
# it and checks every answer: no server error, statuses and content types as documented,
# bodies that match their schemas, invalid requests refused, and the stateful links.
# Exits non-zero on any failure.
#
# One check is left out, positive_data_acceptance ("a schema-valid request is accepted"):
# the API's rules say more than a schema can (a date in the past, a family of this hub, an
# entry not yet passed on, text without control characters), and a request that breaks
# one gets a 422 that names the field; that is the rule, not a fault.
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

"$st" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples 20 --seed 20261201 --workers 2 --no-color
if grep -q "panicked" "$data/server.log"; then
  echo "schemathesis.sh: the server panicked:" >&2
  grep -A3 "panicked" "$data/server.log" >&2
  exit 1
fi
