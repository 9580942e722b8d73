#!/usr/bin/env bash
# Shared-cache benchmark (prints figures; not a test): the Sites target on a fresh runner (empty outputs and state)
# with a warm folder cache vs a cold build of the same sites without a cache, interleaved in the same run. Synthetic
# noisy 1080x1080 16-bit LZW sites sized like the real bucket's files (bench/lib/synth_plate.py), tensors at S 224,
# features from the committed tiny model. A builder run in read-write
# mode fills the cache first. "warm" reads and hashes every local TIFF (the fingerprints need the inputs' digests).
# With moto_server and aws on PATH a third kind, "no-images", is a CI runner holding only the lock a main-branch
# runner committed: the images are in a loopback bucket, fetch.keep_raw is false, and the recorded digests stand for
# the images, so it lists the bucket, GETs no image and fetches every output from the cache (image GETs are counted
# from the server's log).
# Usage: bench/cache/run.sh [sites (default 18, a multiple of 9)] [rounds (default 3; alternating order)]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/bench.sh
sites=${1:-18}
rounds=${2:-3}
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench-cache.XXXXXX)}
mkdir -p "$work/cache"
plate="BR00116991__2020-11-05T19_51_35-Measurement1"
tiny="$(pwd)/models/tiny-dinov3.onnx"
# The recipe every runner's config shares (the same sites must give the same cache keys).
recipe="  tensors: { size: 224 }
  extraction: { model: \"tiny-dinov3\", model_path: \"$tiny\", model_sha256: \"$(sha256sum "$tiny" | cut -d' ' -f1)\", input_size: 64, device: \"cpu\", batch_size: 16 }"
wells=$(python3 -c "import sys; w=[f'\"{r}{c:02d}\"' for r in 'ABCDEFGHIJKLMNOP' for c in range(1, 25)]; print(', '.join(w[:(int(sys.argv[1]) + 8) // 9]))" "$sites")

config() { # name, cache section
  cat > "$work/$1.yml" <<Y
cpjump:
  batch: "2020_11_04_CPJUMP1"
  plates: ["$plate"]
  local: { raw_images: "$work/raw", metadata: "$work/metadata", tensors: "$work/$1/tensors", features: "$work/$1/features", state: "$work/$1/.cpbuild" }
$recipe
  build: { lock: "$work/$1/data.lock.json" }
  sample: { image_size: 1080, wells: [$wells], sites: 9 }
  $2
Y
}

config builder "cache: { url: \"$work/cache\", mode: read-write }"
config cold ""
config warm "cache: { url: \"$work/cache\", mode: read, required: true }"
bench_require_python
echo "realistic plate: $(bench_plate "$work/raw" "$sites")" # channels 1-5; Sample adds the metadata (and brightfield planes)
./build.sh --target=Sample --config="$work/builder.yml" >/dev/null # builds the library and writes the rest of the raw data once
./build.sh --target=Sites --exclusive --config="$work/builder.yml" > "$work/builder.log"

kinds=(cold warm)
if command -v moto_server >/dev/null && command -v aws >/dev/null; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  moto_server -H 127.0.0.1 -p "$port" > "$work/moto.log" 2>&1 &
  moto_pid=$!
  trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/" && break; sleep 0.2; done
  export AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
  s3="aws --endpoint-url http://127.0.0.1:$port s3"
  dataset="s3://bench/cpg0000-jump-pilot/source_4"
  $s3 mb s3://bench >/dev/null
  # Public, like the Cell Painting Gallery: the runners read it anonymously.
  aws --endpoint-url "http://127.0.0.1:$port" s3api put-bucket-acl --bucket bench --acl public-read
  $s3 sync "$work/raw/2020_11_04_CPJUMP1/$plate/Images" "$dataset/images/2020_11_04_CPJUMP1/images/$plate/Images/" --acl public-read --only-show-errors
  for folder in platemaps external_metadata; do $s3 sync "$work/metadata/$folder" "$dataset/workspace/metadata/$folder/" --acl public-read --only-show-errors; done
  s3_config() { # name, keep_raw, cache mode
    cat > "$work/$1.yml" <<Y
cpjump:
  batch: "2020_11_04_CPJUMP1"
  endpoint: "$dataset"
  plates: ["$plate"]
  local: { raw_images: "$work/$1/raw", metadata: "$work/$1/metadata", tensors: "$work/$1/tensors", features: "$work/$1/features", state: "$work/$1/.cpbuild" }
$recipe
  build: { lock: "$work/$1/data.lock.json" }
  fetch: { source: "s3", endpoint_url: "http://127.0.0.1:$port/", keep_raw: $2 }
  cache: { url: "$work/cache", mode: $3 }
Y
  }
  # The main-branch runner syncs the images, so its lock records their digests; the no-images runner starts from that lock.
  s3_config main true read-write
  s3_config no-images false read
  ./build.sh --target=Sites --config="$work/main.yml" > "$work/main.log"
  mkdir -p "$work/committed" && cp -r "$work/main/data.lock.json" "$work/main/data.lock.d" "$work/committed/"
  kinds+=(no-images)
fi

image_gets() { grep -c "GET /bench/cpg0000-jump-pilot/source_4/images/" "$work/moto.log" || true; }

timed() { # name, round: a fresh runner (no outputs, no state; the no-images runner holds the committed lock) builds the Sites target
  rm -rf "${work:?}/$1"
  local target=(--target=Sites --exclusive) gets
  if [[ $1 == no-images ]]; then mkdir -p "$work/$1" && cp -r "$work/committed/." "$work/$1/" && target=(--target=Sites); gets=$(image_gets); fi
  local start=$EPOCHREALTIME
  ./build.sh "${target[@]}" --config="$work/$1.yml" > "$work/$1-$2.log"
  echo "$start $EPOCHREALTIME" > "$work/$1-$2.seconds"
  if [[ $1 == no-images ]]; then echo $(( $(image_gets) - gets )) > "$work/$1-$2.gets"; fi
}
for round in $(seq 1 "$rounds"); do
  order=("${kinds[@]}"); (( round % 2 )) || order=($(printf '%s\n' "${kinds[@]}" | tac))
  for kind in "${order[@]}"; do timed "$kind" "$round"; done
  for kind in "${kinds[@]:1}"; do
    cmp -s <(cd "$work/cold" && find tensors features -type f -print0 | sort -z | xargs -0 sha256sum) \
           <(cd "$work/$kind" && find tensors features -type f -print0 | sort -z | xargs -0 sha256sum) \
      || { echo "round $round: outputs differ between the cold build and $kind" >&2; exit 1; }
  done
  cmp -s "$work/cold/data.lock.json" "$work/warm/data.lock.json" || { echo "round $round: the warm runner's lock differs from the cold build's" >&2; exit 1; }
done

echo "== fresh runners with a warm folder cache vs cold build, Sites target, $sites sites, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$rounds" "${kinds[@]}" <<'PY'
import os, re, statistics, sys
work, rounds, kinds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def summary(text, stage, kind):
    line = re.search(rf"^{stage}: (\d+) items: \d+ up to date, (\d+) rebuilt(?:, (\d+) fetched \(([0-9.]+) (bytes|kB|MB)\))?, (\d+) failed.*\[(?:(\d+)m)?([0-9.]+)s\]$", text, re.M)
    if line is None or int(line.group(6)) != 0:
        sys.exit(f"no clean '{stage}:' summary")
    built, fetched = int(line.group(2)), int(line.group(3) or 0)
    if (kind == "cold" and (built == 0 or fetched)) or (kind != "cold" and (built or fetched == 0)):
        sys.exit(f"{kind}: {stage} built {built}, fetched {fetched}")
    size = float(line.group(4) or 0) * {"bytes": 1, "kB": 1e3, "MB": 1e6}[line.group(5) or "bytes"]
    return int(line.group(7) or 0) * 60 + float(line.group(8)), fetched, size

whole = {kind: [] for kind in kinds}
task = {kind: [] for kind in kinds}
for round in range(1, rounds + 1):
    for kind in kinds:
        text = open(f"{work}/{kind}-{round}.log", encoding="utf-8").read()
        start, end = map(float, open(f"{work}/{kind}-{round}.seconds").read().split())
        whole[kind].append(end - start)
        seconds, _, _ = summary(text, "features", kind)  # stages run together report the same wall time
        task[kind].append(seconds)
        if kind == "warm":
            fetched = [summary(text, stage, kind) for stage in ("tensors", "features")]
    print(f"round {round}: " + "; ".join(f"{kind} Sites task {task[kind][-1]:.1f} s, whole command {whole[kind][-1]:.1f} s" for kind in kinds))
for kind in kinds[1:]:
    for name, figures in (("Sites task", task), ("whole command", whole)):
        best = min(figures[kind]) / min(figures["cold"])
        median = statistics.median(figures[kind]) / statistics.median(figures["cold"])
        print(f"{kind}/cold {name}: best {min(figures[kind]):.1f}/{min(figures['cold']):.1f} s = {best:.2f}, median {statistics.median(figures[kind]):.1f}/{statistics.median(figures['cold']):.1f} s = {median:.2f}")
print("fetched per warm run: " + ", ".join(f"{stage} {count} items {size / 1e6:.1f} MB" for stage, (_, count, size) in zip(("tensors", "features"), fetched)))
if "no-images" in kinds:
    gets = [int(open(f"{work}/no-images-{round}.gets").read()) for round in range(1, rounds + 1)]
    print(f"image GETs per no-images run: {gets} (its Download lists the bucket and fetches the metadata only)")
PY
echo "work dir: $work"
