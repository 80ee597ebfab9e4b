#!/bin/sh
# Stand-in for the official haproxy image's docker-entrypoint.sh (tests/docker/build-deploy-images.sh): options
# alone mean haproxy with them; haproxy runs in the foreground (-db) in master-worker mode (-W), so it stops
# cleanly on the image's STOPSIGNAL and reloads on SIGUSR2.
set -e
if [ "${1#-}" != "$1" ]; then set -- haproxy "$@"; fi
if [ "$1" = haproxy ]; then
    shift
    set -- haproxy -W -db "$@"
fi
exec "$@"
