#!/usr/bin/python3
"""Summary of interleaved bench rounds: reads "label round seconds rss_kb cpu_seconds" lines and prints, per label,
the best and median time (and rate for a given unit count), CPU seconds and peak RSS; then for each "A:B" pair the
speed-up of A over B (B's time / A's time) per round, with best and median, in wall time and, where both have it,
in CPU time. Usage: summary.py RESULTS UNITS UNIT-NAME [A:B ...]"""
import statistics
import sys
from collections import defaultdict


def main():
    results, units, unit_name, pairs = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
    runs = defaultdict(dict)
    cpu = defaultdict(dict)
    rss = defaultdict(list)
    for line in open(results, encoding="utf-8"):
        label, round_, seconds, kb, cpu_seconds = line.split()
        runs[label][round_] = float(seconds)
        if float(cpu_seconds) > 0:
            cpu[label][round_] = float(cpu_seconds)
        if int(kb) > 0:
            rss[label].append(int(kb))
    width = max(len(label) for label in runs)
    for label, by_round in runs.items():
        times = list(by_round.values())
        best, median = min(times), statistics.median(times)
        rate = f"; {units / best:.2f} / {units / median:.2f} {unit_name}/s" if units > 0 else ""
        memory = f"; peak RSS {max(rss[label]) / 1024:.0f} MB" if rss[label] else ""
        cpus = list(cpu[label].values())
        processor = f"; CPU best {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s" if cpus else ""
        print(f"  {label:<{width}}  best {best:8.3f} s  median {median:8.3f} s{rate}{processor}{memory}  ({len(times)} runs)")
    for pair in pairs:
        a, b = pair.split(":")
        ratios = [runs[b][r] / runs[a][r] for r in runs[a] if r in runs[b] and runs[a][r] > 0]
        if ratios:
            print(f"  {a} vs {b}: {b}'s time / {a}'s: best {max(ratios):.2f}x, median {statistics.median(ratios):.2f}x "
                  f"(per round: {', '.join(f'{ratio:.2f}' for ratio in ratios)})")
        cpu_ratios = [cpu[b][r] / cpu[a][r] for r in cpu[a] if r in cpu[b] and cpu[a][r] > 0]
        if cpu_ratios:
            print(f"  {a} vs {b}, CPU seconds: best {max(cpu_ratios):.2f}x, median {statistics.median(cpu_ratios):.2f}x")


if __name__ == "__main__":
    main()
