#!/usr/bin/env bash
# The benchmarks on this machine, one run, about 35 min on 2 cores: builds Release, starts Azurite, the Runware emulator
# (2 s emulated inference, and a 200 ms one for capacity) and runner processes itself, and prints one line per figure
# beside its target (PASS/MISS): overhead and efficiency on each result delivery path (watched by the submitting
# activity, durable polls only, Runware's webhook), capacity (jobs/s at steady state with jobs offered at a fixed rate
# through the API and as blob drops; how a burst of the whole batch drains through each and on two runners;
# queue messages and table operations per job, counted), bytes sent to Runware (upload and sas-url), scale-out on one
# task hub, the runner's peak RSS, local canny vs OpenCV. The same goes to .artifacts/bench.txt (docs/performance.md).
# Options: --micro [BenchmarkDotNet args]  run the BenchmarkDotNet micro benchmarks instead (canny, image work, JSON;
#                                          default: all of them as a short in-process run; results in .artifacts/benchmarks/)
#          --jobs N --rounds N             batch size (default 200) and overhead rounds of 4 jobs (default 5)
#          --only paths|scaleout|capacity|memsas|canny   one part only; --paths watch,poll,webhook   --capacity-jobs N (2000)
#          --capacity-phases count,steady,steady-blob,api,blob,two   capacity phases to run (default all)
#          --capacity-rate R   jobs offered per second in the steady phases (12)
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
./scripts/install-test-deps.sh   # libgtk-3-0 for the OpenCV reference

echo "==> building (Release)"
for project in src/FluxFunctions.Runner src/FluxFunctions.Emulator tests/FluxFunctions.Benchmarks; do
  dotnet build "$project" -c Release -warnaserror --nologo -v quiet -clp:ErrorsOnly
done
bench="tests/FluxFunctions.Benchmarks/bin/Release/net10.0/FluxFunctions.Benchmarks.dll"

if [[ "${1:-}" == "--micro" ]]; then
  shift
  if [[ $# -eq 0 ]]; then
    # In process: no generated project to build (BenchmarkDotNet's 2-minute build limit is too short on a busy 2-core machine).
    set -- --filter '*' --job short --inProcess
  fi
  mkdir -p .artifacts/benchmarks
  exec timeout --kill-after=30s 60m dotnet "$bench" --micro --artifacts .artifacts/benchmarks "$@"
fi

# Bounded: the whole pipeline run (everything it starts is stopped with it) gets 45 minutes after the build.
timeout --kill-after=30s 45m dotnet "$bench" "$@"
