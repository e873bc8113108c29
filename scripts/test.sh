#!/usr/bin/env bash
# Builds everything with warnings as errors and runs every test project. Tests start and stop their own Azurite,
# emulator and runner. The last line is "N passed, N failed", summed from the test result files.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -f "$root/.artifacts/test-figures.txt"
./scripts/install-tools.sh || exit 1
./scripts/install-test-deps.sh || { echo "installing the test dependencies failed"; exit 1; }

echo "==> building (warnings as errors)"
dotnet build FluxFunctions.sln -warnaserror --nologo -v quiet -clp:ErrorsOnly || { echo "build failed: no tests ran"; exit 1; }

results="$root/.artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

echo "==> running tests"
status=0
dotnet test FluxFunctions.sln --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@" || status=$?

passed=0
failed=0
files=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done

if [[ $files -eq 0 ]]; then
  echo "no test results were written"
  status=1
fi
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # dotnet test failed without a failed test (a crashed host, a missing result): count it, never hide it.
  echo "dotnet test exited with $status"
fi
if [[ -f "$root/.artifacts/test-figures.txt" ]]; then
  echo "==> test figures"
  cat "$root/.artifacts/test-figures.txt"
fi
if [[ $failed -ne 0 ]]; then
  # The names and first message lines of the failed tests, last, so a truncated CI log still shows them.
  echo "==> failed tests"
  for trx in "$results"/*.trx; do
    [[ -f "$trx" ]] || continue
    awk '
      /<UnitTestResult / && /outcome="(Failed|Error)"/ {
        name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
        gsub(/&quot;/, "\"", name); gsub(/&amp;/, "\\&", name)
        print "FAILED " name; want = 1; next
      }
      want && /<Message>/ { grab = 1; lines = 0; sub(/.*<Message>/, "") }
      grab {
        line = $0; done = sub(/<\/Message>.*/, "", line)
        gsub(/&quot;/, "\"", line); gsub(/&lt;/, "<", line); gsub(/&gt;/, ">", line); gsub(/&amp;/, "\\&", line)
        if (lines < 6) print "    " line
        lines++
        if (done) { grab = 0; want = 0 }
      }
    ' "$trx"
  done
fi
echo "$passed passed, $failed failed"
if [[ $status -ne 0 || $failed -ne 0 ]]; then
  exit 1
fi
