#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need (redis-server, nghttp2-client, chromium
# with apt; the OpenID provider's and the browser driver's npm packages), builds Release, runs every test project, and
# ends with the line "N passed, N failed" computed from the test results. Tests start and stop their own servers.
set -uo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nghttp >/dev/null 2>&1 || missing+=(nghttp2-client)
# The browser tests drive Debian's chromium (playwright-core never downloads a browser of its own).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq || { echo "apt-get update failed" >&2; exit 1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "apt-get install ${missing[*]} failed" >&2; exit 1; }
fi
command -v kubectl >/dev/null 2>&1 || echo "warning: kubectl is not on PATH; the manifest tests will fail" >&2

for dir in tests/oidc tests/browser; do
  if [ -f "$dir/package.json" ] && [ ! -d "$dir/node_modules" ]; then
    echo "installing npm packages in $dir"
    (cd "$dir" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi) \
      || { echo "npm install in $dir failed" >&2; exit 1; }
  fi
done

dotnet build ExtAuthz.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; echo "build failed" >&2; exit 1; }

results=artifacts/test-results
rm -rf "$results"
dotnet test ExtAuthz.sln -c Release --no-build -nologo --logger trx --results-directory "$results" \
  --blame-hang-timeout 10m -- RunConfiguration.TreatNoTestsAsError=true
status=$?

passed=0
failed=0
shopt -s nullglob
trx_files=("$results"/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ ${#trx_files[@]} -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # The runner failed without recording a failed test (a crash or a hang): count it as one failure.
  failed=$((failed + 1))
fi
echo "${passed} passed, ${failed} failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
