#!/usr/bin/env bash
# No-op benchmark at many plates (prints figures; not a test). P synthetic plates of small images (384 wells x 9 sites
# = 3,456 sites x channels 1-5 = 17,280 TIFFs per plate; 51 plates = 881,280 TIFFs, as the CPJUMP1 batch), built once,
# then `--target=Tensors` timed again with nothing to do, interleaved with the same run of a baseline checkout:
#   - the Tensors task (Cake's summary) and its stage line, Setup (state loading), the whole ./build.sh command,
#   - CPU seconds and peak RSS of the whole command (/usr/bin/time -v), local state bytes per input file,
#   - `find` over the same tree (the floor: listing and stat-ing every file),
#   - the state bytes a one-site change rewrites (one TIFF changed, one site rebuilt).
# The plates are one synthesised plate hard-linked P times, so they cost inodes for the outputs only (a plate links in
# 1-5 s: 51 plates took 4 min at load 40 on 2 cores, and a cold build of them ~10 min per variant; the default 3 plates
# take a few minutes in all). Outputs are 8x8 tensors (the no-op cost does not depend on their size).
# Usage: [PLATES=3] [RUNS=3] [BASE=/path/to/baseline/checkout] [BENCH_DIR=dir] [KEEP=1] bench/noop/run.sh
#   BASE: another checkout (e.g. `git worktree add --detach /tmp/noop-base main`) run interleaved with this one.
#   BENCH_DIR: where plates, outputs and state go (deleted at the end unless KEEP=1; reused when it holds the plates).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=$PWD
plates=${PLATES:-3}
runs=${RUNS:-3}
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-noop.XXXXXX)}
mkdir -p "$work"
batch="2020_11_04_CPJUMP1"
template_plate="BR00116991__2020-11-05T19_51_35-Measurement1"
raw="$work/raw/$batch"
all_wells=$(python3 -c "print(', '.join(f'\"{r}{c:02d}\"' for r in 'ABCDEFGHIJKLMNOP' for c in range(1, 25)))")
plate_name() { printf 'BR9%07d__2020-11-05T19_51_35-Measurement1' "$1"; }

variants=("new=$here")
[[ -n "${BASE:-}" ]] && variants=("base=$(cd "$BASE" && pwd)" "${variants[@]}")

echo "== load: $(uptime)"
echo "== $plates plates, $runs runs per variant, work dir $work, free disk: $(df -h --output=avail "$work" | tail -1)"

# One synthetic plate (small images), then hard links for the others.
if [[ ! -d "$work/template/raw/$batch/$template_plate/Images" ]]; then
  cat > "$work/template.yml" <<Y
cpjump:
  batch: "$batch"
  plates: ["$template_plate"]
  local: { raw_images: "$work/template/raw", metadata: "$work/template/metadata", tensors: "$work/template/tensors", state: "$work/template/.cpbuild" }
  build: { lock: "$work/template/data.lock.json" }
  sample: { image_size: 16, wells: [$all_wells], sites: 9 }
Y
  ./build.sh --target=Sample --config="$work/template.yml" > "$work/template.log"
fi
t0=$(date +%s.%N)
for p in $(seq "$plates"); do
  dir="$raw/$(plate_name "$p")/Images"
  [[ -d "$dir" ]] && continue
  mkdir -p "$dir"
  # Channels 1-5 only: what Tensors reads (the sample also writes brightfield 6-8).
  find "$work/template/raw/$batch/$template_plate/Images" -name '*-ch[1-5]sk1fk1fl1.tiff' -exec ln -t "$dir" {} +
done
t1=$(date +%s.%N)
inputs=$(find "$raw" -name '*.tiff' | wc -l)
echo "plates ready in $(python3 -c "print(f'{$t1 - $t0:.1f}')") s: $inputs input TIFFs"

plate_list=$(for p in $(seq "$plates"); do printf '"%s", ' "$(plate_name "$p")"; done)
for variant in "${variants[@]}"; do
  name=${variant%%=*}
  cat > "$work/$name.yml" <<Y
cpjump:
  batch: "$batch"
  plates: [${plate_list%, }]
  local: { raw_images: "$work/raw", metadata: "$work/$name/metadata", tensors: "$work/$name/tensors", state: "$work/$name/.cpbuild" }
  tensors: { size: 8 }
  build: { lock: "$work/$name/data.lock.json" }
Y
done

# A task's duration from Cake's summary table (hh:mm:ss.fffffff), in seconds.
task_seconds() { awk -v task="$2" '$1 == task && $2 ~ /^[0-9]+:[0-9]+:[0-9.]+$/ { split($2, t, ":"); print t[1] * 3600 + t[2] * 60 + t[3] }' "$1"; }
# The stage line's time: [12.3s] or, past a minute, [1m42s].
stage_seconds() { grep -o '^tensors: .*\[[0-9m.]*s\]' "$1" | grep -o '\[[0-9m.]*s\]' | tr -d '[]s' | awk -F'm' '{ print NF == 2 ? $1 * 60 + $2 : $1 }'; }
rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
# CPU seconds (user + system) of the whole command: steadier than wall time on a shared, loaded machine.
cpu_seconds() { awk -F': ' '/User time|System time/ { total += $2 } END { printf "%.2f", total }' "$1"; }
# Runs one variant's ./build.sh under /usr/bin/time; leaves its output in $work/<name>-<tag>.log.
run_variant() { # name dir tag [extra args]
  local name=$1 dir=$2 tag=$3; shift 3
  /usr/bin/time -v -o "$work/$name-$tag.time" "$dir/build.sh" --target=Tensors --config="$work/$name.yml" "$@" > "$work/$name-$tag.log" 2>&1 \
    || { echo "$name $tag failed:"; tail -30 "$work/$name-$tag.log"; exit 1; }
}
# path inode size of every state file, to tell what a run rewrote.
state_snapshot() { find "$1" -type f -printf '%p %i %s\n' | sort; }

for variant in "${variants[@]}"; do
  name=${variant%%=*}; dir=${variant#*=}
  [[ -f "$work/$name/data.lock.json" ]] && continue
  echo "cold build ($name)..."
  t0=$(date +%s.%N); run_variant "$name" "$dir" cold; t1=$(date +%s.%N)
  echo "  $(python3 -c "print(f'{$t1 - $t0:.0f}')") s; $(grep '^tensors:' "$work/$name-cold.log")"
  run_variant "$name" "$dir" warm # the first no-op after a cold build still saves what the cold one hashed
done

: > "$work/times.txt"
for run in $(seq "$runs"); do
  for variant in "${variants[@]}"; do
    name=${variant%%=*}; dir=${variant#*=}
    t0=$(date +%s.%N); run_variant "$name" "$dir" "noop-$run"; t1=$(date +%s.%N)
    log="$work/$name-noop-$run.log"
    grep -q '0 rebuilt' "$log" || { echo "$name run $run was not a no-op:"; grep '^tensors:' "$log"; exit 1; }
    echo "$name $(task_seconds "$log" Tensors) $(stage_seconds "$log") $(task_seconds "$log" Setup) $(python3 -c "print($t1 - $t0)") $(rss_mb "$work/$name-noop-$run.time") $(cpu_seconds "$work/$name-noop-$run.time")" >> "$work/times.txt"
  done
  t0=$(date +%s.%N); find "$raw" -printf '%s %T@\n' > /dev/null; t1=$(date +%s.%N)
  echo "find $(python3 -c "print($t1 - $t0)")" >> "$work/times.txt"
done

# A one-site change: one TIFF gets another channel's bytes (a valid TIFF, new content) in a new inode; another
# channel each time, so a rerun on kept plates changes it again.
site_file=$(find "$raw/$(plate_name 1)/Images" -name 'r01c01f01p01-ch1sk1fk1fl1.tiff')
for channel in 2 3 4 5; do
  other=${site_file/-ch1/-ch$channel}
  cmp -s "$other" "$site_file" || break
done
cp "$other" "$site_file.new" && mv "$site_file.new" "$site_file"
: > "$work/change.txt"
for variant in "${variants[@]}"; do
  name=${variant%%=*}; dir=${variant#*=}
  state_snapshot "$work/$name/.cpbuild" > "$work/$name-before.txt"
  run_variant "$name" "$dir" change
  grep -q '1 rebuilt' "$work/$name-change.log" || { echo "$name: the one-site change did not rebuild one site:"; grep '^tensors:' "$work/$name-change.log"; exit 1; }
  state_snapshot "$work/$name/.cpbuild" > "$work/$name-after.txt"
  python3 - "$name" "$work/$name-before.txt" "$work/$name-after.txt" >> "$work/change.txt" <<'PY'
import sys
def read(path):
    return {p: (int(i), int(s)) for p, i, s in (line.rsplit(' ', 2) for line in open(path).read().splitlines())}
before, after = read(sys.argv[2]), read(sys.argv[3])
# A file in a new inode was rewritten whole; one in the same inode that grew was appended to.
written = sum(s if before.get(p, (None, 0))[0] != i else max(0, s - before[p][1]) for p, (i, s) in after.items())
print(sys.argv[1], written, sum(s for _, s in after.values()))
PY
done

python3 - "$work/times.txt" "$work/change.txt" "$inputs" "$plates" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
inputs, plates = int(sys.argv[3]), int(sys.argv[4])
find = [float(r[1]) for r in rows if r[0] == 'find']
change = {r[0]: (int(r[1]), int(r[2])) for r in (line.split() for line in open(sys.argv[2]))}
names = list(dict.fromkeys(r[0] for r in rows if r[0] != 'find'))
def fig(values, unit='s'):
    return f"{min(values):.2f}/{statistics.median(values):.2f}"
print(f"\n== no-op --target=Tensors, {plates} plates, {inputs:,} input TIFFs; best/median of {len(find)} interleaved runs")
print(f"{'':6} {'task s':>12} {'stage s':>12} {'setup s':>12} {'whole s':>12} {'CPU s':>12} {'RSS MB':>12} {'whole/find':>11} {'state B/input':>14} {'change B':>12}")
for name in names:
    mine = [list(map(float, r[1:])) for r in rows if r[0] == name]
    task, stage, setup, whole, rss, cpu = zip(*mine)
    written, state = change[name]
    print(f"{name:6} {fig(task):>12} {fig(stage):>12} {fig(setup):>12} {fig(whole):>12} {fig(cpu):>12} {fig(rss):>12} "
          f"{min(whole) / min(find):>10.2f}x {state / inputs:>14.1f} {written:>12,}")
print(f"{'find':6} {fig(find):>12}   (find over the raw tree, printing size and mtime of every file)")
if len(names) == 2:
    base = [float(r[1]) for r in rows if r[0] == names[0]]
    new = [float(r[1]) for r in rows if r[0] == names[1]]
    print(f"task time {names[1]} / {names[0]}: best {min(new) / min(base):.2f}, median {statistics.median(new) / statistics.median(base):.2f}")
    base_cpu = [float(r[6]) for r in rows if r[0] == names[0]]
    new_cpu = [float(r[6]) for r in rows if r[0] == names[1]]
    print(f"whole-command CPU {names[1]} / {names[0]}: best {min(new_cpu) / min(base_cpu):.2f}, median {statistics.median(new_cpu) / statistics.median(base_cpu):.2f}")
print("goals (issue 13, at 51 plates): task <= 5 s, whole <= 7 s and <= 2x find, RSS <= 1.5 GB, state <= 40 B/input, change O(changed)")
PY
if [[ -z "${KEEP:-}" ]]; then rm -rf "$work"; else echo "kept $work"; fi
