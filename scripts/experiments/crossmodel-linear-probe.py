#!/usr/bin/python3
"""How much identity two models' feature spaces share: the best linear map between them on the LFW protocol.

    /usr/bin/python3 scripts/experiments/crossmodel-linear-probe.py SOURCE.npy [DATA]

SOURCE.npy is a `visage embed` feature file of LFW (with SOURCE.txt, its image list); the target is dlib's features
in DATA/lfw (DATA defaults to ../shared/data). The split and search are those of `visage cross-model evaluate
--train-people DATA/lfw/peopleDevTrain.txt --training-distractors`: train on the DevTrain people's images; the first
image of every other identity is enrolled, the rest are probes, every training image is a distractor; features are
compared by cosine. The map is ridge regression (weight 1) on centred features, in closed form, so nothing is left
unconverged; if even it identifies almost nobody, no transformer trained on these pairs is expected to do much
better — the source features carry little of what the target encodes. Also printed: R² of the map (the share of the target's
variance it predicts) on training and held-out images, and both directions (source → dlib, dlib → source).
"""
import sys

import numpy as np


def read_rows(npy_path):
    features = np.load(npy_path).astype(np.float64)
    names = [line.strip() for line in open(npy_path[:-4] + ".txt") if line.strip()]
    if len(names) != len(features):
        sys.exit(f"{npy_path}: {len(features)} rows but {len(names)} names in its .txt")
    return features, ["/".join(name.split("/")[-2:]) for name in names]


def normalized(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def top1(probes, probe_labels, gallery, gallery_labels):
    scores = normalized(probes) @ normalized(gallery).T
    return 100 * np.mean(gallery_labels[scores.argmax(1)] == probe_labels)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    data = sys.argv[2] if len(sys.argv) > 2 else "../shared/data"
    source, keys = read_rows(sys.argv[1])
    target_all, target_keys = read_rows(f"{data}/lfw/features/dlib_resnet128.npy")
    target_row = {key: row for row, key in enumerate(target_keys)}
    missing = [key for key in keys if key not in target_row]
    if missing:
        sys.exit(f"{len(missing)} source images have no dlib feature, e.g. {missing[:3]}")
    target = target_all[[target_row[key] for key in keys]]
    labels = np.array([key.split("/")[0] for key in keys])
    train_people = {line.split()[0] for line in open(f"{data}/lfw/peopleDevTrain.txt").readlines()[1:] if line.strip()}
    training = np.array([label in train_people for label in labels])

    seen, gallery, probes = set(), [], []
    for row in np.flatnonzero(~training):
        (probes if labels[row] in seen else gallery).append(row)
        seen.add(labels[row])
    distractors = np.flatnonzero(training)
    enrolled = np.concatenate([gallery, distractors])
    print(f"{len(probes)} probes; gallery: {len(gallery)} identities, one image each, + {len(distractors)} distractors")

    spaces = {"source": normalized(source), "dlib": normalized(target)}
    for name, x in spaces.items():
        print(f"{name} alone: top-1 {top1(x[probes], labels[probes], x[enrolled], labels[enrolled]):.2f} %")
    for a, b in [("source", "dlib"), ("dlib", "source")]:
        x, y = spaces[a], spaces[b]
        mean_x, mean_y = x[training].mean(0), y[training].mean(0)
        xc, yc = x[training] - mean_x, y[training] - mean_y
        weights = np.linalg.solve(xc.T @ xc + np.eye(x.shape[1]), xc.T @ yc)  # ridge weight 1
        mapped = (x - mean_x) @ weights + mean_y
        probe = top1(mapped[probes], labels[probes], y[enrolled], labels[enrolled])
        gallery_moved = top1(y[probes], labels[probes], mapped[enrolled], labels[enrolled])
        r2 = [1 - ((mapped[rows] - y[rows]) ** 2).sum() / ((y[rows] - mean_y) ** 2).sum()
              for rows in (training, ~training)]
        print(f"{a} → {b} linear map: probe transformation {probe:.2f} %, gallery transformation "
              f"{gallery_moved:.2f} %, R² {r2[0]:.3f} on training images, {r2[1]:.3f} on held-out ones")


if __name__ == "__main__":
    main()
