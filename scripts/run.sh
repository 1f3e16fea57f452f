#!/usr/bin/env bash
# Runs ExtAuthz on its embedded default: the Profiles and RoleBindings in samples/cluster, the development
# issuer on (tokens minted on the ops port for loopback callers), no Kubernetes cluster and no identity provider.
# gRPC Check on 127.0.0.1:9000 (h2c), ops on :8080. Extra arguments are configuration, e.g. --Login:Url=/oauth2/start
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project src/ExtAuthz.Server -c Release -- \
  --Identity:DevIssuer:Enabled=true \
  --Policy:Source=Directory --Policy:Directory="$PWD/samples/cluster" \
  --Policy:ClusterAdmins:0=admin@example.com \
  "$@"
