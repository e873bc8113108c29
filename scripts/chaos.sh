#!/usr/bin/env bash
# Chaos run: Azurite (on disk) + the Runware emulator + self-hosted runner processes on free loopback ports, driven by
# src/FluxFunctions.Chaos through Runware faults, SIGKILLs at four stages, a 10 s storage outage, 500 blobs at once and a
# hostile corpus; then a secrets search. The fault and crash scenarios run against each Runware dialect (what Runware's
# docs leave open, answered each plausible way). Prints a summary table per dialect; exit 0 only when every invariant held.
# Bounded (whole run <= 60 min by default, each scenario with its own limit), loopback only, stops by itself, and every
# process it started is stopped on exit. Options: --only hostile,faults,crashes,storage,load   --dialects strict,quiet,coded
#          --paths watch,poll (the first against every dialect, the others against the first)
# --minutes N
# Logs and Azurite's data: .artifacts/chaos/.
set -euo pipefail
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  # The comment above is the usage: print it rather than start a run.
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
  exit 0
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

./scripts/install-tools.sh
echo "==> building"
dotnet build FluxFunctions.sln --nologo -v quiet -clp:ErrorsOnly >/dev/null || dotnet build FluxFunctions.sln --nologo -v quiet -clp:ErrorsOnly

driver=""
stop() {
  # Only the driver this script started; it stops Azurite, the emulators and the runners it started, by their own pids.
  if [[ -n "$driver" ]] && kill -0 "$driver" 2>/dev/null; then
    kill -TERM "$driver" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$driver" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$driver" 2>/dev/null || true
  fi
}
trap stop EXIT INT TERM

minutes=60
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [[ "${args[$i]}" == "--minutes" ]] && minutes="${args[$((i + 1))]}"; done

# A hard stop a little after the driver's own bound, whatever happens.
timeout --signal=TERM --kill-after=30s "$(( minutes * 60 + 120 ))s" \
  dotnet src/FluxFunctions.Chaos/bin/Debug/net10.0/FluxFunctions.Chaos.dll "$@" &
driver=$!
set +e
wait "$driver"
rc=$?
set -e
driver=""
exit "$rc"
