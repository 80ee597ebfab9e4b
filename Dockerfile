# MailSink container image: SMTP on 1025 (plain), 587 (submission, STARTTLS), 465 (implicit TLS);
# HTTP API and web inbox on 8025. Data (LiteDB file + generated TLS certificate) in the /data volume.
#
#   docker build -t mailsink .
#   docker run -d -p 1025:1025 -p 587:587 -p 465:465 -p 8025:8025 -v mailsink-data:/data mailsink
#
# Base images are build arguments so the image can be built where no registry is reachable
# (tests/docker/build-base-images.sh makes local stand-ins; see the README's Docker section). The file works with the
# classic builder as well as BuildKit (no RUN --mount, no COPY --chmod).

# .NET SDK for restore/publish. The official SDK image has no Node.js; it comes from NODE_IMAGE below.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
# ASP.NET Core runtime the app runs on (framework-dependent publish).
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0
# Any image with node at /usr/local/bin/node and npm at /usr/local/lib/node_modules/npm (the official
# node images' layout). The web UI is built with Vite 8, which needs Node.js 20.19+; Ubuntu 24.04 (the
# SDK image's distro) ships 18, hence a separate image rather than apt-get install nodejs.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS node

FROM ${SDK_IMAGE} AS build
# true leaves the web UI out (the API still works; / then has no inbox page).
ARG SKIP_WEB_UI=false
ARG CONFIGURATION=Release
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false DOTNET_NOLOGO=true
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && echo "node $(node --version), npm $(npm --version), dotnet $(dotnet --version)"
WORKDIR /src

# Restore first, from the project files only, so source edits do not invalidate the package layer.
# Every project src/MailSink references (and any file its project imports) must be listed here; the
# container test (tests/MailSink.EndToEnd) fails at this step when one is missing.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/MailSink/MailSink.csproj src/MailSink/WebUi.targets src/MailSink/
COPY src/MailSink.Core/MailSink.Core.csproj src/MailSink.Core/
RUN dotnet restore src/MailSink/MailSink.csproj

COPY . .
# The web UI (web-ui/) is built by an MSBuild target of src/MailSink (npm ci + vite build into wwwroot/).
RUN dotnet publish src/MailSink/MailSink.csproj --no-restore -c "${CONFIGURATION}" -o /app \
        -p:UseAppHost=false -p:SkipWebUi="${SKIP_WEB_UI}" \
 && rm -f /app/*.pdb

FROM ${RUNTIME_IMAGE} AS final
# MailSink listens on 587 and 465 as a non-root user: give the dotnet host the one capability that allows
# binding ports below 1024 (file capability; the default Docker capability set includes it). Works with
# --network host too, where the per-container sysctl net.ipv4.ip_unprivileged_port_start cannot be set.
# setcap comes from libcap2-bin, installed for this step only if the runtime image lacks it.
RUN set -eu; \
    dotnet_host="$(readlink -f "$(command -v dotnet)")"; \
    if ! command -v setcap >/dev/null 2>&1; then \
        apt-get update; \
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcap2-bin; \
        setcap cap_net_bind_service=+ep "$dotnet_host"; \
        apt-get purge -y --auto-remove libcap2-bin; \
        rm -rf /var/lib/apt/lists/*; \
    else \
        setcap cap_net_bind_service=+ep "$dotnet_host"; \
    fi; \
    groupadd --system --gid 10001 mailsink; \
    useradd --system --uid 10001 --gid 10001 --home-dir /home/mailsink --create-home --shell /usr/sbin/nologin mailsink; \
    mkdir -p /data; \
    chown 10001:10001 /data

WORKDIR /app
COPY --from=build /app ./

# Configuration: MAILSINK_ + section__key (see src/MailSink.Core/Options). Listen on every IPv4 address inside
# the container ("*" for dual-stack IPv4+IPv6); keep data in the volume.
ENV MAILSINK_Server__Bind=0.0.0.0 \
    MAILSINK_Server__DataDirectory=/data \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_NOLOGO=true

VOLUME /data
EXPOSE 1025 587 465 8025
USER 10001:10001

# MailSink's own probe (GET /readyz on 127.0.0.1, exit 0/1): no curl or wget needed in the image.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/MailSink.dll", "healthcheck"]

ENTRYPOINT ["dotnet", "/app/MailSink.dll"]
