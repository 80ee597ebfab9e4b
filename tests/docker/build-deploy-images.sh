#!/usr/bin/env bash
# Builds local stand-ins for the images deploy/compose/compose.yaml names, because no container registry is
# reachable here (shared/FIELD-NOTES.md). Same debootstrap base as build-base-images.sh, Debian's packages:
#
#   mailsink-test/postgres:local  Debian's postgresql-15 behind an entrypoint that does what the official
#                                 postgres image does for what the compose file uses: POSTGRES_USER,
#                                 POSTGRES_PASSWORD, POSTGRES_DB, PGDATA=/var/lib/postgresql/data (initdb on
#                                 first start, scram-sha-256 over TCP), runs as uid 999 'postgres', CMD postgres
#                                 with its arguments passed through, pg_isready on PATH, STOPSIGNAL SIGINT.
#   mailsink-test/haproxy:local   Debian's haproxy (2.6) with the official image's layout: the configuration at
#                                 /usr/local/etc/haproxy/haproxy.cfg, CMD haproxy -f that file, run in the
#                                 foreground in master-worker mode (-W -db), as user 'haproxy', STOPSIGNAL SIGUSR1.
#
# Idempotent: an image that exists is kept (FORCE=1 rebuilds). Needs root (chroot) and a running engine; the
# debootstrap tarball comes from build-base-images.sh's cache (run that first; ci-prepare.sh does).
set -euo pipefail

CACHE=${MAILSINK_DOCKER_CACHE:-/var/cache/mailsink-docker}
SUITE=bookworm
ROOTFS_TAR=$CACHE/$SUITE-minbase-rootfs.tar.gz
POSTGRES_TAG=${POSTGRES_TAG:-mailsink-test/postgres:local}
HAPROXY_TAG=${HAPROXY_TAG:-mailsink-test/haproxy:local}
PG_MAJOR=15

t0=$(date +%s)
log() { echo "[build-deploy-images +$(( $(date +%s) - t0 ))s] $*"; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

if [ "${FORCE:-0}" != 1 ] && have_image "$POSTGRES_TAG" && have_image "$HAPROXY_TAG"; then
    log "$POSTGRES_TAG and $HAPROXY_TAG exist; nothing to do (FORCE=1 rebuilds)"
    exit 0
fi

[ "$(id -u)" = 0 ] || { echo "build-deploy-images.sh needs root (chroot)" >&2; exit 1; }
[ -s "$ROOTFS_TAR" ] || { echo "no $ROOTFS_TAR: run tests/docker/build-base-images.sh first" >&2; exit 1; }

mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/deploy.XXXXXX")
mounted=()
cleanup() {
    local m
    for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

unpack_rootfs() { mkdir -p "$1"; tar -C "$1" -xzf "$ROOTFS_TAR"; }

# Installs Debian packages $2... into the root file system at $1 with its own apt (the rootfs keeps the mirror in
# its sources.list; this machine's resolv.conf and extra CAs only for the install, then removed).
install_packages() {
    local d=$1; shift
    cp /etc/resolv.conf "$d/etc/resolv.conf"
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$d/usr/local/share/ca-certificates/"
        chroot "$d" update-ca-certificates >/dev/null 2>&1
    fi
    mount -t proc proc "$d/proc"; mounted+=("$d/proc")
    # No service starts inside the chroot; postgresql-common must not create a 'main' cluster of its own.
    printf '#!/bin/sh\nexit 101\n' > "$d/usr/sbin/policy-rc.d"; chmod +x "$d/usr/sbin/policy-rc.d"
    mkdir -p "$d/etc/postgresql-common/createcluster.d"
    echo 'create_main_cluster = false' > "$d/etc/postgresql-common/createcluster.d/no-main.conf"
    chroot "$d" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$work/apt.log" 2>&1 \
        || { tail -n 20 "$work/apt.log" >&2; exit 1; }
    chroot "$d" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$work/apt.log" 2>&1 \
        || { tail -n 30 "$work/apt.log" >&2; exit 1; }
    umount "$d/proc"; unset 'mounted[-1]'
    rm -f "$d/usr/sbin/policy-rc.d"
    rm -rf "$d/var/cache/apt/archives/"*.deb "$d/var/lib/apt/lists/"* "$d/var/log/"*
    : > "$d/etc/resolv.conf"
}

import_image() { # dir tag stopsignal changes...
    local dir=$1 tag=$2 stopsignal=$3; shift 3
    local args=()
    for c in "$@"; do args+=(--change "$c"); done
    tar -C "$dir" -c . | docker import "${args[@]}" - "$tag" >/dev/null
    # `docker import --change` takes no STOPSIGNAL: a one-line build on top sets it (metadata only, no layer).
    printf 'FROM %s\nSTOPSIGNAL %s\n' "$tag" "$stopsignal" | docker build -q -t "$tag" - >/dev/null
    log "imported $tag ($(docker image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
}

if [ "${FORCE:-0}" = 1 ] || ! have_image "$POSTGRES_TAG"; then
    d=$work/postgres
    # The official image's user and group ids (999), made before the package would pick others.
    unpack_rootfs "$d"
    chroot "$d" groupadd --system --gid 999 postgres
    chroot "$d" useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres
    log "postgres: installing postgresql-$PG_MAJOR (apt-get in a chroot)"
    install_packages "$d" "postgresql-$PG_MAJOR"
    mkdir -p "$d/var/lib/postgresql/data" "$d/var/run/postgresql" "$d/docker-entrypoint-initdb.d"
    chroot "$d" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
    chmod 3777 "$d/var/run/postgresql"
    chmod 700 "$d/var/lib/postgresql/data"
    install -m 755 "$(dirname "$0")/stand-ins/postgres-entrypoint.sh" "$d/usr/local/bin/docker-entrypoint.sh"
    import_image "$d" "$POSTGRES_TAG" SIGINT \
        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/lib/postgresql/$PG_MAJOR/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        "ENV PG_MAJOR=$PG_MAJOR" 'ENV PGDATA=/var/lib/postgresql/data' 'ENV LANG=C.UTF-8' \
        'VOLUME /var/lib/postgresql/data' 'EXPOSE 5432' \
        'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["postgres"]'
    rm -rf "$d"
fi

if [ "${FORCE:-0}" = 1 ] || ! have_image "$HAPROXY_TAG"; then
    d=$work/haproxy
    unpack_rootfs "$d"
    log "haproxy: installing haproxy (apt-get in a chroot)"
    install_packages "$d" haproxy
    mkdir -p "$d/usr/local/etc/haproxy" "$d/var/lib/haproxy"
    cp "$d/etc/haproxy/haproxy.cfg" "$d/usr/local/etc/haproxy/haproxy.cfg"
    chroot "$d" chown haproxy:haproxy /var/lib/haproxy
    install -m 755 "$(dirname "$0")/stand-ins/haproxy-entrypoint.sh" "$d/usr/local/bin/docker-entrypoint.sh"
    import_image "$d" "$HAPROXY_TAG" SIGUSR1 \
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        'USER haproxy' 'WORKDIR /var/lib/haproxy' \
        'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]'
    rm -rf "$d"
fi

log "done: $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^mailsink-test/(postgres|haproxy)' | tr '\n' ' ')"
