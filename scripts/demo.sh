#!/usr/bin/env bash
# The main job on the embedded defaults: Azurite + the Runware emulator + the self-hosted runner on free loopback ports,
# one sample job per FLUX tool dropped into flux-inputs, results written to flux-outputs and copied to
# .artifacts/demo/outputs. No API key, no Azure account, no Functions Core Tools. Exit 0 only when every sample completed (one per tool).
# Options: --keep-running (leave everything up to try the HTTP API; Ctrl+C stops it), --timeout SECONDS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

./scripts/install-tools.sh
echo "==> building"
dotnet build FluxFunctions.sln --nologo -v quiet -clp:ErrorsOnly >/dev/null || dotnet build FluxFunctions.sln --nologo -v quiet -clp:ErrorsOnly
exec dotnet src/FluxFunctions.Demo/bin/Debug/net10.0/FluxFunctions.Demo.dll "$@"
