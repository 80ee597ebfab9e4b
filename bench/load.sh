#!/usr/bin/env bash
# Load run: publishes MailSink (Release), starts it on free ports with a fresh LiteDB file, and drives
# it with Postfix's smtp-source (a new connection per message), then checks every message was stored.
#   bench/load.sh [messages=4000] [sessions=8] [size=5000]
set -euo pipefail
msgs=${1:-4000} sessions=${2:-8} size=${3:-5000}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
command -v smtp-source >/dev/null || { echo "smtp-source missing: apt-get install postfix" >&2; exit 1; }
dotnet publish "$root/src/MailSink" -c Release -o "$tmp/app" -p:SkipWebUi=true >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp=$(free_port) http=$(free_port)
dotnet "$tmp/app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp" --http-port "$http" --data-dir "$tmp/data" \
  --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false --Logging:LogLevel:Default=Warning >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.2; done
smtp-source -s "$sessions" -m 200 -l "$size" -f a@bench.example -t b@bench.example "127.0.0.1:$smtp"   # warm-up
start=$(date +%s.%N)
smtp-source -s "$sessions" -m "$msgs" -l "$size" -f a@bench.example -t b@bench.example "127.0.0.1:$smtp"
end=$(date +%s.%N)
total=$(curl -s "http://127.0.0.1:$http/api/v1/messages?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
python3 - "$msgs" "$start" "$end" "$total" "$rss" <<'PY'
import sys
msgs, start, end, total, rss = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
print(f"{msgs} messages in {end-start:.2f}s = {msgs/(end-start):.0f} msg/s; stored {total} (expected {msgs+200}); RSS {rss} MB")
sys.exit(0 if total == msgs + 200 else 1)
PY
