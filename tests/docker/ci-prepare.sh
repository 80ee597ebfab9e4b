#!/usr/bin/env bash
# Prepares a machine (or CI) for the container test (tests/MailSink.EndToEnd, DockerImageTests):
#   1. a Docker engine (tests/docker/start-dockerd.sh: installs Debian's docker.io if needed, host network only);
#   2. the stand-in base images (tests/docker/build-base-images.sh: debootstrap bookworm, cached under
#      /var/cache/mailsink-docker, plus this machine's .NET and Node.js);
#   3. for the several-node compose test (ComposeClusterTests): docker-compose (Debian's, when the CLI has no
#      `docker compose` plugin) and the PostgreSQL and HAProxy stand-ins (tests/docker/build-deploy-images.sh).
# Idempotent; prints timings. Call from .ci/run before `dotnet test`:
#   bash tests/docker/ci-prepare.sh
# Measured on a 2-core machine: ~7-8 min cold (apt install docker.io ~50 s, debootstrap ~4.5 min,
# image import ~1.5 min), ~2 min with the debootstrap tarball cached, a few seconds when all is in place.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
t0=$(date +%s)
bash "$here/start-dockerd.sh"
bash "$here/build-base-images.sh"
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
    echo "[ci-prepare] installing docker-compose (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null; }
fi
bash "$here/build-deploy-images.sh"
# Housekeeping on a machine that is kept between runs: each image build leaves the previous build's
# untagged images (~1.5 GB) behind; drop those older than a day (recent ones are the build cache).
docker image prune -f --filter "until=24h" >/dev/null 2>&1 || true
echo "[ci-prepare] docker engine and base images ready in $(( $(date +%s) - t0 ))s"
