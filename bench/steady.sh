#!/usr/bin/env bash
# Steady load with retention: a fresh Release MailSink on a fresh LiteDB file with --max-messages 50000 (retention
# every 30 s, the default), loaded by bench/MailSink.TlsLoad at RATE msg/s for MINUTES over 8 connections that send
# 100 messages each (5 KB). Prints MailSink's RSS, the stored count and the slowest 250 every 10 s, then RSS at the
# start, its maximum and at the end, and the msg/s achieved.
#   bench/steady.sh [RATE=half] [MINUTES=10]
# RATE "half" first measures the maximum of the same load (30 s unpaced, on its own fresh instance) and uses half.
# APP=DIR uses an existing `dotnet publish src/MailSink -c Release` output instead of publishing.
set -euo pipefail
rate=${1:-half} minutes=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
app=${APP:-$tmp/app}
[ -n "${APP:-}" ] || dotnet publish "$root/src/MailSink" -c Release -o "$app" -p:SkipWebUi=true >/dev/null
dotnet build "$root/bench/MailSink.TlsLoad" -c Release -o "$tmp/load" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load=(--sessions 8 --per-connection 100 --size 5000)

start() {
  smtp=$(free_port) http=$(free_port)
  rm -rf "$tmp/data"
  dotnet "$app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp" --http-port "$http" --data-dir "$tmp/data" \
    --max-messages 50000 --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false \
    --Logging:LogLevel:Default=Warning >"$tmp/log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && return; sleep 0.1; done
  echo "MailSink did not start" >&2; cat "$tmp/log" >&2; exit 1
}

if [ "$rate" = half ]; then
  start
  max=$(dotnet "$tmp/load/MailSink.TlsLoad.dll" --port "$smtp" "${load[@]}" --warmup 200 --seconds 30 | sed -n 's/^RESULT.* msgps=\([0-9]*\).*/\1/p')
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  rate=$(( max / 2 ))
  echo "maximum of this load: $max msg/s; steady load at $rate msg/s"
fi

start
echo "MailSink pid $pid, idle RSS $(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status) MiB; $rate msg/s for $minutes min"
dotnet "$tmp/load/MailSink.TlsLoad.dll" --port "$smtp" "${load[@]}" --warmup 0 --rate "$rate" --seconds "$(( minutes * 60 ))" \
  --report 10 --pid "$pid" --api "http://127.0.0.1:$http/" | tee "$tmp/out"
python3 - "$tmp/out" <<'PY'
import re, sys
rss = [int(m.group(1)) for m in re.finditer(r"RSS\s+(\d+) MiB", open(sys.argv[1]).read())]
if rss:
    print(f"RSS every 10 s: start {rss[0]} MiB, max {max(rss)} MiB, end {rss[-1]} MiB; last minute {min(rss[-6:])}-{max(rss[-6:])} MiB")
PY
grep -ciE '^(fail|crit)' "$tmp/log" | sed 's/^/error lines in the log: /'
