#!/usr/bin/env bash
# Sites benchmark (prints figures; not a test), cold, on a realistic plate (bench/lib/synth_plate.py: noisy
# 1080x1080 16-bit LZW sized like the real bucket's files), whole commands as new processes, interleaved, each with
# fresh outputs and state: `./build.sh --target=Sites` (tensors S 224 + features of the committed tiny model, S 64,
# CPU, each site's TIFFs decoded once), `--target=Tensors` then `--target=Features` apart, and the Python
# reference's tensor stage alone (Pillow + torch F.interpolate to 224 + torch.save, 2 threads over sites). Outputs of
# together and apart must be identical.
# Usage: [ROUNDS=2] [PREDICTOR=1|2] [BENCH_DIR=dir] bench/sites/run.sh [sites (default 36)]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/bench.sh
sites=${1:-36}
rounds=${ROUNDS:-2}
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-bench-sites.XXXXXX)}
mkdir -p "$work"
tiny="$(pwd)/models/tiny-dinov3.onnx"
bench_require_python
echo "load: $(uptime)"
./build.sh --target=Sample --config=configs/sample.yml --wait-lock=3600 >/dev/null # builds the library once (waits for a build or test run holding the repository's own data root)
bench_plate "$work/raw" "$sites" "${PREDICTOR:-1}"
images=$(bench_images "$work/raw")
extraction="  tensors: { size: 224 }
  extraction: { model: \"tiny-dinov3\", model_path: \"$tiny\", model_sha256: \"$(sha256sum "$tiny" | cut -d' ' -f1)\", input_size: 64, device: \"cpu\", batch_size: 16 }"
results="$work/results.txt"
: > "$results"
variants=(together reference apart)
for round in $(seq "$rounds"); do
  for offset in 0 1 2; do
    variant=${variants[$(( (round + offset) % 3 ))]}
    rm -rf "${work:?}/$variant"
    case "$variant" in
      together)
        bench_config "$work/together.yml" "$work/raw" "$work/together" "" "$extraction"
        bench_run "$results" sites "$round" "$work/together-$round.log" ./build.sh --target=Sites --config="$work/together.yml"
        bench_record "$results" sites-task "$round" "$(bench_task_seconds "$work/together-$round.log" Sites)" ;;
      apart)
        bench_config "$work/apart.yml" "$work/raw" "$work/apart" "" "$extraction"
        run_apart() { ./build.sh --target=Tensors --config="$work/apart.yml" && ./build.sh --target=Features --config="$work/apart.yml"; }
        export work; export -f run_apart
        bench_run "$results" tensors-then-features "$round" "$work/apart-$round.log" run_apart ;;
      reference)
        bench_run "$results" reference-tensors "$round" "$work/reference-$round.log" \
          /usr/bin/python3 bench/lib/reference_tensors.py "$images" "$work/reference/tensors/$bench_barcode" --size 224 --threads 2
        bench_record "$results" reference-loop "$round" "$(grep -oE 'in [0-9.]+ s' "$work/reference-$round.log" | tr -dc '0-9.')" ;;
    esac
  done
  cmp -s <(cd "$work/apart" && find tensors features -type f -print0 | sort -z | xargs -0 sha256sum) \
         <(cd "$work/together" && find tensors features -type f -print0 | sort -z | xargs -0 sha256sum) \
    || { echo "round $round: outputs differ between apart and together" >&2; exit 1; }
done
grep -h '^tensors:\|^features:\|^  time:' "$work/together-1.log" || true
echo "== cold, $sites sites, $rounds interleaved rounds, $(nproc) cores (sites-task: Cake's Sites task; reference-loop: the reference's site loop without imports)"
bench_summary "$results" "$sites" sites sites:reference-tensors sites-task:reference-loop sites:tensors-then-features
echo "load: $(uptime)"
echo "work dir: $work"
