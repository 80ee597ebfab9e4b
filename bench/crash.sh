#!/usr/bin/env bash
# Crash run, long form: the crash suite (tests/MailSink.EndToEnd/Storage/CrashTests.cs) with more kills and
# more messages. Each of its four cases (kill during concurrent ingest, right after a batch commit, while
# retention prunes every second, during DELETE /api/v1/messages) starts the real MailSink process on one
# LiteDB file, sends with concurrent MailKit clients, kills it with SIGKILL, restarts it on the same file and
# reads every acknowledged message back byte for byte (no duplicates; delete-all complete or rolled back whole).
# Traffic goes to 127.0.0.1 only and every run stops by itself.
#   bench/crash.sh [kills per case=10] [messages per round=1000] [seed=random]
# Prints each restart's figures (stored, acknowledged, pruned, in doubt) and the delete-all outcomes.
set -euo pipefail
kills=${1:-10} msgs=${2:-1000} seed=${3:-$RANDOM}
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$root/tests/MailSink.EndToEnd" -p:SkipWebUi=true >/dev/null
echo "crash run: $kills kills per case, $msgs messages per round, seed $seed"
start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
MAILSINK_CRASH_KILLS=$kills MAILSINK_CRASH_MESSAGES=$msgs MAILSINK_CRASH_SEED=$seed \
  dotnet test "$root/tests/MailSink.EndToEnd" --no-build --filter "FullyQualifiedName~Storage.CrashTests" \
  --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
grep -E "^\s+(\(MAILSINK_CRASH_SEED=[0-9-]+\) )?(ingest|batch|prune|delete|killed)|Passed |Failed |Total tests" "$log" || cat "$log"
grep -A8 -E "^\s+Error Message:" "$log" || true
echo "done in $(( $(date +%s) - start )) s"
exit "$status"
