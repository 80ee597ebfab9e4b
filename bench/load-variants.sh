#!/usr/bin/env bash
# The load shapes of issue 12 side by side, each against a fresh Release MailSink on a fresh LiteDB file (STARTTLS
# offered on its SMTP port, loopback), warmed up with 200 messages of the same shape, then loaded with MESSAGES:
#   - Postfix smtp-source: 8 sessions, a new connection per message, 5 KB (peer-bench's load, the baseline);
#     50 sessions; 8 sessions reusing their connections (-d)
#   - bench/MailSink.TlsLoad (smtp-source cannot do TLS): the baseline shape in plain text and with STARTTLS on every
#     connection, and 100 KB messages with a base64 attachment
# Prints one table: msg/s (wall clock, moves with the machine's other load) and MailSink's CPU time per message
# (user+system from /proc/PID/stat, steady under noise), and RSS after the load.
#   bench/load-variants.sh [messages=3000]
# APP=DIR uses an existing `dotnet publish src/MailSink -c Release` output instead of publishing.
set -euo pipefail
msgs=${1:-3000}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
app=${APP:-$tmp/app}
[ -n "${APP:-}" ] || dotnet publish "$root/src/MailSink" -c Release -o "$app" -p:SkipWebUi=true >/dev/null
dotnet build "$root/bench/MailSink.TlsLoad" -c Release -o "$tmp/load" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$pid/stat"; }
rss_mb() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; }

start() {
  smtp=$(free_port) http=$(free_port)
  rm -rf "$tmp/data"
  dotnet "$app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp" --http-port "$http" --data-dir "$tmp/data" \
    --Smtp:Smtp:Tls=StartTls --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false \
    --Logging:LogLevel:Default=Warning >"$tmp/log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && return; sleep 0.1; done
  echo "MailSink did not start" >&2; cat "$tmp/log" >&2; exit 1
}

stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

rows=()
# smtp-source LABEL SESSIONS SIZE [smtp-source options]
source_row() {
  local label=$1 sessions=$2 size=$3; shift 3
  start
  smtp-source "$@" -s "$sessions" -m 200 -l "$size" -f a@bench.example -t b@bench.example "127.0.0.1:$smtp"
  local c0 t0 t1 c1
  c0=$(cpu_ticks); t0=$(date +%s.%N)
  smtp-source "$@" -s "$sessions" -m "$msgs" -l "$size" -f a@bench.example -t b@bench.example "127.0.0.1:$smtp"
  t1=$(date +%s.%N); c1=$(cpu_ticks)
  rows+=("$(python3 -c "import sys; m=$msgs; w=$t1-$t0; c=($c1-$c0)/$(getconf CLK_TCK); print(f'| $label | smtp-source | {m/w:,.0f} | {c/m*1000:.2f} ms | $(rss_mb) MB |')")")
  stop
}

# tls_row LABEL MESSAGES [TlsLoad options]
tls_row() {
  local label=$1 count=$2; shift 2
  start
  local out
  out=$(dotnet "$tmp/load/MailSink.TlsLoad.dll" --port "$smtp" --pid "$pid" --warmup 200 --messages "$count" "$@")
  local result
  result=$(grep '^RESULT' <<<"$out")
  if ! grep -q 'failed=0 ' <<<"$result"; then echo "$out" >&2; fi
  rows+=("$(python3 -c "
import sys
kv = dict(p.split('=') for p in sys.argv[1].split()[1:])
print(f\"| $label | TlsLoad | {float(kv['msgps']):,.0f} | {float(kv['cpu_ms']):.2f} ms | $(rss_mb) MB |\")" "$result")")
  stop
}

source_row "8 sessions, new connection per message, 5 KB (baseline)" 8 5000
source_row "50 sessions, new connection per message, 5 KB" 50 5000
source_row "8 sessions, reused connections (-d), 5 KB" 8 5000 -d
tls_row "8 sessions, new connection per message, 5 KB, plain" "$msgs" --sessions 8 --size 5000
tls_row "8 sessions, STARTTLS on every connection, 5 KB" "$msgs" --sessions 8 --size 5000 --starttls
tls_row "8 sessions, new connection per message, 100 KB with an attachment" "$(( msgs / 3 ))" --sessions 8 --size 100000 --attachment

echo
echo "MailSink $(git -C "$root" rev-parse --short HEAD), Release, LiteDB file; $msgs messages a row (1/3 for 100 KB) after 200 of warm-up; $(date -u +%F)"
echo
echo "| load | client | msg/s | MailSink CPU per message | RSS after |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
