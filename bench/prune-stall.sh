#!/usr/bin/env bash
# Does retention block ingest? Generates a store of MESSAGES messages with the million tool (through the real store
# and writer, not over SMTP; kept in /tmp/mailsink-prune-MESSAGES and copied for each run), starts a Release
# MailSink on a copy with --max-messages MAX, so its retention deletes MESSAGES-MAX at start-up, and runs
# bench/MailSink.TlsLoad against it at the same time: RATE msg/s paced over 8 reused connections for SECONDS.
# After 100 warm-up messages (the JIT), prints a line a second (sent, slowest 250 after DATA in that second, messages
# stored) and the 250 latency percentiles over the run; the slowest 250 while the stored count was still falling is
# the stall pruning caused, the rest of the run is the same machine without it.
#   bench/prune-stall.sh [messages=150000] [max=50000] [rate=200] [seconds=60]
# APP=DIR uses an existing `dotnet publish src/MailSink -c Release` output instead of publishing.
set -euo pipefail
messages=${1:-150000} max=${2:-50000} rate=${3:-200} seconds=${4:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; cp "$tmp/log" /tmp/prune-stall-last.log 2>/dev/null; rm -rf "$tmp"' EXIT
app=${APP:-$tmp/app}
[ -n "${APP:-}" ] || dotnet publish "$root/src/MailSink" -c Release -o "$app" -p:SkipWebUi=true >/dev/null
dotnet build "$root/bench/MailSink.TlsLoad" -c Release -o "$tmp/load" >/dev/null
store=/tmp/mailsink-prune-$messages
if [ ! -f "$store/mailsink.db" ]; then
  dotnet build "$root/bench/MailSink.Benchmarks" -c Release -p:SkipWebUi=true -o "$tmp/bench" >/dev/null
  dotnet "$tmp/bench/MailSink.Benchmarks.dll" million "$store" "$messages" | head -n 3
fi
mkdir -p "$tmp/data" && cp "$store/mailsink.db" "$tmp/data/"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp=$(free_port) http=$(free_port)
dotnet "$app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp" --http-port "$http" --data-dir "$tmp/data" \
  --max-messages "$max" --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false \
  --Logging:LogLevel:Default=Warning --Logging:LogLevel:MailSink.Storage.RetentionService=Information >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.1; done
echo "MailSink (pid $pid) ready with $(curl -s "http://127.0.0.1:$http/api/v1/messages?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])') messages, retention limit $max"
dotnet "$tmp/load/MailSink.TlsLoad.dll" --port "$smtp" --sessions 8 --per-connection 1000000 --warmup 100 \
  --rate "$rate" --seconds "$seconds" --report 1 --pid "$pid" --api "http://127.0.0.1:$http/" || true
grep -A1 "RetentionService" "$tmp/log" | grep -v '^--' || true
