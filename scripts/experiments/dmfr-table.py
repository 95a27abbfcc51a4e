#!/usr/bin/env python3
"""The DMFR table from `scripts/experiments/dmfr.sh OUT` output: per mode, the mean over seeds (± half the range) of
TAR at FAR 1e-3 / 1e-4 and balanced accuracy per protocol, and the mean impostor / genuine cosine on LFW.

    scripts/experiments/dmfr-table.py OUT
"""
import glob
import os
import sys
from collections import defaultdict

out = sys.argv[1]


def parse(path):
    rows = {}
    for line in open(path):
        parts = line.split()
        if len(parts) == 8 and parts[0] in ("LFW", "CQ", "CP", "YaleB-hard"):
            rows[parts[0]] = [float(x.rstrip("*")) for x in parts[3:]]
    return rows


runs = defaultdict(list)
runs["mobilefacenet-ms1m (untouched)"].append(parse(os.path.join(out, "baseline.txt")))
for path in sorted(glob.glob(os.path.join(out, "*-s*/eval.txt"))):
    mode = os.path.basename(os.path.dirname(path)).rsplit("-s", 1)[0]
    rows = parse(path)
    if len(rows) == 4:  # a finished evaluation
        runs[mode].append(rows)


def cell(values, scale=100, digits=1):
    mean = sum(values) / len(values)
    spread = (max(values) - min(values)) / 2
    text = f"{scale * mean:.{digits}f}"
    return text + (f" ± {scale * spread:.{digits}f}" if len(values) > 1 else "")


order = ["mobilefacenet-ms1m (untouched)", "real", "naive", "filter", "meta", "disentangle"]
print("| mode | seeds | " + " | ".join(f"{p} TAR@1e-3 / 1e-4 / bal. acc %" for p in ("LFW", "CQ", "CP", "YaleB-hard"))
      + " | LFW inter-class cos | LFW intra-class cos |")
print("|---" * 8 + "|")
for mode in [m for m in order if m in runs]:
    results = runs[mode]
    cells = []
    for protocol in ("LFW", "CQ", "CP", "YaleB-hard"):
        cells.append(" / ".join(cell([r[protocol][i] for r in results]) for i in range(3)))
    cells.append(cell([r["LFW"][4] for r in results], scale=1, digits=4))
    cells.append(cell([r["LFW"][3] for r in results], scale=1, digits=3))
    print(f"| {mode} | {len(results)} | " + " | ".join(cells) + " |")
