#!/usr/bin/env bash
# Browser tests: installs what they need where it is missing (Debian's Chromium, Node.js
# packages from package-lock.json), builds Alongside, and runs the Playwright journeys in
# e2e/ against a fresh server with synthetic demo data. Exits non-zero if any test fails.
#
#   bash scripts/e2e.sh                 # everything
#   bash scripts/e2e.sh -g "sign out"   # extra arguments go to `playwright test`
#
# Environment: CHROMIUM_PATH (default /usr/bin/chromium), ALONGSIDE_BIN (a binary to test
# instead of building one), E2E_PORT (default 8123).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'e2e.sh: %s\n' "$*" >&2; }

# Runs a command as root: directly when we are root, else through sudo when it needs no
# password, else gives up with what to run.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    say "needs root to run: $*"
    exit 1
  fi
}

apt_updated=0
apt_install() {
  if [[ "$apt_updated" -eq 0 ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# Node.js 20 or later (Playwright needs it) and npm.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "installing Node.js and npm from Debian"
  apt_install nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" -lt 20 ]]; then
  say "Playwright needs Node.js 20 or later; this machine has $(node --version)"
  exit 1
fi

# Debian's Chromium: Playwright drives it; its own browser downloads are never used.
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  say "installing Debian's chromium"
  apt_install chromium
fi
if [[ ! -x "$chromium" ]]; then
  say "no Chromium at $chromium"
  exit 1
fi

# The packages from the lock file, when node_modules is missing, older than the lock
# file, or does not match package.json.
if [[ ! -f node_modules/.package-lock.json ]] \
  || [[ package-lock.json -nt node_modules/.package-lock.json ]] \
  || ! npm ls --depth=0 >/dev/null 2>&1; then
  say "installing Node.js packages (npm ci)"
  npm ci --no-audit --no-fund
fi

# The binary under test.
if [[ -z "${ALONGSIDE_BIN:-}" ]]; then
  cargo build --bin alongside
  export ALONGSIDE_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/alongside"
fi

exec npx --no-install playwright test --config e2e/playwright.config.mjs "$@"
