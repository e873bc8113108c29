#!/usr/bin/env bash
# Installs what the demo, the tests and the benchmarks need on a fresh machine, idempotently:
# NuGet packages (dotnet restore) and Azurite from npm into scripts/node_modules. Nothing global.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' is required but not installed ($2)" >&2; exit 1; }; }
need dotnet "the .NET 10 SDK, https://dot.net"
need node "Node.js 20 or newer, for Azurite"
need npm "npm, for Azurite"

if [[ ! -x scripts/node_modules/.bin/azurite ]]; then
  echo "==> installing Azurite into scripts/node_modules"
  (cd scripts && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi

if [[ "${FLUX_SKIP_RESTORE:-}" != "1" ]]; then
  echo "==> restoring NuGet packages"
  dotnet restore FluxFunctions.sln --nologo -v quiet >/dev/null
fi
