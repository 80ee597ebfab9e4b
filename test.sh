#!/usr/bin/env bash
# Builds once, then runs the web UI's unit tests (vitest), every test project one after another, then the sample's tests (samples/run-tests.sh) (the browser and Docker tests
# measure latencies, so they should not share the machine's two cores with another test run).
# Ends with one line: "tests: N passed, N failed, N skipped". Extra arguments go to `dotnet test`.
set -uo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet build MailSink.sln --nologo -v quiet -clp:ErrorsOnly || { echo "tests: 0 passed, 1 failed (build failed)"; exit 1; }

status=0

# The web UI's own tests (stores and helpers, vitest in Node): the build above ran npm ci in web-ui/. Vitest's
# summary line ("Tests  2 failed | 16 passed (18)") is counted with dotnet's below.
echo "==> web-ui: npm test"
(cd web-ui && NO_COLOR=1 npm test --silent) 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

# The test projects' in-process servers run socket completions as the MailSink process does
# (src/MailSink/InlineSocketCompletions.cs): a blocking call on the SMTP path would hang a test here, not only in
# production. The sample below runs in the runtime's default mode, as a library user's tests do.
for project in $(find tests -name '*.csproj' | sort); do
  echo "==> $project"
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet test "$project" --no-build --nologo "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

# The sample consumes the packages from the local feed, not by project reference: samples/run-tests.sh packs them and
# runs the sample's tests, whose summary line is counted with the others.
echo "==> samples/run-tests.sh"
bash samples/run-tests.sh 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

read -r passed failed skipped < <(awk '
  /(Passed|Failed|Skipped)! +- +Failed: / {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  f += $(i+1) + 0
      if ($i == "Passed:")  p += $(i+1) + 0
      if ($i == "Skipped:") s += $(i+1) + 0
    }
  }
  /^ +Tests +[0-9]/ {
    for (i = 2; i <= NF; i++) {
      if ($i == "failed")  f += $(i-1) + 0
      if ($i == "passed")  p += $(i-1) + 0
      if ($i == "skipped") s += $(i-1) + 0
    }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")
echo
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
