#!/usr/bin/env python3
"""Table of the criterion results in target/criterion/: median and p95 per benchmark.

    python3 tests/bench/criterion-table.py [BASELINE]     (default: new, the latest run)

Per benchmark: the median and the 95th percentile of criterion's samples (time per
iteration), and for run-loop benchmarks the time per update and updates per second.
Standard library only; reads what `cargo bench --bench core` wrote.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UPDATES = 10_000  # updates per iteration of the run-loop benchmarks (benches/core.rs)


def quantile(xs, q):
    s = sorted(xs)
    i = (len(s) - 1) * q
    lo, hi = int(i), min(int(i) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (i - lo)


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main():
    baseline = sys.argv[1] if len(sys.argv) > 1 else "new"
    base = ROOT / "target" / "criterion"
    rows = []
    for bench in sorted(base.glob(f"**/{baseline}/benchmark.json")):
        meta = json.loads(bench.read_text())
        sample = json.loads((bench.parent / "sample.json").read_text())
        per_iter = [t / n for t, n in zip(sample["times"], sample["iters"])]
        med, p95 = quantile(per_iter, 0.5), quantile(per_iter, 0.95)
        name = meta["full_id"]
        extra = ""
        if name.startswith(("run_loop/", "adam_rosenbrock/")):
            extra = f"{med / UPDATES:6.1f} ns/update  {UPDATES / med * 1e3:6.1f} M updates/s"
        rows.append((name, fmt_time(med), fmt_time(p95), extra))
    if not rows:
        sys.exit(f"no criterion results for '{baseline}' under {base}")
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    print(f"{'benchmark':<{w[0]}}  {'median':>{w[1]}}  {'p95':>{w[2]}}")
    for r in rows:
        print(f"{r[0]:<{w[0]}}  {r[1]:>{w[1]}}  {r[2]:>{w[2]}}  {r[3]}")


if __name__ == "__main__":
    main()
