#!/usr/bin/env bash
# Shared-cache benchmark (prints figures; not a test): the Sites target on a fresh runner (empty outputs and state)
# with a warm folder cache vs a cold build of the same sites without a cache, interleaved in the same run. Synthetic
# 1080x1080 16-bit LZW sites, tensors at S 224, features from the committed tiny model. A builder run in read-write
# mode fills the cache first. Both kinds still read and hash every TIFF (the fingerprints need the inputs' digests).
# Usage: bench/cache/run.sh [sites (default 18, a multiple of 9)] [rounds (default 3; alternating order)]
set -euo pipefail
cd "$(dirname "$0")/../.."
sites=${1:-18}
rounds=${2:-3}
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench-cache.XXXXXX)}
mkdir -p "$work/cache"
plate="BR00116991__2020-11-05T19_51_35-Measurement1"
tiny="$(pwd)/models/tiny-dinov3.onnx"
wells=$(python3 -c "import sys; w=[f'\"{r}{c:02d}\"' for r in 'ABCDEFGHIJKLMNOP' for c in range(1, 25)]; print(', '.join(w[:(int(sys.argv[1]) + 8) // 9]))" "$sites")

config() { # name, cache section
  cat > "$work/$1.yml" <<Y
cpjump:
  batch: "2020_11_04_CPJUMP1"
  plates: ["$plate"]
  local: { raw_images: "$work/raw", metadata: "$work/metadata", tensors: "$work/$1/tensors", features: "$work/$1/features", state: "$work/$1/.cpbuild" }
  tensors: { size: 224 }
  extraction: { model: "tiny-dinov3", model_path: "$tiny", model_sha256: "$(sha256sum "$tiny" | cut -d' ' -f1)", input_size: 64, device: "cpu", batch_size: 16 }
  build: { lock: "$work/$1/data.lock.json" }
  sample: { image_size: 1080, wells: [$wells], sites: 9 }
  $2
Y
}

config builder "cache: { url: \"$work/cache\", mode: read-write }"
config cold ""
config warm "cache: { url: \"$work/cache\", mode: read, required: true }"
./build.sh --target=Sample --config="$work/builder.yml" >/dev/null # builds the library and writes the shared raw images once
./build.sh --target=Sites --exclusive --config="$work/builder.yml" > "$work/builder.log"

timed() { # name, round: a fresh runner (no outputs, no state) builds the Sites target
  rm -rf "${work:?}/$1"
  local start=$EPOCHREALTIME
  ./build.sh --target=Sites --exclusive --config="$work/$1.yml" > "$work/$1-$2.log"
  echo "$start $EPOCHREALTIME" > "$work/$1-$2.seconds"
}
for round in $(seq 1 "$rounds"); do
  if (( round % 2 )); then timed cold "$round"; timed warm "$round"; else timed warm "$round"; timed cold "$round"; fi
  cmp -s <(cd "$work/cold" && find tensors features -type f -print0 | sort -z | xargs -0 sha256sum; cat data.lock.json) \
         <(cd "$work/warm" && find tensors features -type f -print0 | sort -z | xargs -0 sha256sum; cat data.lock.json) \
    || { echo "round $round: outputs or lock differ between the cold build and the fetch" >&2; exit 1; }
done

echo "== fresh runner with a warm folder cache vs cold build, Sites target, $sites sites, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$rounds" <<'PY'
import re, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])

def summary(text, stage, kind):
    line = re.search(rf"^{stage}: (\d+) items: \d+ up to date, (\d+) rebuilt(?:, (\d+) fetched \(([0-9.]+) (bytes|kB|MB)\))?, (\d+) failed.*\[(?:(\d+)m)?([0-9.]+)s\]$", text, re.M)
    if line is None or int(line.group(6)) != 0:
        sys.exit(f"no clean '{stage}:' summary")
    built, fetched = int(line.group(2)), int(line.group(3) or 0)
    if (kind == "cold" and (built == 0 or fetched)) or (kind == "warm" and (built or fetched == 0)):
        sys.exit(f"{kind}: {stage} built {built}, fetched {fetched}")
    size = float(line.group(4) or 0) * {"bytes": 1, "kB": 1e3, "MB": 1e6}[line.group(5) or "bytes"]
    return int(line.group(7) or 0) * 60 + float(line.group(8)), fetched, size

whole = {"cold": [], "warm": []}
task = {"cold": [], "warm": []}
for round in range(1, rounds + 1):
    for kind in whole:
        text = open(f"{work}/{kind}-{round}.log", encoding="utf-8").read()
        start, end = map(float, open(f"{work}/{kind}-{round}.seconds").read().split())
        whole[kind].append(end - start)
        seconds, _, _ = summary(text, "features", kind)  # stages run together report the same wall time
        task[kind].append(seconds)
        if kind == "warm":
            fetched = [summary(text, stage, kind) for stage in ("tensors", "features")]
    print(f"round {round}: Sites task cold {task['cold'][-1]:.1f} s, warm {task['warm'][-1]:.1f} s; whole command cold {whole['cold'][-1]:.1f} s, warm {whole['warm'][-1]:.1f} s")
for name, figures in (("Sites task", task), ("whole command", whole)):
    best = min(figures["warm"]) / min(figures["cold"])
    median = statistics.median(figures["warm"]) / statistics.median(figures["cold"])
    print(f"{name}: warm/cold best {min(figures['warm']):.1f}/{min(figures['cold']):.1f} s = {best:.2f}, median {statistics.median(figures['warm']):.1f}/{statistics.median(figures['cold']):.1f} s = {median:.2f}")
print("fetched per warm run: " + ", ".join(f"{stage} {count} items {size / 1e6:.1f} MB" for stage, (_, count, size) in zip(("tensors", "features"), fetched)))
PY
echo "work dir: $work"
