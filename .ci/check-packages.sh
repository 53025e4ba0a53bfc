#!/usr/bin/env bash
# Packs both libraries and the three command-line tools into a temporary local feed, then, from that feed and by version
# (no project reference): (1) builds and runs a throwaway consumer that streams from the Testing package's server with
# await foreach, (2) publishes a trimmed self-contained console whose trimmer must say nothing about
# StreamingCodeGenerator, and (3) installs scg, scg-transform and scg-api-client with `dotnet tool install` into a
# temporary tool path and runs each: --help, --version (must print the package version) and the offline demo.
# Fails if a package is broken.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
version="$(dotnet msbuild src/StreamingCodeGenerator/StreamingCodeGenerator.csproj -getProperty:Version)"

dotnet pack src/StreamingCodeGenerator/StreamingCodeGenerator.csproj -c Release -o "$feed" --nologo -v q
dotnet pack src/StreamingCodeGenerator.Testing/StreamingCodeGenerator.Testing.csproj -c Release -o "$feed" --nologo -v q
# The tools: package id, project, command. One version for all (VersionPrefix in Directory.Build.props).
tools=(
  "StreamingCodeGenerator.Cli samples/StreamingCodeGenerator.Console scg"
  "StreamingCodeGenerator.RepoTransform.Cli samples/StreamingCodeGenerator.RepoTransform scg-transform"
  "StreamingCodeGenerator.ApiClient.Cli samples/StreamingCodeGenerator.ApiClient scg-api-client"
)
for tool in "${tools[@]}"; do
  read -r _ project _ <<<"$tool"
  dotnet pack "$project" -c Release -o "$feed" --nologo -v q
done
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

# The tools, installed as a user would (`dotnet tool install`, here into a temporary tool path rather than -g) and run
# with no key, no endpoint and an empty home: nothing of this machine's configuration may reach them.
tool_path="$work/tools"
tool_home="$work/home"
mkdir -p "$tool_home"
run_tool() {
  local command="$1"
  shift
  env -u OPENAI_API_KEY -u OPENAI_BASE_URL -u AZURE_OPENAI_ENDPOINT -u AZURE_OPENAI_API_KEY -u SCG_API_URL -u SCG_API_KEY \
    -u DOTNET_USER_SECRETS_FALLBACK_DIR HOME="$tool_home" XDG_DATA_HOME="$tool_home/.local/share" "$tool_path/$command" "$@"
}
for tool in "${tools[@]}"; do
  read -r package _ command <<<"$tool"
  dotnet tool install "$package" --version "$version" --tool-path "$tool_path" --configfile "$work/nuget.config" > "$work/install.log" 2>&1 \
    || { cat "$work/install.log" >&2; exit 1; }
  run_tool "$command" --help > "$work/help.txt" || { echo "$command --help failed" >&2; cat "$work/help.txt" >&2; exit 1; }
  grep -q "^Usage:" "$work/help.txt" || { echo "$command --help printed no usage:" >&2; cat "$work/help.txt" >&2; exit 1; }
  printed="$(run_tool "$command" --version)"
  [ "$printed" = "$version" ] || { echo "$command --version printed '$printed', but the package is $version" >&2; exit 1; }
done

# scg's offline demo: no key and no endpoint, so it replays the recorded answer from a loopback server.
run_tool scg "Write a bubble sort in C#" < /dev/null > "$work/demo.txt" 2> "$work/demo.err" \
  || { echo "scg's offline demo failed:" >&2; cat "$work/demo.err" >&2; exit 1; }
last="$(grep -v '^$' "$work/demo.txt" | tail -n 1)"
case "$last" in
  "*Offline demo: a recorded answer."*) ;;
  *) echo "scg's offline demo ended with '$last', not the recorded answer's last line" >&2; exit 1 ;;
esac
# scg-transform's offline demo: the bundled example repository written to a folder we keep, the recorded answer and
# review replayed; its diff must apply to that example with git apply.
run_tool scg-transform --demo --repo "$work/example" --out "$work/demo.diff" < /dev/null > "$work/transform.txt" 2> "$work/transform.err" \
  || { echo "scg-transform's offline demo failed:" >&2; cat "$work/transform.err" >&2; exit 1; }
[ -s "$work/demo.diff" ] || { echo "scg-transform's offline demo wrote no diff" >&2; cat "$work/transform.err" >&2; exit 1; }
git -C "$work/example" apply --check "$work/demo.diff" \
  || { echo "the offline demo's diff does not apply to its example repository" >&2; exit 1; }

echo "packages: StreamingCodeGenerator $version and StreamingCodeGenerator.Testing $version consumed from a local feed;" \
  "tools scg, scg-transform and scg-api-client $version installed from it and run"
