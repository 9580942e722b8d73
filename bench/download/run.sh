#!/usr/bin/env bash
# Download benchmark (prints figures; not a test): whole commands against the same loopback moto bucket of small
# objects in the CPJUMP1 layout, each a new process, interleaved: `./build.sh --target=Download` vs
# `aws s3 sync --no-sign-request` of the same dataset prefix, cold (empty destination, no state) and no-op
# (everything current); wall time, CPU and peak RSS, and the Download task's own time from Cake's summary.
# Needs moto_server and aws on PATH. Usage: [ROUNDS=3] [BENCH_DIR=dir] bench/download/run.sh [objects (1000)] [bytes (16384)]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/bench.sh
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench-download.XXXXXX)}
mkdir -p "$work"
rounds=${ROUNDS:-3}
echo "load: $(uptime)"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
moto_server -H 127.0.0.1 -p "$port" > "$work/moto.log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/"; then break; fi
  sleep 0.2
done
endpoint="http://127.0.0.1:$port/"

./build.sh --target=Sample --config=configs/sample.yml --wait-lock=3600 >/dev/null # builds the library once (waits for a build or test run holding the repository's own data root)
dotnet build -c Release bench/download/DownloadBench.csproj -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet artifacts/bin/DownloadBench/release/DownloadBench.dll "$endpoint" "${1:-1000}" "${2:-16384}"

dataset="s3://bench-gallery/cpg0000-jump-pilot/source_4"
bench_config "$work/ours.yml" "$work/ours/raw" "$work/ours" "" "  endpoint: \"$dataset\"
  fetch: { source: \"s3\", endpoint_url: \"$endpoint\" }"
results="$work/results.txt"
: > "$results"
export AWS_DEFAULT_REGION=us-east-1
aws_sync() { aws s3 sync "$dataset/" "$work/aws" --no-sign-request --endpoint-url "$endpoint" --only-show-errors; }
ours() { ./build.sh --target=Download --config="$work/ours.yml"; }
export work dataset endpoint
export -f aws_sync ours
for round in $(seq "$rounds"); do
  rm -rf "$work/ours" "$work/aws"
  for phase in cold noop; do
    if (( round % 2 )); then order=(ours aws); else order=(aws ours); fi
    for tool in "${order[@]}"; do
      if [[ $tool == ours ]]; then
        bench_run "$results" "ours-$phase" "$round" "$work/ours-$phase-$round.log" ours
        bench_record "$results" "ours-$phase-task" "$round" "$(bench_task_seconds "$work/ours-$phase-$round.log" Download)"
      else
        bench_run "$results" "aws-$phase" "$round" "$work/aws-$phase-$round.log" aws_sync
      fi
    done
  done
  [[ $(find "$work/ours/raw" -type f | wc -l) == $(find "$work/aws" -type f | wc -l) ]] || { echo "round $round: ours and aws fetched different object counts" >&2; exit 1; }
done
echo "== whole commands, $(find "$work/aws" -type f | wc -l) objects, $rounds interleaved rounds, $(nproc) cores"
bench_summary "$results" 0 "" ours-cold:aws-cold ours-noop:aws-noop
echo "load: $(uptime)"
echo "work dir: $work"
