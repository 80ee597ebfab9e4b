#!/usr/bin/env bash
# Soak: N minutes of mixed load against a real MailSink process (Release build, fresh LiteDB file, loopback only):
# plain, STARTTLS + AUTH, implicit TLS + AUTH, large (1-5 MB) and malformed messages, API reads and deletes, a
# SignalR hub client (the client is bench/MailSink.Soak). Prints RSS at start/middle/end, open file handles
# (/proc/<pid>/fd) and threads at start and end, and the warn/fail/crit lines of MailSink's log (minus the
# expected ones listed below). Exits non-zero when memory keeps climbing, handles or threads leak, a
# well-behaved client failed, the hub heard nothing, or the log has an unexpected warning or error.
#   bench/soak.sh [minutes=30]          # e.g. bench/soak.sh 2 for a smoke run
# Never part of the regular test suite.
set -euo pipefail
minutes=${1:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
dotnet publish "$root/src/MailSink" -c Release -o "$tmp/app" -p:SkipWebUi=true >/dev/null
dotnet build "$root/bench/MailSink.Soak" -c Release -o "$tmp/soak" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp=$(free_port) submission=$(free_port) smtps=$(free_port) http=$(free_port)
# Retention keeps the store (and so the cache LiteDB may hold) bounded: growth then means a leak, not data.
dotnet "$tmp/app/MailSink.dll" --bind 127.0.0.1 --hostname soak.test --smtp-port "$smtp" --submission-port "$submission" \
  --smtps-port "$smtps" --http-port "$http" --data-dir "$tmp/data" --max-messages 2000 >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.2; done
status=0
dotnet "$tmp/soak/MailSink.Soak.dll" --pid "$pid" --minutes "$minutes" --smtp "$smtp" --submission "$submission" \
  --smtps "$smtps" --http "$http" || status=$?

# The simple console formatter writes "warn: Category[id]" and the message on the next line.
# Expected: the web UI is not published here (-p:SkipWebUi=true), so there is no wwwroot.
expected='The WebRootPath was not found'
problems=$(grep -A1 -E '^(warn|fail|crit):' "$tmp/log" | grep -vE -- '^--$' | paste - - | grep -vE "$expected" || true)
echo "log: $(wc -l <"$tmp/log") lines, $(grep -cE '^(warn|fail|crit):' "$tmp/log" || true) warn/fail/crit, unexpected:"
if [ -n "$problems" ]; then
  echo "$problems" | sort | uniq -c | sort -rn | head -20
  status=1
else
  echo "  none"
fi
exit "$status"
