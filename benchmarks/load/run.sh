#!/usr/bin/env bash
# The whole load run of DESIGN §5 in one command: Release build, a 10,000-profile cluster, the development
# issuer, the ExtAuthz server and the empty-handler baseline, h2load in alternating rounds, ratios printed.
# Extra arguments go to the driver as --Key=value (see README.md), e.g. --Rounds=5 --Seconds=10.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v h2load >/dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 1; }
dotnet tool restore >/dev/null || echo "dotnet tool restore failed: the run goes on without a trace" >&2
dotnet build ExtAuthz.sln -c Release -nologo -v quiet
exec dotnet benchmarks/ExtAuthz.Load/bin/Release/net10.0/ExtAuthz.Load.dll run --Repo=. --Work=benchmarks/load/out "$@"
