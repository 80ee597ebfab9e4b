#!/usr/bin/env bash
# Fuzz campaign: the property-based fuzz tests (tests/MailSink.Tests/Fuzz, CsCheck) run for longer than the
# regular suite's short pass: the SMTP client stream parser, the session recorder, the DATA normalizer and the
# MIME projection of mutated corpus messages (the store round trip runs a tenth as many inputs).
#   bench/fuzz.sh [inputs per property=1000000] [threads=1]
#   MAILSINK_FUZZ_SECONDS=3600 bench/fuzz.sh       # each property for an hour instead of a count
#   MAILSINK_FUZZ_SEED=<seed a failure printed> bench/fuzz.sh   # replay a failure
# Prints, for each property, how many inputs ran and how long it took; exits non-zero on the first failure,
# with the shrunk input and its seed.
set -euo pipefail
iter=${1:-1000000} threads=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$root/tests/MailSink.Tests" -p:SkipWebUi=true >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
MAILSINK_FUZZ_ITER=$iter MAILSINK_FUZZ_THREADS=$threads \
  dotnet test "$root/tests/MailSink.Tests" --no-build --filter "FullyQualifiedName~MailSink.Tests.Fuzz" \
  --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
grep -E "fuzz |Passed |Failed |Total tests|Error Message|Seed|seed" "$log" || cat "$log"
exit "$status"
