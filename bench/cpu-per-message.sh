#!/usr/bin/env bash
# CPU time per message of a published MailSink, steady under machine noise (user+system of the process from
# /proc, not wall-clock). Starts MailSink on free ports with a fresh store, warms it up, then loads it with
# Postfix's smtp-source (a new connection per message) and prints msg/s, CPU per message, RSS (idle and
# after the load), the start-up time to /readyz and the store's size against the bytes of mail accepted.
#   bench/cpu-per-message.sh APPDIR [messages=3000] [sessions=8] [size=5000] [warm-up=200] [-- extra MailSink args]
# APPDIR is a `dotnet publish -c Release` output; ENV=... in the environment is passed through (DOTNET_* knobs).
# SMTP_SOURCE_ARGS adds smtp-source options to both loads, e.g. SMTP_SOURCE_ARGS=-d (several messages per connection).
set -euo pipefail
app=$1; msgs=${2:-3000} sessions=${3:-8} size=${4:-5000} warm=${5:-200}
shift $(( $# < 5 ? $# : 5 )); [ "${1:-}" = "--" ] && shift
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp=$(free_port) http=$(free_port)
start=$(date +%s.%N)
dotnet "$app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp" --http-port "$http" --data-dir "$tmp/data" \
  --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false --Logging:LogLevel:Default=Warning "$@" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.05; done
ready=$(date +%s.%N)
idle=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
cpu() { awk '{print $14+$15}' "/proc/$pid/stat"; }
[ "$warm" -gt 0 ] && smtp-source ${SMTP_SOURCE_ARGS:-} -s "$sessions" -m "$warm" -l "$size" -f a@bench.example -t b@bench.example "127.0.0.1:$smtp"
c0=$(cpu); t0=$(date +%s.%N)
smtp-source ${SMTP_SOURCE_ARGS:-} -s "$sessions" -m "$msgs" -l "$size" -f a@bench.example -t b@bench.example "127.0.0.1:$smtp"
t1=$(date +%s.%N); c1=$(cpu)
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
db=$(curl -s "http://127.0.0.1:$http/api/v1/info" | python3 -c 'import json,sys; i=json.load(sys.stdin); print("store %.1f MB for %.1f MB of mail" % (i["DatabaseSize"]/1e6, i["RuntimeStats"]["SMTPAcceptedSize"]/1e6))')
echo "$db"
python3 - "$msgs" "$t0" "$t1" "$c0" "$c1" "$(getconf CLK_TCK)" "$rss" "$idle" "$start" "$ready" <<'PY'
import sys
m, t0, t1, c0, c1, tck, rss, idle, s, r = sys.argv[1:]
m = int(m); wall = float(t1) - float(t0); cpu = (int(c1) - int(c0)) / int(tck)
print(f"{m} msgs: {m/wall:.0f} msg/s, {cpu/m*1e6:.0f} us CPU/msg, RSS {rss} MB (idle {idle} MB), start-up to /readyz {float(r)-float(s):.2f} s")
PY
