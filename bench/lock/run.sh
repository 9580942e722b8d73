#!/usr/bin/env bash
# Full-scale lock benchmark (prints figures; not a test). The lock of the whole CPJUMP1 batch (51 plates x 3,456
# sites: tensors, features, metadata, 4 splits, a 5-channel download), as tests/.../FullScaleLockTests bounds it:
#  (a) committed sizes: data.lock.json, manifests in all and per plate, and what git stores for them;
#  (b) LockDiff in-process on two changed copies (one tensor site; every feature after a model change);
#  (c) the PR view of the one-site change: `git diff --numstat` lines, and `./build.sh --target=LockDiff --base=HEAD`
#      on a git repository holding the lock, against `git diff` itself on the same change (the baseline).
# Usage: bench/lock/run.sh   (BENCH_DIR=<dir> keeps the work folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${BENCH_DIR:-$(mktemp -d /tmp/cpbuild-lock-bench.XXXXXX)}
mkdir -p "$work"
now() { date +%s.%N; }

dotnet build -c Release bench/lock/LockBench/LockBench.csproj -nologo -v quiet >/dev/null
dotnet run -c Release --no-build --project bench/lock/LockBench/LockBench.csproj -- "$work"

echo
echo "== (c) one tensor site changed, as a pull request sees it"
repo="$work/repo"
rm -rf "$repo" && mkdir -p "$repo"
git -C "$repo" init --quiet
cp -r "$work/base/data.lock.json" "$work/base/data.lock.d" "$repo/"
git -C "$repo" add . && git -C "$repo" -c user.name=bench -c user.email=bench@local -c commit.gpgsign=false commit --quiet -m base
git -C "$repo" count-objects -v | awk '/^size:/ { printf "git stores the committed lock in %.1f MB (zlib-compressed objects)\n", $2 / 1000 }'
rm -rf "$repo/data.lock.json" "$repo/data.lock.d" && cp -r "$work/site/data.lock.json" "$work/site/data.lock.d" "$repo/"
git -C "$repo" diff --numstat | awk '{ files++; added += $1; removed += $2 } END { printf "git diff: %d files, +%d -%d lines\n", files, added, removed }'
t0=$(now); git -C "$repo" diff --stat > /dev/null; t1=$(now)
printf 'cpjump: { build: { lock: "%s/data.lock.json" } }\n' "$repo" > "$work/review.yml"
./build.sh --target=Sample --config=configs/sample.yml --wait-lock=3600 >/dev/null # builds the library once (waits for a build or test run holding the repository's own data root)
t2=$(now); ./build.sh --target=LockDiff --config="$work/review.yml" --base=HEAD --out="$work/pr.md" > "$work/lockdiff.log"; t3=$(now)
task=$(grep -oE '^ *LockDiff +[0-9:.]+' "$work/lockdiff.log" | awk '{ print $2 }')
python3 - "$t0" "$t1" "$t2" "$t3" "$task" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5])
h, m, s = sys.argv[5].split(":")
task = int(h) * 3600 + int(m) * 60 + float(s)
print(f"LockDiff --base=HEAD (git cat-file, compare, markdown): {task * 1000:.0f} ms in the Cake task; "
      f"whole ./build.sh command {t3 - t2:.1f} s (dotnet + Cake start-up)")
print(f"baseline git diff --stat on the same change: {(t1 - t0) * 1000:.0f} ms (LockDiff task / git diff = {task / (t1 - t0):.1f}x)")
PY
echo "PR comment ($(wc -l < "$work/pr.md") lines, $work/pr.md):"
sed 's/^/  /' "$work/pr.md"
echo "work dir: $work"
