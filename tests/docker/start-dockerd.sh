#!/usr/bin/env bash
# Starts a Docker engine usable on this project's machines (and CI's), idempotently.
#
# No container registry is reachable here and bridge networking is not allowed, so the engine runs as
#   dockerd --storage-driver=<overlay2|vfs> --bridge=none --iptables=false
# and every container must use --network host (see shared/FIELD-NOTES.md, "This machine").
# Storage: overlay2 when this kernel can mount an overlay on /var/lib/docker's file system (checked
# here first; several times faster than vfs, which copies the whole image for every build step and
# container), else vfs. MAILSINK_DOCKER_STORAGE_DRIVER=vfs forces one.
#
# - installs Debian's docker.io if dockerd is missing (needs root; apt-get update once first);
# - starts dockerd in the background (log: $DOCKERD_LOG) unless an engine already answers;
# - waits until `docker info` answers, at most $DOCKERD_START_TIMEOUT seconds (default 60).
#
# Exit status: 0 when an engine answers, non-zero otherwise (with the end of the daemon log).
set -euo pipefail

DOCKERD_LOG=${DOCKERD_LOG:-/var/log/mailsink-dockerd.log}
DOCKERD_START_TIMEOUT=${DOCKERD_START_TIMEOUT:-60}
t0=$(date +%s)
log() { echo "[start-dockerd +$(( $(date +%s) - t0 ))s] $*"; }

if docker info >/dev/null 2>&1; then
    log "docker engine already answers"
    exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
        echo "dockerd is not installed and this is not root: install Debian's docker.io first" >&2
        exit 1
    fi
    log "installing docker.io (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    # Keep the apt lists fresh enough to find the package; do not let the package start a service.
    apt-get update -qq
    # policy-rc.d 101 keeps the package's init script from starting dockerd with default (bridge) settings.
    had_policy=0
    [ -e /usr/sbin/policy-rc.d ] && had_policy=1
    if [ "$had_policy" = 0 ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
    apt-get install -y -qq --no-install-recommends docker.io >/dev/null
    if [ "$had_policy" = 0 ]; then rm -f /usr/sbin/policy-rc.d; fi
    log "docker.io installed: $(dockerd --version)"
fi

# A daemon may already be starting (pid file naming a live dockerd, not a zombie nor a recycled pid):
# just wait for it. A stale pid file (daemon killed, machine handed over) is removed.
pidfile=/var/run/docker.pid
live_dockerd() {
    local pid=$1
    [ -r "/proc/$pid/stat" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ] \
        && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]
}
if [ -s "$pidfile" ] && live_dockerd "$(cat "$pidfile")"; then
    log "dockerd (pid $(cat "$pidfile")) is running; waiting for it to answer"
else
    rm -f "$pidfile"
    driver=${MAILSINK_DOCKER_STORAGE_DRIVER:-}
    if [ -z "$driver" ]; then
        driver=vfs
        mkdir -p /var/lib/docker
        probe=$(mktemp -d /var/lib/docker/overlay-probe.XXXXXX)
        mkdir -p "$probe/l" "$probe/u" "$probe/w" "$probe/m"
        echo ok > "$probe/l/f"
        if mount -t overlay overlay -o "lowerdir=$probe/l,upperdir=$probe/u,workdir=$probe/w" "$probe/m" 2>/dev/null; then
            if [ "$(cat "$probe/m/f" 2>/dev/null)" = ok ]; then driver=overlay2; fi
            umount "$probe/m" || true
        fi
        rm -rf "$probe"
    fi
    # containerd: docker.io 20.10 starts its own managed containerd when none is configured.
    log "starting dockerd --storage-driver=$driver (log: $DOCKERD_LOG)"
    nohup dockerd --storage-driver="$driver" --bridge=none --iptables=false --ip6tables=false \
        --pidfile "$pidfile" >>"$DOCKERD_LOG" 2>&1 </dev/null &
    disown || true
fi

deadline=$(( $(date +%s) + DOCKERD_START_TIMEOUT ))
until docker info >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "docker engine did not answer within ${DOCKERD_START_TIMEOUT}s; end of $DOCKERD_LOG:" >&2
        tail -n 40 "$DOCKERD_LOG" >&2 || true
        exit 1
    fi
    sleep 0.5
done
log "docker engine answers: server $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'), storage $(docker info --format '{{.Driver}}' 2>/dev/null || echo '?')"
