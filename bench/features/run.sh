#!/usr/bin/env bash
# Feature throughput benchmark (CPU by default): the committed tiny model and an untrained ViT-S/16-shaped DINOv3
# (dim 384, depth 12, heads 6, S 224) generated into artifacts/bench/features/ (ignored, never committed).
# Usage: bench/features/run.sh [tiny-sites] [vits-sites] [batch]     (needs `npm ci` first, and /usr/bin/python3 with torch)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tiny_sites="${1:-480}"
vits_sites="${2:-16}"
batch="${3:-8}"
out="$root/artifacts/bench/features"
mkdir -p "$out"

vits="$out/vits16-untrained-224.onnx"
if [[ ! -f "$vits" ]]; then
  /usr/bin/python3 "$root/models/make_tiny_dinov3.py" --dim 384 --depth 12 --heads 6 --size 224 --out "$vits" --reference ''
fi

dotnet build "$root/bench/features/FeaturesBench" -c Release -v quiet -nologo
bench="$root/artifacts/bin/FeaturesBench/release/FeaturesBench.dll"
sha() { sha256sum "$1" | cut -d' ' -f1; }

echo "== tiny DINOv3 (dim 64, depth 2, S 64) =="
dotnet "$bench" --model "$root/models/tiny-dinov3.onnx" --sha256 "$(sha "$root/models/tiny-dinov3.onnx")" --sites "$tiny_sites" --batch 48
echo "== untrained ViT-S/16-shaped DINOv3 (dim 384, depth 12, heads 6, S 224) =="
dotnet "$bench" --model "$vits" --sha256 "$(sha "$vits")" --sites "$vits_sites" --batch "$batch"
