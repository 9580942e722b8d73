#!/usr/bin/env bash
# Features benchmark (prints figures; not a test), cold, on a realistic plate (bench/lib/synth_plate.py), whole
# commands as new processes, each with fresh outputs and state: `./build.sh --target=Features` for the committed tiny
# model (dim 64, depth 2, S 64) and an untrained ViT-S/16-shaped DINOv3 (dim 384, depth 12, heads 6, S 224) generated
# into artifacts/bench/features/ (ignored, never committed), against `--target=Tensors` at S 224 on the same sites
# (read + decode + resize + write, no model: what Features would reach if the model were free). Prints each run's
# decode/resize/model load/normalise/inference/write split.
# Usage: [ROUNDS=1] [PREDICTOR=1|2] [BENCH_DIR=dir] bench/features/run.sh [sites (default 36)] [batch (default 16)] [device (default cpu)]
# Needs /usr/bin/python3 with torch and onnx to generate the ViT-S-sized model.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/bench.sh
root=$(pwd)
sites=${1:-36}
batch=${2:-16}
device=${3:-cpu}
rounds=${ROUNDS:-1}
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench-features.XXXXXX)}
mkdir -p "$work" artifacts/bench/features
bench_require_python
echo "load: $(uptime)"

vits="$root/artifacts/bench/features/vits16-untrained-224.onnx"
if [[ ! -f "$vits" ]]; then
  /usr/bin/python3 models/make_tiny_dinov3.py --dim 384 --depth 12 --heads 6 --size 224 --out "$vits" --reference '' >/dev/null
fi
tiny="$root/models/tiny-dinov3.onnx"
./build.sh --target=Sample --config=configs/sample.yml --wait-lock=3600 >/dev/null # builds the library once (waits for a build or test run holding the repository's own data root)
bench_plate "$work/raw" "$sites" "${PREDICTOR:-1}"
extraction() { # model-path input-size
  echo "  tensors: { size: 224 }
  extraction: { model: \"$(basename "$1" .onnx)\", model_path: \"$1\", model_sha256: \"$(sha256sum "$1" | cut -d' ' -f1)\", input_size: $2, device: \"$device\", batch_size: $batch }"
}
bench_config "$work/baseline.yml" "$work/raw" "$work/baseline" "" "$(extraction "$tiny" 64)"
bench_config "$work/tiny.yml" "$work/raw" "$work/tiny" "" "$(extraction "$tiny" 64)"
bench_config "$work/vits.yml" "$work/raw" "$work/vits" "" "$(extraction "$vits" 224)"
results="$work/results.txt"
: > "$results"
for round in $(seq "$rounds"); do
  for name in baseline tiny vits; do
    rm -rf "${work:?}/$name"
    target=Features; [[ $name == baseline ]] && target=Tensors
    bench_run "$results" "$name" "$round" "$work/$name-$round.log" ./build.sh --target=$target --config="$work/$name.yml"
    bench_record "$results" "$name-task" "$round" "$(bench_task_seconds "$work/$name-$round.log" $target)"
  done
done
echo "== Features, device $device, batch $batch, $sites sites, $(nproc) cores (baseline: Tensors S 224, no model; -task: Cake's task)"
for name in tiny vits; do echo "$name: $(grep -h '^  time:' "$work/$name-1.log" || echo 'no time line')"; done
bench_summary "$results" "$sites" sites tiny:baseline vits:baseline tiny-task:baseline-task vits-task:baseline-task
echo "load: $(uptime)"
echo "work dir: $work"
