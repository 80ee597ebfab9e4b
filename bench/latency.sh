#!/usr/bin/env bash
# Push and wait latency under a paced load: starts a Release MailSink (fresh LiteDB file, loopback) and runs
# bench/MailSink.Latency against it: messages at RATE msg/s over reused SMTP connections for SECONDS, measuring
# from each "250 queued as <id>" to the hub's messageReceived push with that id, and (every 20th message) to the
# answer of a /api/v1/wait that was already waiting for it. Prints p50/p95/p99/max.
#   bench/latency.sh [rate=500] [seconds=20] [connections=8]
# STORAGE=postgresql://user:password@host:port/database runs the node(s) on that (empty) database instead of a LiteDB
# file; with NODES=2 a second node shares it, SMTP goes to the first and the hub and waits watch the second: the
# cross-node latency through LISTEN/NOTIFY.
# APP=DIR uses an existing `dotnet publish src/MailSink -c Release` output instead of publishing.
# Never part of the regular test suite (timings on a shared machine are not assertions).
set -euo pipefail
rate=${1:-500} seconds=${2:-20} connections=${3:-8}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; cp "$tmp/log" /tmp/latency-last.log 2>/dev/null; rm -rf "$tmp"' EXIT
app=${APP:-$tmp/app}
[ -n "${APP:-}" ] || dotnet publish "$root/src/MailSink" -c Release -o "$app" -p:SkipWebUi=true >/dev/null
dotnet build "$root/bench/MailSink.Latency" -c Release -o "$tmp/latency" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp=$(free_port) http=$(free_port)
storage=()
[ -n "${STORAGE:-}" ] && storage=(--storage "$STORAGE")
dotnet "$app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp" --http-port "$http" --data-dir "$tmp/data" "${storage[@]}" \
  --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false --Logging:LogLevel:Default=Warning >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.2; done
if [ "${NODES:-1}" = 2 ]; then
  http2=$(free_port) smtp2=$(free_port)
  dotnet "$app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp2" --http-port "$http2" --data-dir "$tmp/data2" "${storage[@]}" \
    --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false --Logging:LogLevel:Default=Warning >"$tmp/log2" 2>&1 &
  pid="$pid $!"
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$http2/readyz" >/dev/null && break; sleep 0.2; done
  http=$http2
fi
dotnet "$tmp/latency/MailSink.Latency.dll" "$smtp" "http://127.0.0.1:$http/" "$rate" "$seconds" "$connections"
