#!/usr/bin/env bash
# The Dockerfile's steps, in order, without Docker: on a clean clone of this checkout's committed state,
# `npm ci`, `npm run build`, `npm prune --omit=dev`; then only what the final image holds is kept, the built hub
# must start from it and answer 200 on /readyz, and the demo and a backup must run against it.
# Usage: scripts/ci/fresh-clone.sh   (Node 22.12+ and npm on PATH)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/hub-fresh-clone.XXXXXX")"
hub_pid=""
started=$SECONDS

cleanup() {
  if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then kill -KILL "$hub_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "fresh-clone: FAILED: $*" >&2
  exit 1
}
step() { echo "== $* ($((SECONDS - started)) s)"; }
# Runs a command quietly; on failure shows its output's tail.
quiet() {
  local log="$work/step.log"
  "$@" >"$log" 2>&1 || {
    tail -40 "$log" >&2
    fail "$*"
  }
}

node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' ||
  fail "Node.js 22.12 or newer is needed (found $(node --version))"

step "git clone $repo (committed state of $(git -C "$repo" rev-parse --short HEAD))"
quiet git clone --quiet --no-hardlinks "$repo" "$work/build"
cd "$work/build"

# Build stage.
step "npm ci"
quiet npm ci --no-audit --no-fund
step "npm run build"
quiet npm run build
step "npm prune --omit=dev"
quiet npm prune --omit=dev --no-audit --no-fund

# Final stage: the same files its COPY lines take.
step "final image layout"
app="$work/app"
mkdir -p "$app/scripts"
cp package.json package-lock.json "$app/"
mv node_modules dist "$app/"
cp -r migrations "$app/"
cp scripts/run.mjs scripts/demo-agent.mjs "$app/scripts/"
cd "$app"
[ ! -e node_modules/tsx ] || fail "tsx is still installed after pruning: it must be a dev dependency"

port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
export HOST=127.0.0.1 PORT="$port" HUB_DB_PATH="$work/data/hub.sqlite" NODE_ENV=production
step "start node dist/runtime/node.js on port $port"
node dist/runtime/node.js >"$work/hub.log" 2>&1 &
hub_pid=$!

ready=""
deadline=$((SECONDS + 60))
while [ "$SECONDS" -lt "$deadline" ]; do
  kill -0 "$hub_pid" 2>/dev/null || { cat "$work/hub.log" >&2; fail "the hub exited during start-up"; }
  # The image's HEALTHCHECK command.
  if node -e 'fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))'; then
    ready=1
    break
  fi
  sleep 0.3
done
[ -n "$ready" ] || { tail -40 "$work/hub.log" >&2; fail "/readyz did not answer 200 within 60 s"; }
step "/readyz answered 200"

step "npm run demo"
quiet env HUB_URL="http://127.0.0.1:$port" npm run demo
grep -q "Calls the hub would have made" "$work/step.log" || { cat "$work/step.log" >&2; fail "the demo printed no result"; }
step "npm run backup"
quiet npm run backup -- "$work/backup.sqlite"
[ -s "$work/backup.sqlite" ] || fail "no backup file was written"

step "stop (SIGTERM)"
kill -TERM "$hub_pid"
for _ in $(seq 1 100); do
  kill -0 "$hub_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$hub_pid" 2>/dev/null; then fail "the hub was still running 10 s after SIGTERM"; fi
code=0
wait "$hub_pid" || code=$?
hub_pid=""
[ "$code" -eq 0 ] || { tail -20 "$work/hub.log" >&2; fail "the hub exited with $code after SIGTERM"; }
echo "fresh-clone: ok ($((SECONDS - started)) s)"
