#!/usr/bin/python3
"""Concatenate `visage embed` feature files of one model into one, for training on several image sets at once.

    /usr/bin/python3 scripts/experiments/merge-features.py OUT.npy A.npy B.npy ...

Each input is a .npy (N×D float32) with its .txt row names and .json stamp beside it. The inputs must share the
model stamp and the dimension; row names must not repeat (an image embedded twice would be counted twice). OUT.npy,
OUT.txt and OUT.json are written whole or not at all (temporary files, then renames).
"""
import json
import os
import sys

import numpy as np


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, inputs = sys.argv[1], sys.argv[2:]
    if not out.endswith(".npy") or os.path.exists(out):
        sys.exit(f"{out}: the output must be a new .npy path")
    arrays, names, stamp = [], [], None
    for path in inputs:
        base = path[:-4]
        features = np.load(path)
        rows = [line.rstrip("\n") for line in open(base + ".txt") if line.strip()]
        info = json.load(open(base + ".json"))
        if features.ndim != 2 or len(rows) != len(features):
            sys.exit(f"{path}: {features.shape} features but {len(rows)} names in {base}.txt")
        if stamp is None:
            stamp = info
        elif info.get("model") != stamp.get("model") or info.get("dimension") != stamp.get("dimension"):
            sys.exit(f"{path}: model {info.get('model')} ({info.get('dimension')}-D) differs from "
                     f"{stamp.get('model')} ({stamp.get('dimension')}-D) of {inputs[0]}")
        arrays.append(features.astype(np.float32))
        names += rows
    if len(set(names)) != len(names):
        sys.exit("some row names repeat across the inputs")
    merged = np.concatenate(arrays)
    stamp = dict(stamp, count=len(merged))
    base = out[:-4]
    np.save(base + ".tmp.npy", merged)
    with open(base + ".tmp.txt", "w") as handle:
        handle.write("\n".join(names) + "\n")
    with open(base + ".tmp.json", "w") as handle:
        json.dump(stamp, handle, indent=2)
    for ext in (".txt", ".json", ".npy"):
        os.replace(base + ".tmp" + ext, base + ext)
    print(f"{out}: {len(merged)} rows of {merged.shape[1]} from {len(inputs)} files")


if __name__ == "__main__":
    main()
