#!/usr/bin/env bash
# Packs MailSink.Core, MailSink.Client and MailSink.Testing into artifacts/packages with a version no NuGet cache can
# already hold (0.1.0-local.<UTC time>), then restores the sample against that local feed (samples/nuget.config) and
# runs its tests. The sample is not in MailSink.sln: it consumes the packages as a user does.
# Extra arguments go to `dotnet test`. Exit status: dotnet test's.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
feed="$root/artifacts/packages"
version="${MAILSINK_SAMPLE_VERSION:-0.1.0-local.$(date -u +%Y%m%d%H%M%S)}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

echo "==> packing MailSink.Core, MailSink.Client, MailSink.Testing $version into $feed"
for project in MailSink.Core MailSink.Client MailSink.Testing; do
  dotnet pack "$root/src/$project/$project.csproj" -c Release -o "$feed" -p:Version="$version" --nologo -v quiet -clp:ErrorsOnly
done

echo "==> samples/SignupApp.Tests against MailSink.Testing $version from the local feed"
dotnet test "$root/samples/SignupApp.Tests/SignupApp.Tests.csproj" -p:MailSinkVersion="$version" --nologo "$@"
