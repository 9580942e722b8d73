#!/usr/bin/env bash
# Sites benchmark (prints figures; not a test): Tensors then Features as two targets vs the Sites target (both in
# one pass, each site's TIFFs decoded once), cold, on synthetic 1080x1080 16-bit LZW sites, tensors at S 224 and
# features from the committed tiny model (S 64, so decoding weighs as it does next to a fast model). Each build has
# its own state folder, so each reads and hashes the TIFFs itself (warm page cache for both).
# Usage: bench/sites/run.sh [sites (default 36, a multiple of 9)] [rounds (default 2; alternating order)]
set -euo pipefail
cd "$(dirname "$0")/../.."
sites=${1:-36}
rounds=${2:-2}
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench-sites.XXXXXX)}
mkdir -p "$work"
plate="BR00116991__2020-11-05T19_51_35-Measurement1"
tiny="$(pwd)/models/tiny-dinov3.onnx"
wells=$(python3 -c "import sys; w=[f'\"{r}{c:02d}\"' for r in 'ABCDEFGHIJKLMNOP' for c in range(1, 25)]; print(', '.join(w[:(int(sys.argv[1]) + 8) // 9]))" "$sites")

config() { # name
  cat > "$work/$1.yml" <<Y
cpjump:
  batch: "2020_11_04_CPJUMP1"
  plates: ["$plate"]
  local: { raw_images: "$work/raw", metadata: "$work/metadata", tensors: "$work/$1/tensors", features: "$work/$1/features", state: "$work/$1/.cpbuild" }
  tensors: { size: 224 }
  extraction: { model: "tiny-dinov3", model_path: "$tiny", model_sha256: "$(sha256sum "$tiny" | cut -d' ' -f1)", input_size: 64, device: "cpu", batch_size: 16 }
  build: { lock: "$work/$1/data.lock.json" }
  sample: { image_size: 1080, wells: [$wells], sites: 9 }
Y
}

config sample
./build.sh --target=Sample --config="$work/sample.yml" >/dev/null # builds the library and writes the shared raw images once
for round in $(seq 1 "$rounds"); do
  for name in apart together; do
    config "$name"
    rm -rf "${work:?}/$name"
  done
  run_apart() { ./build.sh --target=Tensors --exclusive --config="$work/apart.yml" > "$work/apart-$round.log"; ./build.sh --target=Features --exclusive --config="$work/apart.yml" >> "$work/apart-$round.log"; }
  run_together() { ./build.sh --target=Sites --exclusive --config="$work/together.yml" > "$work/together-$round.log"; }
  if (( round % 2 )); then run_apart; run_together; else run_together; run_apart; fi
  cmp -s <(cd "$work/apart" && find tensors features -type f -print0 | sort -z | xargs -0 sha256sum) \
         <(cd "$work/together" && find tensors features -type f -print0 | sort -z | xargs -0 sha256sum) \
    || { echo "round $round: outputs differ between apart and together" >&2; exit 1; }
done

echo "== Tensors + Features apart vs Sites together, $sites sites, $(nproc) cores (shared with whatever else runs here)"
python3 - "$work" "$rounds" <<'PY'
import re, sys
work, rounds = sys.argv[1], int(sys.argv[2])

def seconds(text, stage):
    line = re.search(rf"^{stage}: (\d+) items: \d+ up to date, (\d+) rebuilt, (\d+) failed.*\[(?:(\d+)m)?([0-9.]+)s\]$", text, re.M)
    if line is None or int(line.group(3)) != 0 or int(line.group(2)) == 0:
        sys.exit(f"no clean '{stage}:' summary with items rebuilt")
    return int(line.group(4) or 0) * 60 + float(line.group(5))

for round in range(1, rounds + 1):
    apart = open(f"{work}/apart-{round}.log", encoding="utf-8").read()
    together = open(f"{work}/together-{round}.log", encoding="utf-8").read()
    tensors, features = seconds(apart, "tensors"), seconds(apart, "features")
    both = seconds(together, "features")  # stages run together report the same wall time
    # Run together, the features line says "decode shared with tensors (...)" when it decoded none itself.
    decodes = [(lambda m: m.group(1) if m else "0")(re.search(r"decode (\d+) TIFFs", text)) for text in (apart, together)]
    print(f"round {round}: apart {tensors:.1f} + {features:.1f} = {tensors + features:.1f} s; together {both:.1f} s; "
          f"together/apart {both / (tensors + features):.2f}; Features decoded {decodes[0]} TIFFs apart, {decodes[1]} together")
PY
echo "work dir: $work"
