#!/usr/bin/env bash
# Packs both packages into a temporary local feed, then builds and runs, from that feed and by version (no project
# reference), (1) a throwaway consumer that streams from the Testing package's server with await foreach, and (2) a
# trimmed self-contained console whose trimmer must say nothing about StreamingCodeGenerator. Fails if a package is broken.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
version="$(dotnet msbuild src/StreamingCodeGenerator/StreamingCodeGenerator.csproj -getProperty:Version)"

dotnet pack src/StreamingCodeGenerator/StreamingCodeGenerator.csproj -c Release -o "$feed" --nologo -v q
dotnet pack src/StreamingCodeGenerator.Testing/StreamingCodeGenerator.Testing.csproj -c Release -o "$feed" --nologo -v q
for package in StreamingCodeGenerator StreamingCodeGenerator.Testing; do
  [ -f "$feed/$package.$version.nupkg" ] && [ -f "$feed/$package.$version.snupkg" ] || { echo "missing $package $version (.nupkg and .snupkg)" >&2; exit 1; }
done

# Consumers live outside the repository so none of its build settings apply; their own NuGet cache keeps the
# freshly packed version from being confused with an earlier pack of the same version.
export NUGET_PACKAGES="$work/packages"
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML

cp -r tests/PackageConsumer "$work/consumer"
cp "$work/nuget.config" "$work/consumer/"
dotnet run --project "$work/consumer/PackageConsumer.csproj" -c Release -p:ScgVersion="$version" --nologo

cp -r tests/TrimmedConsumer "$work/trimmed"
cp "$work/nuget.config" "$work/trimmed/"
dotnet publish "$work/trimmed/TrimmedConsumer.csproj" -c Release -r linux-x64 -p:ScgVersion="$version" -o "$work/trimmed/out" --nologo > "$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; exit 1; }
if grep -E "warning IL[0-9]+" "$work/publish.log" | grep -i "StreamingCodeGen" ; then
  echo "the trimmer warned about StreamingCodeGenerator (above)" >&2
  exit 1
fi
"$work/trimmed/out/TrimmedConsumer"
echo "packages: StreamingCodeGenerator $version and StreamingCodeGenerator.Testing $version consumed from a local feed"
