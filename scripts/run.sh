#!/usr/bin/env bash
# Runs ExtAuthz on its embedded default: the Profiles and RoleBindings in samples/cluster, the development
# issuer on (tokens minted on the ops port for loopback callers), no Kubernetes cluster and no identity provider.
# gRPC Check on 127.0.0.1:9000 (h2c), ops on :8080. Extra arguments are configuration, e.g. --Audit:AllowSampleRate=1
# (--Login:Oidc:Issuer= turns the browser login off).
# Next to it, the development gateway (not for production) on http://127.0.0.1:8000 calls Check for every request and
# forwards what it allows to an echo page; DevGateway__* environment variables configure it. Ctrl-C stops both.
# The browser login is on: a page opened through the gateway signs in on the development issuer's form (any email,
# no password; ops port, loopback only) and comes back with a session cookie.
# Builds the server and the ./extauthz command-line tool first (Release; the first build takes a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f src/ExtAuthz.Server/bin/Release/net10.0/ExtAuthz.Server.dll ]; then
  echo "run.sh: first build of the server and the ./extauthz tool (Release): a few minutes on a new machine..." >&2
fi
dotnet build src/ExtAuthz.Server -c Release -nologo -v quiet -clp:ErrorsOnly -p:BuildInParallel=true
dotnet build src/ExtAuthz.Cli -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build src/ExtAuthz.DevGateway -c Release -nologo -v quiet -clp:ErrorsOnly
echo "run.sh: starting ExtAuthz (gRPC Check on :9000, ops on :8080). In another terminal: ./extauthz check --user alice@example.com --path /notebook/alice/nb/ --explain" >&2
echo "run.sh: development gateway (not for production) on http://127.0.0.1:${DevGateway__Port:-8000} -> open http://127.0.0.1:${DevGateway__Port:-8000}/notebook/alice/nb/ and sign in as alice@example.com (README: Try it in a browser)" >&2
gateway_url="http://127.0.0.1:${DevGateway__Port:-8000}"
ops_url="http://127.0.0.1:8080"
dotnet src/ExtAuthz.Server/bin/Release/net10.0/ExtAuthz.Server.dll \
  --Identity:DevIssuer:Enabled=true \
  --Login:Oidc:Issuer=urn:extauthz:dev --Login:Oidc:ClientId=extauthz-dev --Login:Oidc:ClientSecret=development-only \
  --Login:Oidc:AuthorizationEndpoint="$ops_url/dev/oidc/authorize" --Login:Oidc:TokenEndpoint="$ops_url/dev/oidc/token" \
  --Login:Oidc:EndSessionEndpoint="$ops_url/dev/oidc/end-session" \
  --Login:Oidc:RedirectUri="$gateway_url/oauth2/callback" --Login:Oidc:PostLogoutRedirectUri="$gateway_url/" \
  --Policy:Source=Directory --Policy:Directory="$PWD/samples/cluster" \
  --Policy:ClusterAdmins:0=admin@example.com \
  "$@" &
server=$!
dotnet src/ExtAuthz.DevGateway/bin/Release/net10.0/ExtAuthz.DevGateway.dll &
gateway=$!
# Background jobs of a script ignore Ctrl-C, so stop both explicitly; the script ends, with its code, when the server does.
trap 'kill "$server" "$gateway" 2>/dev/null || true; wait' EXIT
trap 'exit 130' INT TERM
set +e
wait "$server"
exit $?
