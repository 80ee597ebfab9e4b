#!/usr/bin/env bash
# Ingest with one MailSink node and with two nodes on the same PostgreSQL database: msg/s and CPU per message
# (user+system from /proc, of the MailSink processes and of PostgreSQL, steady under machine noise).
#   bench/cluster-ingest.sh APPDIR [messages=3000] [sessions=8] [size=5000] [warm-up=200]
# APPDIR is a `dotnet publish src/MailSink -c Release -p:SkipWebUi=true -o APPDIR`. A throwaway PostgreSQL (Debian's
# binaries, initdb in a temporary folder, 127.0.0.1 on a free port, as the postgres user when root, fsync on) serves
# both runs, a fresh database each. Load: Postfix's smtp-source, a new connection per message; with two nodes each
# gets half the messages and half the sessions at the same time; then all of them go to node a alone while node b
# only follows (its CPU per message of a is what following another node costs).
set -euo pipefail
app=$1; msgs=${2:-3000} sessions=${3:-8} size=${4:-5000} warm=${5:-200}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
tmp=$(mktemp -d /tmp/mailsink-cluster-bench.XXXXXX)
pids=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    as_pg "$bin/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pgport=$(free_port); password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p "$tmp/sock"; echo "$password" > "$tmp/pw"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$tmp"
as_pg "$bin/initdb" -D "$tmp/pg" -U mailsink --pwfile="$tmp/pw" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$bin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -o "-c listen_addresses=127.0.0.1 -p $pgport -k $tmp/sock" -w start >/dev/null
postmaster=$(head -n 1 "$tmp/pg/postmaster.pid")
psql_() { PGPASSWORD=$password psql -h 127.0.0.1 -p "$pgport" -U mailsink -d postgres -qAt -c "$1"; }

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# PostgreSQL's CPU: the postmaster, its reaped children (cutime+cstime) and its live backends.
pg_ticks() {
    local t; t=$(awk '{print $14+$15+$16+$17}' "/proc/$postmaster/stat")
    for c in $(pgrep -P "$postmaster"); do t=$(( t + $(ticks "$c" 2>/dev/null || echo 0) )); done
    echo "$t"
}

start_node() { # name database -> "pid smtp http"
    local smtp http; smtp=$(free_port); http=$(free_port)
    dotnet "$app/MailSink.dll" --bind 127.0.0.1 --smtp-port "$smtp" --http-port "$http" --data-dir "$tmp/$1" \
        --storage "postgresql://mailsink:$password@127.0.0.1:$pgport/$2" \
        --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false --Logging:LogLevel:Default=Warning >"$tmp/$1.log" 2>&1 &
    local pid=$!; pids+=("$pid")
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && break; sleep 0.05; done
    curl -sf "http://127.0.0.1:$http/readyz" >/dev/null || { cat "$tmp/$1.log" >&2; exit 1; }
    echo "$pid $smtp $http"
}

load() { # port messages sessions
    smtp-source -s "$3" -m "$2" -l "$size" -f a@bench.example -t b@bench.example "127.0.0.1:$1"
}

report() { # label messages t0 t1 node-ticks pg-ticks stored
    python3 - "$@" "$(getconf CLK_TCK)" <<'PY'
import sys
label, m, t0, t1, nt, pt, stored, tck = sys.argv[1:]
m = int(m); wall = float(t1) - float(t0); tck = int(tck)
print(f"{label}: {m} msgs in {wall:.1f} s = {m/wall:.0f} msg/s; CPU/msg MailSink {int(nt)/tck/m*1e6:.0f} us, "
      f"PostgreSQL {int(pt)/tck/m*1e6:.0f} us, total {(int(nt)+int(pt))/tck/m*1e6:.0f} us; stored {stored}")
PY
}

count() { curl -s "http://127.0.0.1:$1/api/v1/messages?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["messages_count"])'; }

# One node.
psql_ "CREATE DATABASE one"
read -r pa sa ha < <(start_node one-a one)
[ "$warm" -gt 0 ] && load "$sa" "$warm" "$sessions"
c0=$(ticks "$pa"); p0=$(pg_ticks); t0=$(date +%s.%N)
load "$sa" "$msgs" "$sessions"
t1=$(date +%s.%N); c1=$(ticks "$pa"); p1=$(pg_ticks)
report "one node " "$msgs" "$t0" "$t1" $((c1 - c0)) $((p1 - p0)) "$(count "$ha")"
kill "$pa"; wait "$pa" 2>/dev/null || true

# Two nodes, same database, loaded at once with half each.
psql_ "CREATE DATABASE two"
read -r pa sa ha < <(start_node two-a two)
read -r pb sb hb < <(start_node two-b two)
if [ "$warm" -gt 0 ]; then load "$sa" $((warm / 2)) $((sessions / 2)) & load "$sb" $((warm / 2)) $((sessions / 2)); wait; fi
ca0=$(ticks "$pa"); cb0=$(ticks "$pb"); p0=$(pg_ticks); t0=$(date +%s.%N)
load "$sa" $((msgs / 2)) $((sessions / 2)) & la=$!
load "$sb" $((msgs / 2)) $((sessions / 2))
wait "$la"
t1=$(date +%s.%N); ca1=$(ticks "$pa"); cb1=$(ticks "$pb"); p1=$(pg_ticks)
report "two nodes" $(( msgs / 2 * 2 )) "$t0" "$t1" $((ca1 - ca0 + cb1 - cb0)) $((p1 - p0)) "$(count "$hb") (node b's count; node a's $(count "$ha"))"

# Two nodes, all the load on node a: what node b spends following a's mail (reading the rows of a's notifications
# and publishing them to its hub, /api/v1/wait and live feeds).
ca0=$(ticks "$pa"); cb0=$(ticks "$pb"); p0=$(pg_ticks); t0=$(date +%s.%N)
load "$sa" "$msgs" "$sessions"
t1=$(date +%s.%N); ca1=$(ticks "$pa"); cb1=$(ticks "$pb"); p1=$(pg_ticks)
report "a loaded " "$msgs" "$t0" "$t1" $((ca1 - ca0)) $((p1 - p0)) "$(count "$hb") (node b's count)"
python3 - "$msgs" $((cb1 - cb0)) "$(getconf CLK_TCK)" <<'PY'
import sys
m, t, tck = map(int, sys.argv[1:])
print(f"  node b meanwhile (following only): {t/tck/m*1e6:.0f} us CPU per message of node a")
PY
