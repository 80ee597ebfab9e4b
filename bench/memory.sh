#!/usr/bin/env bash
# Resident memory (VmRSS from /proc/PID/status) of a Release MailSink at the points issue 12 sets targets for:
# idle after start-up, after N messages sent with Postfix's smtp-source, after DELETE /api/v1/messages, and while
# a large message with attachments is sent and viewed (bench/memory-large.py, on a second, fresh process so the
# first run's heap does not hide its peak).
#   bench/memory.sh [APPDIR] [messages=10000] [size=5000] [large-MiB=25] [-- extra MailSink args]
# messages=0 skips the first part (only the large message); large-MiB=0 skips the second.
# APPDIR: a `dotnet publish src/MailSink -c Release -p:SkipWebUi=true -o APPDIR`; when left out (or "-") the
# script publishes one into a temporary folder. `-- --storage memory` measures the memory store. DOTNET_* variables
# in the environment reach the process (e.g. DOTNET_GCgen0size, DOTNET_gcServer=1) to compare GC settings.
# Each reading is taken after a 3 s pause so the background GC and the writer's checkpoint have run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app=${1:--}; msgs=${2:-10000} size=${3:-5000} large=${4:-25}
shift $(( $# < 4 ? $# : 4 )); [ "${1:-}" = "--" ] && shift
command -v smtp-source >/dev/null || { echo "smtp-source missing: apt-get install postfix" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
if [ "$app" = "-" ]; then
  app=$tmp/app
  dotnet publish "$root/src/MailSink" -c Release -p:SkipWebUi=true -o "$app" >/dev/null
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$pid/status"; }
total() { curl -sf "http://127.0.0.1:$http/api/v1/messages?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

start() {
  smtp=$(free_port) http=$(free_port)
  rm -rf "$tmp/data"
  dotnet "$app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp" --http-port "$http" --data-dir "$tmp/data" \
    --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false --Logging:LogLevel:Default=Warning "$@" >>"$tmp/log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.05; done
  sleep 3
}

stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

echo "MailSink ${*:-(LiteDB file store)}: $msgs messages of $size bytes, 8 smtp-source sessions"
if [ "$msgs" -gt 0 ]; then
start "$@"
idle=$(rss)
smtp-source -s 8 -m "$msgs" -l "$size" -f a@bench.example -t b@bench.example "127.0.0.1:$smtp"
stored=$(total)
dbsize=$(curl -sf "http://127.0.0.1:$http/api/v1/info" | python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)["DatabaseSize"]/1e6))')
sleep 3
loaded=$(rss)
hwm=$(awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$pid/status")
curl -sf -X DELETE "http://127.0.0.1:$http/api/v1/messages" >/dev/null
for _ in $(seq 100); do [ "$(total)" = 0 ] && break; sleep 0.1; done
sleep 3
deleted=$(rss)
sleep 7
later=$(rss)
stop
echo "  idle $idle MB; after $stored messages $loaded MB (peak $hwm MB, store $dbsize MB); after DELETE /api/v1/messages $deleted MB (10 s later $later MB)"
[ "$stored" = "$msgs" ] || { echo "  FAILED: stored $stored of $msgs" >&2; exit 1; }
fi

if [ "$large" -gt 0 ]; then
  start "$@"
  python3 "$root/bench/memory-large.py" "$pid" "$smtp" "$http" "$large"
  stop
fi
