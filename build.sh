#!/usr/bin/env bash
# Sets up what the build needs (idempotent, fast when already done), then hands the arguments to Cake.
#   ./build.sh                       main job on the embedded sample
#   ./build.sh --target=Test         test suite
#   ./build.sh --target=Tensors --config=configs/cpjump1.yml
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

for arg in "$@"; do
  [[ "$arg" == "--target=Test" ]] && testing=1
done

# Native and test prerequisites from Debian: libtiff always; a real PyTorch etc. only for the tests.
need=()
# Read the cache once: `ldconfig -p | grep -q` would die of SIGPIPE under pipefail.
libraries=$(ldconfig -p 2>/dev/null || true)
[[ "$libraries" == *"libtiff.so.6 "* ]] || need+=(libtiff6)
if [[ -n "${testing:-}" ]]; then
  for module in torch:python3-torch numpy:python3-numpy tifffile:python3-tifffile onnx:python3-onnx; do
    /usr/bin/python3 -c "import ${module%%:*}" 2>/dev/null || need+=("${module##*:}")
  done
fi
if (( ${#need[@]} )); then
  echo "build.sh: installing ${need[*]}"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The local Cake tool: restore only when its package is not in the NuGet cache yet (a restore costs ~1 s a run).
cake_version=$(sed -n '/"cake.tool"/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' dotnet-tools.json)
cake_package="${NUGET_PACKAGES:-$HOME/.nuget/packages}/cake.tool/$cake_version"
[[ -d "$cake_package" ]] || dotnet tool restore >/dev/null

# Cake compiles build.cake with Roslyn on every run (~2 s of CPU) unless its script cache is on. The cache is keyed on
# the script's text alone, so it is invalidated whenever the library the script calls is rebuilt.
export CAKE_SETTINGS_ENABLESCRIPTCACHE=true CAKE_PATHS_CACHE="$PWD/artifacts/cake-script-cache"
cake_options=()

# Rebuild the library only when a source file is newer than the last successful build.
stamp=artifacts/.build-stamp
if [[ ! -f "$stamp" ]] || [[ -n "$(find src tests build models Directory.*.props CellPaintingBuild.slnx -newer "$stamp" -print -quit 2>/dev/null)" ]]; then
  dotnet build CellPaintingBuild.slnx -c Release -nologo -clp:ErrorsOnly
  touch "$stamp"
  cake_options+=(--invalidate-script-cache)
fi

# Tiered PGO instruments methods before optimising them; a build's hot loops are native (libtiff, SHA-256) or simple,
# so for Cake's process the instrumentation only costs: without it 18 noisy sites built cold took 8 % less CPU
# (4.15 s against 4.52 s, means of 5 interleaved pairs) and no longer.
# Cake runs as `dotnet exec` of the tool's own assembly: `dotnet cake` first starts the SDK's CLI to resolve the local
# tool, which then starts Cake as a second process, ~0.5 s of CPU and ~0.7 s of wall time on every command.
# (W^X stays on: turning it off saved ~0.1 s a command, not worth a security hardening for Cake and all it starts.)
DOTNET_TieredPGO=0 exec dotnet exec "$cake_package/tools/net10.0/any/Cake.dll" build/build.cake "${cake_options[@]}" "$@"
