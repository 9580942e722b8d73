#!/usr/bin/env bash
# Chaos bench (prints figures; not a test): what the build does under repetition, kill -9, racing builds and bad
# input, on synthetic CPJUMP1-shaped plates.
#   1. CHAOS_CLEAN clean `Sites` builds in a row on a ~100-site plate set (a crash: non-zero exit or no lock)
#   2. CHAOS_KILLS kill -9 trials of `Default` at a random point: every .pt left behind must load with
#      torch.load(weights_only=True); the resumed build, Verify and a byte comparison with an uninterrupted build
#      must all agree (corrupt: a file that does not load or differs; lost: a file or lock entry missing)
#   3. two builds racing on one data root, and two configs (own state and lock) on the same output folders
#   4. the bad-input catalogue: per case the exit code, the message's first line, and whether the other sites built
# Last line: clean_crashes=C/N kills=K corrupt=X lost=L verify_fail=V bad_inputs_clear=M/T
# Parameters (environment): CHAOS_CLEAN (default 10), CHAOS_KILLS (5), CHAOS_WELLS wells per plate for the clean and
# kill plates (17: 3 plates x 17 wells x 2 sites = 102 sites), CHAOS_RACES (1: run part 3), CHAOS_BAD_INPUTS (1: run
# part 4), CHAOS_SEED (random kill points), CHAOS_REPO (the checkout whose build.sh runs; default this one),
# CHAOS_DIR (work folder; default a new temporary one, deleted at the end unless CHAOS_KEEP=1).
set -uo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
repo="$(cd "${CHAOS_REPO:-$here}" && pwd)"
clean_runs=${CHAOS_CLEAN:-10}
kills=${CHAOS_KILLS:-5}
wells_per_plate=${CHAOS_WELLS:-17}
races=${CHAOS_RACES:-1}
bad_inputs=${CHAOS_BAD_INPUTS:-1}
RANDOM=${CHAOS_SEED:-$$}
work=${CHAOS_DIR:-$(mktemp -d /tmp/cpbuild-chaos.XXXXXX)}
mkdir -p "$work"
[[ -n "${CHAOS_KEEP:-}" || -n "${CHAOS_DIR:-}" ]] || trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
py=/usr/bin/python3
tiny="$repo/models/tiny-dinov3.onnx"
tiny_sha=$(sha256sum "$tiny" | cut -d' ' -f1)
plates='["BR00116991__2020-11-05T19_51_35-Measurement1", "BR00117000__2020-11-03T07_28_24-Measurement1", "BR00117006__2020-11-02T19_54_45-Measurement1"]'
wells_list() { $py -c "import sys; w=[f'\"{r}{c:02d}\"' for r in 'ABCDEFGHIJKLMNOP' for c in range(1, 25)]; print(', '.join(w[:int(sys.argv[1])]))" "$1"; }

# config NAME SOURCE [OUTPUTS]: a build whose raw images come from $work/SOURCE (synthesised once), with its own
# metadata copy, state and lock under $work/NAME, and its outputs under $work/OUTPUTS (default NAME).
config() {
  local name=$1 source=$2 outputs=${3:-$1}
  cat > "$work/$name.yml" <<Y
cpjump:
  batch: "2020_11_04_CPJUMP1"
  plates: $plates
  local: { raw_images: "$work/$source/raw", metadata: "$work/$name/metadata", tensors: "$work/$outputs/tensors", features: "$work/$outputs/features", splits: "$work/$outputs/splits", state: "$work/$name/state" }
  tensors: { size: 96 }
  extraction: { model: "tiny-dinov3", model_path: "$tiny", model_sha256: "$tiny_sha", input_size: 64, device: "cpu", batch_size: 8 }
  build: { lock: "$work/$name/data.lock.json" }
  sample: { image_size: 270, wells: [$(cat "$work/$source.wells")], sites: 2, seed: 1 }
Y
}

# fresh NAME SOURCE [OUTPUTS]: a new build folder: no state, outputs or lock; the source's metadata copied in.
fresh() {
  chmod -R u+w "$work/$1" "$work/${3:-$1}" 2>/dev/null
  rm -rf "${work:?}/$1" "${work:?}/${3:-$1}"
  mkdir -p "$work/$1"
  cp -r "$work/$2/metadata" "$work/$1/metadata"
  config "$@"
}

# source NAME WELLS: synthesise a raw plate set once (Sample target), kept as the read-only input of many builds.
source_set() {
  wells_list "$2" > "$work/$1.wells"
  mkdir -p "$work/$1"
  cat > "$work/$1-sample.yml" <<Y
cpjump:
  batch: "2020_11_04_CPJUMP1"
  plates: $plates
  local: { raw_images: "$work/$1/raw", metadata: "$work/$1/metadata", tensors: "$work/$1/tensors", features: "$work/$1/features", splits: "$work/$1/splits", state: "$work/$1/state" }
  build: { lock: "$work/$1/data.lock.json" }
  sample: { image_size: 270, wells: [$(cat "$work/$1.wells")], sites: 2, seed: 1 }
Y
  "$repo/build.sh" --target=Sample --config="$work/$1-sample.yml" > "$work/$1-sample.log" 2>&1 \
    || { echo "could not synthesise $1 (see $work/$1-sample.log)" >&2; exit 2; }
}

build() { # NAME TARGET [options...]: one build as a user runs it; output in $work/NAME-TARGET.log
  local name=$1 target=$2
  shift 2
  "$repo/build.sh" --target="$target" --config="$work/$name.yml" "$@" > "$work/$name-$target.log" 2>&1
}

outputs_of() { # FOLDER: every output and lock file of a build, as "sha256  relative path", sorted
  (cd "$1" && find tensors features splits metadata/cache data.lock.json data.lock.d -type f 2>/dev/null -print0 | sort -z | xargs -0 -r sha256sum)
}

unloadable() { # FOLDER: how many .pt files under it torch.load(weights_only=True) refuses (names on stderr)
  $py - "$1" <<'PY'
import pathlib, sys, torch
bad = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.pt")):
    try:
        torch.load(path, weights_only=True)
    except Exception as error:  # any failure to load is corruption
        bad += 1
        print(f"  corrupt {path}: {error}", file=sys.stderr)
print(bad)
PY
}

now() { date +%s.%N; }

$py -c "import torch" 2>/dev/null || { echo "chaos: $py cannot import torch, which checks the outputs load (apt-get install python3-torch; ./build.sh --target=Test installs it)" >&2; exit 2; }
echo "== chaos bench: repo $repo, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
source_set plates "$wells_per_plate"
sites=$(( 3 * wells_per_plate * 2 ))

# -- 1. clean builds in a row
crashes=0 times=()
for run in $(seq 1 "$clean_runs"); do
  fresh clean plates
  start=$(now)
  build clean Sites --exclusive
  rc=$?
  took=$(echo "$(now) - $start" | bc)
  if (( rc != 0 )) || [[ ! -f "$work/clean/data.lock.json" ]] || grep -q "Exception" "$work/clean-Sites.log"; then
    crashes=$((crashes + 1))
    cp "$work/clean-Sites.log" "$work/crash-$run.log"
    echo "clean $run: CRASH rc=$rc ($(grep -m1 -E "Exception|Error" "$work/clean-Sites.log"))"
  fi
  times+=("$took")
done
if (( clean_runs > 0 )); then
  echo "clean Sites builds: $clean_runs on $sites sites, $crashes crashed; whole command best $(printf '%s\n' "${times[@]}" | sort -n | head -1) s, median $(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (clean_runs + 1) / 2 ))p") s"
fi

# -- 2. kill -9 at random points, resume, verify, compare
corrupt=0 lost=0 verify_fail=0 resume_fail=0
if (( kills > 0 )); then
  fresh reference plates
  start=$(now)
  build reference Default || { echo "the uninterrupted build failed (see $work/reference-Default.log)" >&2; exit 2; }
  span=$(echo "$(now) - $start" | bc)
  outputs_of "$work/reference" > "$work/reference.sums"
  echo "reference Default build: $(wc -l < "$work/reference.sums") files in ${span} s"
  for trial in $(seq 1 "$kills"); do
    fresh trial plates
    # A random point in the build's span (start-up included, so some kills land before any item).
    delay=$(echo "scale=2; $span * $RANDOM / 32767" | bc)
    setsid "$repo/build.sh" --target=Default --config="$work/trial.yml" > "$work/trial-killed.log" 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    done_before=$(find "$work/trial/tensors" "$work/trial/features" -name '*.pt' 2>/dev/null | wc -l)
    bad=$(unloadable "$work/trial")
    build trial Default || resume_fail=$((resume_fail + 1))
    build trial Verify; verify_rc=$?
    (( verify_rc == 0 )) || verify_fail=$((verify_fail + 1))
    bad=$((bad + $(unloadable "$work/trial")))
    outputs_of "$work/trial" > "$work/trial.sums"
    missing=$(comm -23 <(awk '{print $2}' "$work/reference.sums") <(awk '{print $2}' "$work/trial.sums") | wc -l)
    differing=$(join -j 2 <(sort -k2 "$work/reference.sums") <(sort -k2 "$work/trial.sums") | awk '$2 != $3' | wc -l)
    corrupt=$((corrupt + bad + differing))
    lost=$((lost + missing))
    echo "kill $trial: at ${delay} s, $done_before .pt on disk; resume: $(grep -m1 -oE "^tensors: [0-9]+ items: [0-9]+ up to date, [0-9]+ rebuilt" "$work/trial-Default.log" || echo "no tensors summary"); unloadable $bad, differing $differing, missing $missing, verify rc $verify_rc"
  done
  (( resume_fail == 0 )) || echo "resumed builds that failed: $resume_fail"
fi

# -- 3. racing builds
if (( races > 0 )); then
  # race NAME-A NAME-B LABEL: both builds start together; exactly one must build, the other refuse naming the holder.
  race() {
    build "$1" Sites --exclusive & local pid=$!
    build "$2" Sites --exclusive; local rc_b=$?
    wait "$pid"; local rc_a=$?
    local refusal
    refusal=$(grep -h -m1 -oE "Another build [^;]*" "$work/$1-Sites.log" "$work/$2-Sites.log" | head -1)
    echo "$3: rc $rc_a and $rc_b; ${refusal:-no refusal}"
    if (( (rc_a == 0) + (rc_b == 0) != 1 )) || [[ -z "$refusal" ]]; then corrupt=$((corrupt + 1)); fi
    local winner=$1
    (( rc_a == 0 )) || winner=$2
    # The race built Sites alone: the rest of the plan first, so Verify judges the winner's outputs, not missing targets.
    { build "$winner" Default && build "$winner" Verify; } || verify_fail=$((verify_fail + 1))
  }
  fresh race plates
  cp "$work/race.yml" "$work/race-twin.yml"
  race race race-twin "two builds on one data root"
  fresh shared-a plates shared; fresh shared-b plates shared-b
  config shared-b plates shared # the same output folders; its own state, metadata copy and lock
  race shared-a shared-b "two configs (own state and lock) on the same output folders"
fi

# -- 4. bad inputs, on the small sample plate set
clear=0 cases=0
if (( bad_inputs > 0 )); then
  source_set small 3
  small_sites=18
  plate=BR00116991__2020-11-05T19_51_35-Measurement1
  images="$work/bad/raw/2020_11_04_CPJUMP1/$plate/Images"
  tiff="r01c01f01p01-ch1sk1fk1fl1.tiff"
  echo "bad inputs (${small_sites}-site sample; clear = exit != 0, the message names the culprit, other sites built):"
  printf '  %-28s %-4s %-7s %s\n' case exit others "first line of the message"
  # bad_case NAME TARGET EXPECT OTHERS SETUP...: run SETUP on a fresh copy, then TARGET; EXPECT is a regex the first
  # message line must match; OTHERS is the number of tensors that must still be built (- when none may be).
  bad_case() {
    local name=$1 target=$2 expect=$3 others=$4
    shift 4
    chmod -R u+w "$work/bad" 2>/dev/null; rm -rf "$work/bad"
    mkdir -p "$work/bad"; cp -r "$work/small/raw" "$work/small/metadata" "$work/bad/"
    config bad small
    # Its own raw copy, and no sample section: the Sample target would rewrite a deleted input.
    sed -i -e "s#raw_images: \"$work/small/raw\"#raw_images: \"$work/bad/raw\"#" -e '/^  sample:/d' "$work/bad.yml"
    (cd "$work/bad" && eval "$@")
    build bad "$target"
    local rc=$?
    local line
    line=$(sed 's/\x1b\[[0-9;]*m//g' "$work/bad-$target.log" | grep -v "An error occurred" | grep -m1 -E "FAILED|[Ee]rror[: ]|refus|cannot|conflict" | sed -E 's/^ +//; s/^Error: //')
    local built
    built=$(find "$work/bad/tensors" -name 'r*.pt' 2>/dev/null | wc -l)
    local ok=1
    (( rc != 0 )) || ok=0
    [[ "$line" =~ $expect ]] || ok=0
    if [[ "$others" == "-" ]]; then (( built == 0 )) || ok=0; else (( built >= others )) || ok=0; fi
    cases=$((cases + 1)); clear=$((clear + ok))
    printf '  %-28s %-4s %-7s %s%s\n' "$name" "$rc" "$built" "${line//$work/\$work}" "$( ((ok)) || echo "   <-- NOT CLEAR")"
  }
  plate_dir="raw/2020_11_04_CPJUMP1/$plate"
  bad_case tiff-zero-bytes Default "$tiff" 17 ": > $plate_dir/Images/$tiff"
  bad_case tiff-truncated Default "$tiff" 17 "truncate -s 300 $plate_dir/Images/$tiff"
  bad_case tiff-garbage Default "$tiff" 17 "head -c 40000 /dev/urandom > $plate_dir/Images/$tiff"
  bad_case config-tab Sites "bad.yml:7:" - "sed -i '7s/^  /\t/' ../bad.yml"
  bad_case config-unknown-key Sites "bad.yml:[0-9]+: unknown key" - "sed -i 's/^  tensors: { size: 96 }/  tensors: { size: 96, colour: red }/' ../bad.yml"
  bad_case config-wrong-type Sites "bad.yml:[0-9]+: .*integer" - "sed -i 's/size: 96/size: big/' ../bad.yml"
  bad_case platemap-missing Default "platemap" 17 "rm ../bad/metadata/platemaps/*/platemap/JUMP-Target-1_compound_platemap.txt"
  bad_case platemap-truncated Default "compound_platemap.txt:[0-9]+" 17 "f=\$(ls ../bad/metadata/platemaps/*/platemap/JUMP-Target-1_compound_platemap.txt); head -c 300 \$f > \$f.cut && mv \$f.cut \$f"
  bad_case external-metadata-truncated Default "\\.tsv:[0-9]+" 17 "f=\$(ls ../bad/metadata/external_metadata/*compound*.tsv | head -1); head -c 2000 \$f > \$f.cut && mv \$f.cut \$f"
  bad_case model-missing Default "onnx" 17 "sed -i 's#model_path: \"[^\"]*\"#model_path: \"$work/none.onnx\"#' ../bad.yml"
  bad_case model-wrong-digest Default "sha256|digest" 17 "sed -i 's/model_sha256: \"[0-9a-f]*\"/model_sha256: \"$(printf '0%.0s' {1..64})\"/' ../bad.yml"
  bad_case lock-conflict-markers Default "data.lock.json:[0-9]+" - "printf '<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n' > data.lock.json"
  bad_case lock-bad-json Default "$work/bad/data.lock.json:[1-9]" - "printf '{\n  \"lock_version\": 1,\n  \"targets\": {\n' > data.lock.json"
  bad_case plate-images-missing Default "BR00116991.*Images" 12 "rm -rf $plate_dir/Images"
  bad_case raw-root-missing Default "$work/bad/raw" - "rm -rf raw"
  if [[ $(id -u) -ne 0 ]]; then
    bad_case tensors-folder-read-only Default "Permission|denied|read-only" 12 "mkdir -p tensors/BR00116991 && chmod a-w tensors/BR00116991"
  fi
fi

echo "clean_crashes=$crashes/$clean_runs kills=$kills corrupt=$corrupt lost=$lost verify_fail=$verify_fail bad_inputs_clear=$clear/$cases"
