#!/usr/bin/env bash
# Submits a sharded data build to Slurm: a job array of N shard tasks and a merge job that starts only when all of
# them succeeded (--dependency=afterok). Run from anywhere; the repository must be on storage the nodes share.
#   scripts/slurm/submit.sh --config=configs/cpjump1.yml --shards=16 [--target=Sites] [--run=ID] [--gpu]
#                           [--tasks=LIST] [--plan=FILE] [--logs=DIR] [--partition=P] [-- extra sbatch options]
# --gpu        asks each shard task for one GPU (--gres=gpu:1), for Features or Sites
# --tasks=3,7  resubmits only those tasks of the run (e.g. after one was killed), then a new merge
# --plan=FILE  a shard plan to follow; default: made now (ShardPlan) into artifacts/shard-plan-<run>.json
# --logs=DIR   where the tasks' output goes (default artifacts/slurm)
# Prints the array and merge job ids ("array <id>", "merge <id>").
set -euo pipefail
cd "$(dirname "$0")/../.."
config=configs/sample.yml; shards=""; target=Sites; run=""; gres=(); tasks=""; plan=""; logs=artifacts/slurm; extra=()
while (( $# )); do
  case "$1" in
    --config=*) config=${1#*=} ;;
    --shards=*) shards=${1#*=} ;;
    --target=*) target=${1#*=} ;;
    --run=*) run=${1#*=} ;;
    --gpu) gres=(--gres=gpu:1) ;;
    --tasks=*) tasks=${1#*=} ;;
    --plan=*) plan=${1#*=} ;;
    --logs=*) logs=${1#*=} ;;
    --partition=*) extra+=(--partition="${1#*=}") ;;
    --) shift; extra+=("$@"); break ;;
    *) echo "submit.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: --shards=N (a whole number >= 1) is required" >&2; exit 2; }
run=${run:-$target}
if [[ -z "$plan" ]]; then
  plan="artifacts/shard-plan-$run.json"
  [[ -n "$tasks" && -f "$plan" ]] || ./build.sh --target=ShardPlan --shards="$shards" --config="$config" --out="$plan" | sed -n '/^shard plan/,/^balance/p'
fi
mkdir -p "$logs"
export CPB_CONFIG="$config" CPB_TARGET="$target" CPB_RUN="$run" CPB_SHARDS="$shards" CPB_SHARD_PLAN="$plan"
array=$(sbatch --parsable --export=ALL --array="${tasks:-1-$shards}" --output="$logs/slurm-%x-%A_%a.out" "${gres[@]}" "${extra[@]}" scripts/slurm/shard.sbatch)
array=${array%%;*}
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" --kill-on-invalid-dep=yes --output="$logs/slurm-%x-%j.out" "${extra[@]}" scripts/slurm/merge.sbatch)
echo "array ${array}"
echo "merge ${merge%%;*}"
