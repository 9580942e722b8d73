#!/usr/bin/env bash
# Tensors benchmark (prints figures; not a test).
#  (a) no-op: one synthetic full plate (384 wells x 9 sites = 3,456 sites x 5 channels, small images), built once,
#      then timed again: the engine's time (Cake's duration of the Tensors task), set-up, and the whole ./build.sh command.
#  (b) cold, on a realistic plate (bench/lib/synth_plate.py: Poisson + read noise, 1080x1080 16-bit LZW sized like the
#      real bucket's 2.47 MB files): whole commands, interleaved, each round with fresh outputs and state:
#      ./build.sh --target=Tensors with build.parallelism 2 and 1, and the Python reference (Pillow + torch
#      F.interpolate + torch.save, 2 threads over sites, bench/lib/reference_tensors.py) on the same plate.
#      Outputs are compared with the reference's; the raw read rate (cat) is the bound. With BASE=<another checkout>
#      (e.g. `git worktree add --detach /tmp/base <rev>`, built once), its 2-worker build joins the interleaved rounds.
# Usage: [NOOP_RUNS=3] [ROUNDS=3] [PREDICTOR=1|2] [SIZE=384] [SKIP_NOOP=1] [BASE=dir] [BENCH_DIR=dir] bench/tensors/run.sh [cold-sites (default 72)]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/bench.sh
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench.XXXXXX)}
mkdir -p "$work"
cold_sites=${1:-72}
noop_runs=${NOOP_RUNS:-3}
rounds=${ROUNDS:-3}
size=${SIZE:-384}
bench_require_python
echo "load: $(uptime)"

./build.sh --target=Sample --config=configs/sample.yml --wait-lock=3600 >/dev/null # builds the library once (waits for a build or test run holding the repository's own data root)

if [[ -z "${SKIP_NOOP:-}" ]]; then
  echo "== (a) no-op on one full plate (3,456 sites, 17,280 channel TIFFs), best of $noop_runs runs"
  all_wells=$(python3 -c "print(', '.join(f'\"{r}{c:02d}\"' for r in 'ABCDEFGHIJKLMNOP' for c in range(1, 25)))")
  bench_config "$work/noop.yml" "$work/noop/raw" "$work/noop" "" "  tensors: { size: 32 }
  sample: { image_size: 32, wells: [$all_wells], sites: 9 }"
  ./build.sh --target=Tensors --config="$work/noop.yml" > "$work/noop-cold.log"
  for run in $(seq "$noop_runs"); do
    bench_run "$work/noop-results.txt" whole-command "$run" "$work/noop-$run.log" ./build.sh --target=Tensors --config="$work/noop.yml"
    for task in Tensors Setup Sample Total:; do bench_record "$work/noop-results.txt" "task-$task" "$run" "$(bench_task_seconds "$work/noop-$run.log" "$task")"; done
  done
  grep '^tensors:' "$work/noop-1.log"
  echo "no-op (Tensors task: discovery, dirty check, lock record; Setup: config, run lock, stat cache load; Sample: checks the synthetic files exist):"
  bench_summary "$work/noop-results.txt" 0 ""
fi

echo "== (b) cold tensors, realistic 1080x1080 LZW -> $size, $cold_sites sites, $rounds interleaved rounds, $(nproc) cores"
raw="$work/raw"
bench_plate "$raw" "$cold_sites" "${PREDICTOR:-1}"
images=$(bench_images "$raw")
bytes=$(cat "$images"/*-ch[1-5]sk1fk1fl1.tiff | wc -c)
t0=$(date +%s.%N); cat "$images"/*-ch[1-5]sk1fk1fl1.tiff > /dev/null; t1=$(date +%s.%N)
results="$work/cold-results.txt"
: > "$results"
variants=(workers-2 reference workers-1)
[[ -n "${BASE:-}" ]] && variants+=(base-workers-2) && base=$(cd "$BASE" && pwd)
for round in $(seq "$rounds"); do
  for offset in $(seq 0 $(( ${#variants[@]} - 1 ))); do
    variant=${variants[$(( (round + offset) % ${#variants[@]} ))]}
    out="$work/$variant"
    rm -rf "$out"
    case "$variant" in
      reference)
        bench_run "$results" reference "$round" "$work/reference-$round.log" \
          /usr/bin/python3 bench/lib/reference_tensors.py "$images" "$out/tensors/$bench_barcode" --size "$size" --threads 2
        bench_record "$results" reference-loop "$round" "$(grep -oE 'in [0-9.]+ s' "$work/reference-$round.log" | tr -dc '0-9.')" ;;
      base-workers-2)
        bench_config "$work/$variant.yml" "$raw" "$out" "parallelism: 2" "  tensors: { size: $size }"
        bench_run "$results" "$variant" "$round" "$work/$variant-$round.log" "$base/build.sh" --target=Tensors --config="$work/$variant.yml"
        bench_record "$results" "$variant-task" "$round" "$(bench_task_seconds "$work/$variant-$round.log" Tensors)" ;;
      *)
        bench_config "$work/$variant.yml" "$raw" "$out" "parallelism: ${variant#workers-}" "  tensors: { size: $size }"
        bench_run "$results" "$variant" "$round" "$work/$variant-$round.log" ./build.sh --target=Tensors --config="$work/$variant.yml"
        bench_record "$results" "$variant-task" "$round" "$(bench_task_seconds "$work/$variant-$round.log" Tensors)" ;;
    esac
  done
done
grep -h '^tensors:\|^  time:' "$work/workers-2-1.log" || true
echo "whole commands (new processes) and the figures inside them (-task: Cake's Tensors task; reference-loop: the reference's site loop without imports):"
comparisons=(workers-2:reference workers-2-task:reference-loop workers-2:workers-1 workers-2-task:workers-1-task)
[[ -n "${BASE:-}" ]] && comparisons+=(workers-2:base-workers-2 workers-2-task:base-workers-2-task)
bench_summary "$results" "$cold_sites" sites "${comparisons[@]}"
/usr/bin/python3 - "$work/workers-2/tensors/$bench_barcode" "$work/reference/tensors/$bench_barcode" <<'PY'
import os, sys, torch
ours, theirs = sys.argv[1], sys.argv[2]
names = sorted(name for name in os.listdir(theirs) if name.endswith(".pt"))
worst, differing, total = 0.0, 0, 0
for name in names:
    a, b = torch.load(os.path.join(ours, name)), torch.load(os.path.join(theirs, name))
    worst = max(worst, (a - b).abs().max().item())
    differing += int((a != b).sum())
    total += a.numel()
print(f"outputs vs the reference (torch {torch.__version__}): {len(names)} sites, max |difference| {worst:.3g}, "
      f"{differing} of {total} values differ")
PY
/usr/bin/python3 - "$t0" "$t1" "$bytes" "$cold_sites" <<'PY'
import sys
t0, t1, size, sites = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"channel 1-5 bytes: {size / 1e6:.1f} MB ({size / sites / 5 / 1e6:.3f} MB per file); raw read (cat, page cache warm): "
      f"{size / (t1 - t0) / 1e6:.0f} MB/s = {sites / (t1 - t0):.0f} sites/s read bound")
PY
echo "load: $(uptime)"
echo "work dir: $work"
