#!/usr/bin/env python3
"""Mean ± standard deviation across seeds of `visage eval` / `visage distill eval` reports, beside the fold error.

    scripts/experiments/seed-table.py 'ROW=GLOB' ['ROW=GLOB' ...]

Each GLOB matches one report.json per seed (e.g. 'sc=runs/bridge/9k-16-seed*/eval-lfw-S-16-sc/report.json').
Prints one Markdown row per ROW: accuracy mean ± std across seeds (sample std, ddof 1; '–' for one seed), the mean
within-run standard error (k-fold lists: fold std / sqrt(k); a single split: the binomial sqrt(p(1-p)/n)), TAR at
FAR = 10 % and AUC (means across seeds), and the number of seeds.
"""
import glob
import json
import math
import statistics
import sys


def summary(path):
    result = json.load(open(path))["verification"][0]
    accuracy = result["accuracy"]
    mean = accuracy["mean"]
    if accuracy.get("thresholdProtocol") == "crossValidated":
        error = accuracy["standardError"]
    else:
        n = result["positiveCount"] + result["negativeCount"]
        p = mean / 100
        error = 100 * math.sqrt(p * (1 - p) / n)
    tar = next((100 * t["trueAcceptRate"] for t in result["trueAcceptRates"]
                if abs(t["falseAcceptRate"] - 0.1) < 1e-9), float("nan"))
    return mean, error, tar, result["areaUnderCurve"]


def main(arguments):
    if not arguments:
        sys.exit(__doc__)
    print("| arm | accuracy % (mean ± std over seeds) | within-run SE | TAR@FAR=10 % | AUC | seeds |")
    print("|---|---|---|---|---|---|")
    for argument in arguments:
        row, _, pattern = argument.partition("=")
        paths = sorted(glob.glob(pattern))
        if not paths:
            sys.exit(f"{row}: no report matches {pattern}")
        values = [summary(path) for path in paths]
        accuracies = [v[0] for v in values]
        spread = f" ± {statistics.stdev(accuracies):.2f}" if len(values) > 1 else " ± –"
        print(f"| {row} | {statistics.mean(accuracies):.2f}{spread} | {statistics.mean(v[1] for v in values):.2f} | "
              f"{statistics.mean(v[2] for v in values):.2f} | {statistics.mean(v[3] for v in values):.4f} | {len(values)} |")


if __name__ == "__main__":
    main(sys.argv[1:])
