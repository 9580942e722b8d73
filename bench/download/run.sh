#!/usr/bin/env bash
# Sync of 1,000 small objects from a loopback moto server: this tool vs `aws s3 sync --no-sign-request`, cold and
# no-op, in the same run. Needs moto_server and aws on PATH. Usage: bench/download/run.sh [objects] [bytes] [repeats]
set -euo pipefail
cd "$(dirname "$0")/../.."

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp)
moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 100); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/"; then break; fi
  sleep 0.2
done

dotnet build -c Release bench/download/DownloadBench.csproj -nologo -v quiet >/dev/null
dotnet run -c Release --no-build --project bench/download/DownloadBench.csproj -- "http://127.0.0.1:$port/" "${1:-1000}" "${2:-16384}" "${3:-3}"
