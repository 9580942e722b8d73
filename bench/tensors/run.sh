#!/usr/bin/env bash
# Tensors benchmark (prints figures; not a test).
#  (a) no-op: one synthetic full plate (384 wells x 9 sites = 3,456 sites x 5 channels, small images), built once,
#      then timed again: the engine's time (Cake's duration of the Tensors task), set-up, and the whole ./build.sh command.
#  (b) cold: full-size 1080x1080 16-bit LZW TIFFs -> 384, sites/s, against the raw read bandwidth of the same
#      files (cat to /dev/null) measured in the same run.
# Usage: [NOOP_RUNS=3] [BENCH_DIR=dir] bench/tensors/run.sh [cold-sites (default 72)]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench.XXXXXX)}
mkdir -p "$work"
cold_sites=${1:-72}
noop_runs=${NOOP_RUNS:-3}
plate="BR00116991__2020-11-05T19_51_35-Measurement1"
all_wells=$(python3 -c "print(', '.join(f'\"{r}{c:02d}\"' for r in 'ABCDEFGHIJKLMNOP' for c in range(1, 25)))")

config() { # name image_size wells sites tensor_size
  cat > "$work/$1.yml" <<Y
cpjump:
  batch: "2020_11_04_CPJUMP1"
  plates: ["$plate"]
  local: { raw_images: "$work/$1/raw", metadata: "$work/$1/metadata", tensors: "$work/$1/tensors", state: "$work/$1/.cpbuild" }
  tensors: { size: $5 }
  build: { lock: "$work/$1/data.lock.json" }
  sample: { image_size: $2, wells: [$3], sites: $4 }
Y
}
now() { date +%s.%N; }
engine_seconds() { grep -o '^tensors: .*\[[0-9.]*s\]' "$1" | grep -o '\[[0-9.]*s\]' | tr -d '[]s'; }
# A task's duration from Cake's summary table (hh:mm:ss.fffffff), in seconds.
task_seconds() { awk -v task="$2" '$1 == task && $2 ~ /^[0-9]+:[0-9]+:[0-9.]+$/ { split($2, t, ":"); print t[1] * 3600 + t[2] * 60 + t[3] }' "$1"; }

./build.sh --target=Sample --config=configs/sample.yml >/dev/null # builds the library once

echo "== (a) no-op on one full plate (3,456 sites, 17,280 channel TIFFs), best of $noop_runs runs"
config noop 32 "$all_wells" 9 32
./build.sh --target=Tensors --config="$work/noop.yml" > "$work/noop-cold.log"
for run in $(seq "$noop_runs"); do
  t0=$(now); ./build.sh --target=Tensors --config="$work/noop.yml" > "$work/noop-$run.log"; t1=$(now)
  echo "$(task_seconds "$work/noop-$run.log" Tensors) $(engine_seconds "$work/noop-$run.log") $(task_seconds "$work/noop-$run.log" Setup) $(task_seconds "$work/noop-$run.log" Sample) $(task_seconds "$work/noop-$run.log" Total:) $(python3 -c "print($t1 - $t0)")"
done > "$work/noop-times.txt"
grep '^tensors:' "$work/noop-1.log"
python3 - "$work/noop-times.txt" <<'PY'
import sys
runs = [list(map(float, line.split())) for line in open(sys.argv[1])]
tensors, stage, setup, sample, total, whole = (min(column) for column in zip(*runs))
print(f"no-op engine time (Tensors task: discovery, dirty check, lock record): {tensors:.3f} s (target <= 0.150 s, {tensors / 0.15:.2f}x of budget)")
print(f"  of which the stage run (its summary line, 0.1 s steps): {stage:.1f} s")
print(f"set-up before the targets (config, run lock, stat cache load): {setup:.3f} s")
print(f"Sample task (this bench's config only: checks the 27,648 synthetic files exist): {sample:.3f} s")
print(f"no-op whole command (./build.sh): {whole:.2f} s; Cake's tasks: {total:.2f} s; outside the tasks (build.sh checks, dotnet and Cake start-up, compiling build.cake or loading it from Cake's cache): {whole - total:.2f} s")
print("runs (Tensors, stage, Setup, Sample, Cake total, whole command):", "; ".join(" ".join(f"{value:.3f}" for value in run) for run in runs))
PY

echo "== (b) cold tensors, 1080x1080 LZW -> 384"
wells_needed=$(( (cold_sites + 8) / 9 ))
cold_wells=$(python3 -c "import sys; w=[f'\"{r}{c:02d}\"' for r in 'ABCDEFGHIJKLMNOP' for c in range(1, 25)]; print(', '.join(w[:int(sys.argv[1])]))" "$wells_needed")
config cold 1080 "$cold_wells" 9 384
./build.sh --target=Sample --config="$work/cold.yml" >/dev/null
images="$work/cold/raw/2020_11_04_CPJUMP1/$plate/Images"
sites=$(ls "$images" | grep -c 'ch1sk1')
bytes=$(cat "$images"/*-ch[1-5]sk1fk1fl1.tiff | wc -c)
t0=$(now); cat "$images"/*-ch[1-5]sk1fk1fl1.tiff > /dev/null; t1=$(now)
./build.sh --target=Tensors --config="$work/cold.yml" > "$work/cold.log"
grep '^tensors:' "$work/cold.log"
python3 - "$(engine_seconds "$work/cold.log")" "$t0" "$t1" "$bytes" "$sites" "$(nproc)" <<'PY'
import sys
engine, t0, t1, size, sites, cores = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
read = t1 - t0
print(f"sites: {sites}, channel 1-5 bytes: {size / 1e6:.1f} MB ({size / sites / 1e6:.2f} MB/site)")
print(f"raw read (cat, page cache warm): {size / read / 1e6:.0f} MB/s = {sites / read:.0f} sites/s read bound")
print(f"cold tensors on {cores} cores: {sites / engine:.1f} sites/s ({engine:.2f} s) = {sites / engine / (sites / read) * 100:.1f}% of the read bound")
PY
echo "work dir: $work"
