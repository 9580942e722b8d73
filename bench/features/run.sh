#!/usr/bin/env bash
# Features benchmark (prints figures; not a test). It times the Features target itself (./build.sh
# --target=Features: FeatureStage through the engine's StageRunner and BatchQueue), cold, on synthetic 1080x1080
# 16-bit LZW sites, for the committed tiny model (dim 64, depth 2, S 64) and an untrained ViT-S/16-shaped DINOv3
# (dim 384, depth 12, heads 6, S 224) generated into artifacts/bench/features/ (ignored, never committed).
# Baseline, same run, same sites: the Tensors target at S 224 (read + decode + resize + write, no model), i.e. what
# Features would reach if the model were free. Each build has its own state folder, so each one reads and hashes
# the TIFFs cold from the page cache.
# Usage: bench/features/run.sh [sites (default 36, a multiple of 9)] [batch (default 16)] [device (default cpu)]
# Needs /usr/bin/python3 with torch and onnx to generate the ViT-S-sized model.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
sites=${1:-36}
batch=${2:-16}
device=${3:-cpu}
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench-features.XXXXXX)}
mkdir -p "$work" artifacts/bench/features
plate="BR00116991__2020-11-05T19_51_35-Measurement1"

vits="$root/artifacts/bench/features/vits16-untrained-224.onnx"
if [[ ! -f "$vits" ]]; then
  /usr/bin/python3 models/make_tiny_dinov3.py --dim 384 --depth 12 --heads 6 --size 224 --out "$vits" --reference '' >/dev/null
fi
tiny="$root/models/tiny-dinov3.onnx"

wells=$(python3 -c "import sys; w=[f'\"{r}{c:02d}\"' for r in 'ABCDEFGHIJKLMNOP' for c in range(1, 25)]; print(', '.join(w[:(int(sys.argv[1]) + 8) // 9]))" "$sites")
config() { # name model-path input-size
  cat > "$work/$1.yml" <<Y
cpjump:
  batch: "2020_11_04_CPJUMP1"
  plates: ["$plate"]
  local: { raw_images: "$work/raw", metadata: "$work/metadata", tensors: "$work/$1/tensors", features: "$work/$1/features", state: "$work/$1/.cpbuild" }
  tensors: { size: 224 }
  extraction: { model: "$(basename "$2" .onnx)", model_path: "$2", model_sha256: "$(sha256sum "$2" | cut -d' ' -f1)", input_size: $3, device: "$device", batch_size: $batch }
  build: { lock: "$work/$1/data.lock.json" }
  sample: { image_size: 1080, wells: [$wells], sites: 9 }
Y
}
config baseline "$tiny" 64
config tiny "$tiny" 64
config vits "$vits" 224

./build.sh --target=Sample --config="$work/baseline.yml" >/dev/null # builds the library and writes the shared raw images once
./build.sh --target=Tensors --config="$work/baseline.yml" > "$work/baseline.log"
./build.sh --target=Features --config="$work/tiny.yml" > "$work/tiny.log"
./build.sh --target=Features --config="$work/vits.yml" > "$work/vits.log"

echo "== Features throughput, device $device, batch $batch, $(nproc) cores (shared with whatever else runs here)"
python3 - "$work" <<'PY'
import re, sys
work = sys.argv[1]

def summary(name, stage):
    text = open(f"{work}/{name}.log", encoding="utf-8").read()
    line = re.search(rf"^{stage}: (\d+) items: \d+ up to date, (\d+) rebuilt, (\d+) failed.*\[(?:(\d+)m)?([0-9.]+)s\]$", text, re.M)
    if line is None or int(line.group(3)) != 0:
        sys.exit(f"{name}: no clean '{stage}:' summary in {work}/{name}.log")
    seconds = int(line.group(4) or 0) * 60 + float(line.group(5))
    time = re.search(r"^  time: (.*)$", text, re.M)
    return int(line.group(2)), seconds, time.group(1) if time else None

built, seconds, _ = summary("baseline", "tensors")
baseline = built / seconds
print(f"baseline  Tensors S 224 (no model): {built} sites in {seconds:.1f} s = {baseline:.2f} sites/s")
for name, label in (("tiny", "tiny DINOv3 (dim 64, depth 2, S 64)"), ("vits", "ViT-S/16-sized DINOv3 (dim 384, depth 12, S 224)")):
    built, seconds, time = summary(name, "features")
    rate = built / seconds
    print(f"{label}: {built} sites in {seconds:.1f} s = {rate:.2f} sites/s ({rate * 5:.1f} images/s), {rate / baseline:.2f}x the baseline")
    print(f"  {time}")
    inference = float(re.search(r"inference ([0-9.]+) s", time).group(1))
    print(f"  inference alone: {built / inference:.2f} sites/s")
PY
echo "work dir: $work"
