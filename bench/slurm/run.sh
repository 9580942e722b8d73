#!/usr/bin/env bash
# Slurm check (prints figures; not a CI test: ~5-10 min on 2 busy cores): starts munge, slurmctld and slurmd on
# localhost as a one-node cluster configured under a temp folder (free ports, removed on exit, nothing written
# outside it), synthesises a 4-plate dataset (CPJUMP1-sized 1080x1080 sites), builds it on one machine, then with
# scripts/slurm/submit.sh as an array of 4 shard tasks plus the merge job (afterok), and checks:
#   1. the merged lock is byte-identical to the single-machine build's;
#   2. after one TIFF changes, a resubmission rebuilds exactly one site, in exactly one task;
#   3. a task killed (SIGKILL) mid-run leaves no shard lock, the chained merge is cancelled, and resubmitting that
#      task alone (--tasks=K) lets the new merge complete, again identical to the single-machine build.
# Usage: bench/slurm/run.sh [image size (default 1080)] [sites per well (default 2)]. KEEP=1 keeps the temp folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1080}
sites=${2:-2}
py=/usr/bin/python3

need=()
command -v slurmctld >/dev/null || need+=(slurm-wlm)
command -v munged >/dev/null || need+=(munge)
if (( ${#need[@]} )); then
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/cpb-slurm.XXXXXX)
chmod 711 "$work" # munged wants every folder above its socket searchable by all
daemons=()
cleanup() {
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 2
  for pid in "${daemons[@]}"; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [[ -n "${KEEP:-}" ]]; then echo "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { $py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# munge: its own key, socket, pid, log and seed files under the work dir (the socket in a folder all may search).
mkdir -m 700 "$work/munge"
mkdir -m 755 "$work/munge-socket"
mungekey --create --keyfile="$work/munge/munge.key"
munged --foreground --socket="$work/munge-socket/munge.sock" --key-file="$work/munge/munge.key" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed" 2>> "$work/munge/munged.stderr" &
daemons+=($!)

node=$(hostname -s)
mkdir -p "$work/slurm/state" "$work/slurm/spool" "$work/logs"
export SLURM_CONF="$work/slurm/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=cpbench
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
AuthInfo=socket=$work/munge-socket/munge.sock
CredType=cred/munge
StateSaveLocation=$work/slurm/state
SlurmdSpoolDir=$work/slurm/spool
SlurmctldPidFile=$work/slurm/slurmctld.pid
SlurmdPidFile=$work/slurm/slurmd.pid
SlurmctldLogFile=$work/slurm/slurmctld.log
SlurmdLogFile=$work/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
MinJobAge=3600
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=bench Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -c -f "$SLURM_CONF" 2>> "$work/slurm/slurmctld.stderr" & daemons+=($!)
slurmd -D -f "$SLURM_CONF" 2>> "$work/slurm/slurmd.stderr" & daemons+=($!)
for _ in $(seq 1 120); do
  [[ "$(timeout 5 sinfo -h -o %T 2>/dev/null)" == idle* ]] && break
  sleep 0.5
done
[[ "$(timeout 5 sinfo -h -o %T)" == idle* ]] || { echo "slurm did not come up:"; tail -20 "$work"/munge/munged.* "$work"/slurm/*.log "$work"/slurm/*.stderr; exit 1; }
echo "== slurm $(sinfo -V | cut -d' ' -f2): node $node, $(nproc) CPUs, up (config $SLURM_CONF)"

plates=(BR00116991__2020-11-05T19_51_35-Measurement1 BR00116992__2020-11-05T21_31_31-Measurement1
        BR00117000__2020-11-03T07_28_24-Measurement1 BR00117006__2020-11-02T19_54_45-Measurement1)
tiny="$(pwd)/models/tiny-dinov3.onnx"
config() { # name: outputs, state and lock of their own; raw images and metadata shared
  cat > "$work/$1.yml" <<Y
cpjump:
  batch: "2020_11_04_CPJUMP1"
  plates: [$(printf '"%s", ' "${plates[@]}" | sed 's/, $//')]
  local: { raw_images: "$work/raw", metadata: "$work/metadata", tensors: "$work/$1/tensors", features: "$work/$1/features", splits: "$work/$1/splits", state: "$work/$1/.cpbuild" }
  tensors: { size: 224 }
  extraction: { model: "tiny-dinov3", model_path: "$tiny", model_sha256: "$(sha256sum "$tiny" | cut -d' ' -f1)", input_size: 64, device: "cpu", batch_size: 8 }
  build: { lock: "$work/$1/data.lock.json", parallelism: 1 }
  splits: { missing_context: "skip" }
  sample: { image_size: $size, wells: ["A01", "A02"], sites: $sites, seed: 3 }
Y
}
config single
config sharded

single_build() { ./build.sh --target=Default --config="$work/single.yml" > "$work/logs/single-$1.log" || { cat "$work/logs/single-$1.log"; exit 1; }; }
./build.sh --target=Sample --config="$work/single.yml" > "$work/logs/sample.log"
single_build 1
export CPB_LOCK_BASE="$work/single/data.lock.json"

job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }
wait_job() { # job id: waits until it leaves PENDING/RUNNING; prints its final state
  local state
  for _ in $(seq 1 1200); do
    state=$(job_state "$1")
    [[ "$state" == PENDING || "$state" == RUNNING || "$state" == CONFIGURING || "$state" == COMPLETING || -z "$state" ]] || { echo "$state"; return; }
    sleep 0.5
  done
  echo TIMEOUT
}
submit() { # round, extra submit.sh options: sets array and merge
  local out
  out=$(scripts/slurm/submit.sh --config="$work/sharded.yml" --shards=4 --run=bench --logs="$work/logs/$1" "${@:2}")
  array=$(sed -n 's/^array //p' <<< "$out"); merge=$(sed -n 's/^merge //p' <<< "$out")
}
report() { # round: sites built per task, merge state, lock identical?
  local round=$1 merge_state=$2
  for log in "$work/logs/$round"/slurm-cpb-shard-*.out; do
    task=${log##*_}; task=${task%.out}
    line=$(grep -E '^tensors: ' "$log" | tail -1 || true)
    plates=$(grep -oE -- '--shard=[0-9/]+' "$log" | head -1)
    echo "  task $task ($plates): ${line:-no tensors summary (killed)}"
  done
  echo "  merge job: $merge_state"
  if cmp -s "$work/single/data.lock.json" "$work/sharded/data.lock.json" && diff -rq "$work/single/data.lock.d" "$work/sharded/data.lock.d" >/dev/null; then
    identical=yes
  else
    identical=no
  fi
  echo "  merged lock identical to the single-machine build's: $identical"
}

echo "== round 1: 4 tasks over ${#plates[@]} plates ($(( ${#plates[@]} * 2 * sites )) sites of ${size}x${size}), then the merge"
submit r1
for task in 1 2 3 4; do wait_job "${array}_$task" > /dev/null; done
r1=$(wait_job "$merge"); report r1 "$r1"; [[ "$r1" == COMPLETED && "$identical" == yes ]] || exit 1
echo "  shard plan: $($py -c 'import json, sys; print("; ".join(e["shard"] + ": " + e["plates"] + " (" + str(e["sites"]) + " sites)" for e in json.load(open(sys.argv[1]))["include"]))' artifacts/shard-plan-bench.json)"

echo "== round 2: one TIFF changed, resubmitted"
tiff=$(find "$work/raw" -name 'r01c02f01p01-ch2sk1fk1fl1.tiff' | sort | sed -n 3p)
printf 'changed' >> "$tiff"
echo "  changed: ${tiff#"$work/"}"
single_build 2
submit r2
for task in 1 2 3 4; do wait_job "${array}_$task" > /dev/null; done
r2=$(wait_job "$merge"); report r2 "$r2"
rebuilt=$(grep -hE '^tensors: ' "$work"/logs/r2/slurm-cpb-shard-*.out | sed -E 's/.* ([0-9]+) rebuilt.*/\1/' | paste -sd' ')
tasks_rebuilding=$(tr ' ' '\n' <<< "$rebuilt" | grep -vc '^0$' || true)
echo "  sites rebuilt per task: $rebuilt; tasks that rebuilt anything: $tasks_rebuilding"
[[ "$r2" == COMPLETED && "$identical" == yes && "$tasks_rebuilding" == 1 && $(( ${rebuilt// /+} )) == 1 ]] || exit 1

echo "== round 3: task 2 killed mid-run (SIGKILL), then resubmitted alone"
victim=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["include"][1]["plates"].split()[0])' artifacts/shard-plan-bench.json)
find "$work/raw" -path "*/$victim*/*" -name '*-ch1sk1fk1fl1.tiff' -exec sh -c 'printf x >> "$1"' _ {} \;   # task 2's plate stale
single_build 3
slog="$work/sharded/.cpbuild/shards/shard-2-of-4/logs/tensors/$victim.log"  # the build log is a file per plate
before=$(wc -l < "$slog")
submit r3
for _ in $(seq 1 6000); do
  [[ $(tail -n +"$((before + 1))" "$slog" 2>/dev/null | grep -c $'^D\t' || true) -ge 1 ]] && break
  sleep 0.02
done
scancel --signal=KILL --full "${array}_2"
echo "  killed ${array}_2 after $(tail -n +"$((before + 1))" "$slog" | grep -c $'^D\t' || true) of its sites were done: $(wait_job "${array}_2")"
for task in 1 3 4; do wait_job "${array}_$task" > /dev/null; done
echo "  chained merge job: $(wait_job "$merge")"
[[ -d "$work/sharded/shards/bench/shard-2-of-4" ]] && { echo "  a shard lock of the killed task is there"; exit 1; }
echo "  shard-2-of-4 lock present after the kill: no; leftover staging folders: $(find "$work/sharded/shards/bench" -maxdepth 1 -name 'shard-2-of-4.tmp-*' | wc -l)"
mv "$work/logs/r3" "$work/logs/r3-killed"
submit r3 --tasks=2
r3=$(wait_job "$merge"); report r3 "$r3"
[[ "$r3" == COMPLETED && "$identical" == yes ]] || exit 1
echo "== slurm: tasks 4, merged lock identical: yes (rounds 1-3)"
