#!/usr/bin/env bash
# Builds local stand-ins for the Dockerfile's base images, from Debian packages and this machine's own
# .NET and Node.js, because no container registry is reachable here (shared/FIELD-NOTES.md):
#
#   mailsink-test/sdk:local     Debian bookworm (minbase) + this machine's /usr/share/dotnet (SDK) +
#                               Node.js/npm at /usr/local/bin (the official node image's layout, so the
#                               Dockerfile's NODE_IMAGE build arg can point at this image too)
#   mailsink-test/aspnet:local  Debian bookworm (minbase) + the .NET and ASP.NET Core shared runtimes only,
#                               libicu, libssl, ca-certificates, tzdata, libcap2-bin (setcap)
#
# Idempotent: an image that exists is kept (FORCE=1 rebuilds). The debootstrap result is cached as a
# tarball under $MAILSINK_DOCKER_CACHE (default /var/cache/mailsink-docker) between runs on one machine.
# Needs root (debootstrap, chroot) and a running engine (tests/docker/start-dockerd.sh).
set -euo pipefail

CACHE=${MAILSINK_DOCKER_CACHE:-/var/cache/mailsink-docker}
SUITE=bookworm
# The Debian mirror: DEBIAN_MIRROR if set, else the one this machine's apt already uses for the main
# archive (deb822 .sources or one-line .list), so the script works wherever apt works and names no host.
apt_mirror() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        awk 'BEGIN{RS=""} /(^|\n)Types:[^\n]*deb( |\n|$)/ && /(^|\n)Suites:[^\n]*'"$SUITE"'( |\n|$)/ {
                 if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) { u = substr($0, RSTART, RLENGTH); sub(/^\n?URIs:[ \t]*/, "", u);
                 if (u !~ /security/) { print u; exit } } }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk -v suite="$SUITE" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                 if ($(i+1) == suite && $i !~ /security/) { print $i; exit } }' "$f"
    done
}
MIRROR=${DEBIAN_MIRROR:-$(apt_mirror | head -n 1)}
[ -n "$MIRROR" ] || { echo "no Debian $SUITE mirror found in /etc/apt (set DEBIAN_MIRROR)" >&2; exit 1; }
MIRROR=${MIRROR%/}
SDK_TAG=${SDK_TAG:-mailsink-test/sdk:local}
ASPNET_TAG=${ASPNET_TAG:-mailsink-test/aspnet:local}
DOTNET_DIR=${DOTNET_DIR:-/usr/share/dotnet}
ROOTFS_TAR=$CACHE/$SUITE-minbase-rootfs.tar.gz
# Packages the stand-ins need beyond minbase: TLS roots and OpenSSL, ICU (globalization is on), time zones,
# setcap for the Dockerfile's cap_net_bind_service step; libstdc++6/zlib come with minbase.
INCLUDE=ca-certificates,libicu72,libssl3,tzdata,libcap2-bin,zlib1g

t0=$(date +%s)
log() { echo "[build-base-images +$(( $(date +%s) - t0 ))s] $*"; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

if [ "${FORCE:-0}" != 1 ] && have_image "$SDK_TAG" && have_image "$ASPNET_TAG"; then
    log "$SDK_TAG and $ASPNET_TAG exist; nothing to do (FORCE=1 rebuilds)"
    exit 0
fi

[ "$(id -u)" = 0 ] || { echo "build-base-images.sh needs root (debootstrap, chroot)" >&2; exit 1; }
[ -x "$DOTNET_DIR/dotnet" ] || { echo "no .NET at $DOTNET_DIR (set DOTNET_DIR)" >&2; exit 1; }
NODE_BIN=$(command -v node || true)
[ -n "$NODE_BIN" ] || { echo "node is not on PATH: the SDK stand-in copies this machine's Node.js" >&2; exit 1; }
NODE_BIN=$(readlink -f "$NODE_BIN")
NPM_DIR=$(dirname "$NODE_BIN")/../lib/node_modules/npm
[ -f "$NPM_DIR/bin/npm-cli.js" ] || { echo "npm not found at $NPM_DIR" >&2; exit 1; }

mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/work.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

# 1. The Debian root file system, cached as a tarball.
if [ ! -s "$ROOTFS_TAR" ]; then
    if ! command -v debootstrap >/dev/null 2>&1; then
        log "installing debootstrap (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
    fi
    log "debootstrap $SUITE (minbase + $INCLUDE) from $MIRROR"
    debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
        || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
    # An image carries no package caches, no apt lists and no host-specific files.
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/log/"*
    : > "$work/rootfs/etc/resolv.conf"
    echo mailsink-base > "$work/rootfs/etc/hostname"
    tar -C "$work/rootfs" -czf "$ROOTFS_TAR.tmp" .
    mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    rm -rf "$work/rootfs"
    log "cached $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
else
    log "using cached $ROOTFS_TAR"
fi

# Unpacks the rootfs into $1, trusts this machine's extra CAs and adds the official images' non-root
# 'app' user (uid/gid 1654).
# The CAs: this machine reaches NuGet and npm through an egress proxy whose CA is installed locally
# (/usr/local/share/ca-certificates); a restore inside a container must trust it too. Machine-specific,
# so done here at image-build time and never cached in the tarball nor written into the Dockerfile.
unpack_rootfs() {
    mkdir -p "$1"
    tar -C "$1" -xzf "$ROOTFS_TAR"
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/"
        chroot "$1" update-ca-certificates >/dev/null 2>&1
    fi
    chroot "$1" groupadd --gid 1654 app
    chroot "$1" useradd --uid 1654 --gid 1654 --no-create-home --shell /bin/false app
}

import_image() { # dir tag changes...
    local dir=$1 tag=$2; shift 2
    local args=()
    for c in "$@"; do args+=(--change "$c"); done
    tar -C "$dir" -c . | docker import "${args[@]}" - "$tag" >/dev/null
    log "imported $tag ($(docker image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
}

PATH_ENV='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

# 2. The ASP.NET Core runtime stand-in (like mcr.microsoft.com/dotnet/aspnet: host, fxr, two shared frameworks).
if [ "${FORCE:-0}" = 1 ] || ! have_image "$ASPNET_TAG"; then
    d=$work/aspnet
    unpack_rootfs "$d"
    mkdir -p "$d/usr/share/dotnet/shared"
    cp -a "$DOTNET_DIR/dotnet" "$DOTNET_DIR/host" "$DOTNET_DIR/LICENSE.txt" "$DOTNET_DIR/ThirdPartyNotices.txt" "$d/usr/share/dotnet/"
    cp -a "$DOTNET_DIR/shared/Microsoft.NETCore.App" "$DOTNET_DIR/shared/Microsoft.AspNetCore.App" "$d/usr/share/dotnet/shared/"
    ln -s /usr/share/dotnet/dotnet "$d/usr/bin/dotnet"
    import_image "$d" "$ASPNET_TAG" "$PATH_ENV" \
        'ENV APP_UID=1654' 'ENV ASPNETCORE_HTTP_PORTS=8080' 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
        'CMD ["bash"]'
    rm -rf "$d"
fi

# 3. The SDK stand-in (like mcr.microsoft.com/dotnet/sdk, plus Node.js for the web UI build).
if [ "${FORCE:-0}" = 1 ] || ! have_image "$SDK_TAG"; then
    d=$work/sdk
    unpack_rootfs "$d"
    mkdir -p "$d/usr/share/dotnet" "$d/usr/local/bin" "$d/usr/local/lib/node_modules"
    cp -a "$DOTNET_DIR/." "$d/usr/share/dotnet/"
    ln -s /usr/share/dotnet/dotnet "$d/usr/bin/dotnet"
    cp -a "$NODE_BIN" "$d/usr/local/bin/node"
    cp -a "$(readlink -f "$NPM_DIR")" "$d/usr/local/lib/node_modules/npm"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$d/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$d/usr/local/bin/npx"
    chroot "$d" /usr/local/bin/node --version >/dev/null
    import_image "$d" "$SDK_TAG" "$PATH_ENV" \
        'ENV DOTNET_NOLOGO=true' 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1' 'ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false' \
        'ENV DOTNET_USE_POLLING_FILE_WATCHER=true' 'ENV NUGET_XMLDOC_MODE=skip' \
        'ENV NUGET_CERT_REVOCATION_MODE=offline' 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
        'CMD ["bash"]'
    rm -rf "$d"
fi

log "done: $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^mailsink-test/' | tr '\n' ' ')"
