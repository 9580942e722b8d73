# Shared by the bench/*/run.sh scripts (source it): the realistic plate, configs, timing of whole commands and the
# summary of interleaved rounds. Benches print figures; they are not tests.

bench_batch="2020_11_04_CPJUMP1"
bench_plate="BR00116991__2020-11-05T19_51_35-Measurement1"
bench_barcode="${bench_plate%%__*}"
bench_lib="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Pillow writes the synthetic TIFFs and decodes them in the reference; Debian's package, next to Debian's torch.
bench_require_python() {
  if ! /usr/bin/python3 -c "import PIL, numpy, torch" 2>/dev/null; then
    echo "bench: installing python3-pil python3-numpy python3-torch from Debian"
    local sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-pil python3-numpy python3-torch >/dev/null
  fi
}

# bench_plate RAW SITES [PREDICTOR]: a noisy plate (LZW sized like the real bucket's files) under RAW/<batch>/<plate>/Images,
# kept when it is already there with that many sites and predictor; prints its mean file size.
bench_plate() {
  local images="$1/$bench_batch/$bench_plate/Images" stamp="$1/.plate-$2-${3:-1}"
  if [[ ! -f "$stamp" ]]; then
    rm -rf "$1" && mkdir -p "$images"
    /usr/bin/python3 "$bench_lib/synth_plate.py" "$images" --sites "$2" --predictor "${3:-1}" | tee "$stamp"
  else
    cat "$stamp"
  fi
}

bench_images() { echo "$1/$bench_batch/$bench_plate/Images"; }

# bench_config FILE RAW ROOT [BUILD KEYS] [MORE SECTIONS]: a config reading the plate under RAW, writing everything
# under ROOT; BUILD KEYS go into the build section (e.g. "parallelism: 1"), MORE SECTIONS are further YAML lines.
bench_config() {
  cat > "$1" <<Y
cpjump:
  batch: "$bench_batch"
  plates: ["$bench_plate"]
  local: { raw_images: "$2", metadata: "$3/metadata", tensors: "$3/tensors", features: "$3/features", state: "$3/.cpbuild" }
  build: { lock: "$3/data.lock.json"${4:+, $4} }
${5:-}
Y
}

# bench_run RESULTS LABEL ROUND LOG COMMAND...: runs COMMAND as a new process, appends "LABEL ROUND wall-seconds
# peak-RSS-kB CPU-seconds" (user + system, children included) to RESULTS; its output goes to LOG. Fails the bench
# when COMMAND fails. On a loaded machine the CPU seconds are the steadier figure.
bench_run() {
  local results="$1" label="$2" round="$3" log="$4" timing
  shift 4
  timing=$(mktemp)
  # Through bash, so COMMAND may be a function the script exported (export -f) with the variables it reads.
  if ! /usr/bin/time -f "%e %M %U %S" -o "$timing" bash -c '"$@"' bench "$@" > "$log" 2>&1; then
    echo "bench: '$*' failed; its output is in $log" >&2
    tail -20 "$log" >&2
    rm -f "$timing"
    return 1
  fi
  awk -v label="$label" -v round="$round" 'END { print label, round, $1, $2, $3 + $4 }' "$timing" >> "$results"
  rm -f "$timing"
}

# bench_record RESULTS LABEL ROUND SECONDS: a figure read from a log (a task's or stage's own time), RSS and CPU unknown.
bench_record() { echo "$2 $3 $4 0 0" >> "$1"; }

# A task's duration from Cake's summary table (hh:mm:ss.fffffff), in seconds.
bench_task_seconds() { awk -v task="$2" '$1 == task && $2 ~ /^[0-9]+:[0-9]+:[0-9.]+$/ { split($2, t, ":"); print t[1] * 3600 + t[2] * 60 + t[3] }' "$1"; }

# A stage's time from its summary line ("tensors: N items: ... [1m2.3s]"), in seconds.
bench_stage_seconds() {
  grep -E "^$2: " "$1" | grep -oE '\[([0-9]+m)?[0-9.]+s\]$' | tr -d '[]s' | awk -F m '{ print (NF == 2 ? $1 * 60 + $2 : $1) }'
}

# bench_summary RESULTS UNITS [BASELINE-LABEL [PAIRS...]]: best and median per label (seconds, RSS), items/s when UNITS
# (a count) is given, and per-round ratios "label/baseline" (baseline time / label time: > 1 means label is faster).
bench_summary() { /usr/bin/python3 "$bench_lib/summary.py" "$@"; }
