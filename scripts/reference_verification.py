#!/usr/bin/env python3
"""Independent numpy recomputation of Visage's verification figures on the shared datasets.

Usage: /usr/bin/python3 scripts/reference_verification.py [DATA_DIR]   (default ../shared/data)

For each pair file: dlib features (features/dlib_resnet128.npy + .txt), cosine similarity of each pair, 10 folds in
file order; for each fold the threshold is the one that maximizes accuracy on the other 9 folds, searched over the
distinct training scores, the smallest such threshold on ties; a pair is declared matched when its score is >= the
threshold. Prints mean and standard deviation (numpy std, ddof 0) and the standard error (std ddof 1 / sqrt(folds))
of the fold accuracies, plus AUC (trapezoid over the full ROC), EER (mean of FAR and FRR where they are closest) and
TAR at FAR 1e-1, 1e-2, 1e-3 for every FAR with at least 1/FAR negatives.
Last, LFW View 1: the threshold best on pairsDevTrain.txt applied to pairsDevTest.txt.
"""
import os
import sys

import numpy as np


def read_pairs(path):
    with open(path) as f:
        rows = [line.split() for line in f if line.strip()]
    header = [int(x) for x in rows[0]]
    folds, per = (1, header[0]) if len(header) == 1 else header
    pairs = []
    for i, fields in enumerate(rows[1:]):
        fold, match = i // (2 * per), i % (2 * per) < per
        if match:
            pairs.append((fields[0], fields[1], fields[0], fields[2], True, fold))
        else:
            pairs.append((fields[0], fields[1], fields[2], fields[3], False, fold))
    assert len(pairs) == 2 * folds * per
    return pairs, folds


def feature_index(paths):
    """(identity folder, file name) and (identity folder, stem) -> row."""
    index = {}
    for row, path in enumerate(paths):
        parts = path.split("/")
        identity, name = parts[-2], parts[-1]
        index[(identity, name)] = row
        index[(identity, os.path.splitext(name)[0])] = row
    return index


def row_of(index, identity, ref):
    key = (identity, "%s_%04d" % (identity, int(ref))) if ref.isdigit() else (identity, ref)
    return index[key]


def best_threshold(scores, labels):
    candidates = np.unique(scores)
    accuracies = [np.mean((scores >= t) == labels) for t in candidates]
    return candidates[int(np.argmax(accuracies))]


def ten_fold(scores, labels, folds):
    accs = []
    for k in range(folds.max() + 1):
        test = folds == k
        t = best_threshold(scores[~test], labels[~test])
        accs.append(np.mean((scores[test] >= t) == labels[test]))
    return np.array(accs)


def roc(scores, labels):
    order = np.argsort(-scores, kind="stable")
    s, l = scores[order], labels[order]
    distinct = np.where(np.diff(s))[0]
    ends = np.concatenate([distinct, [len(s) - 1]])
    tp = np.cumsum(l)[ends]
    fp = np.cumsum(~l)[ends]
    tpr = np.concatenate([[0], tp / l.sum()])
    fpr = np.concatenate([[0], fp / (~l).sum()])
    return fpr, tpr


def scores_of(data, dataset, pair_file):
    features = np.load(os.path.join(data, dataset, "features", "dlib_resnet128.npy")).astype(np.float64)
    with open(os.path.join(data, dataset, "features", "dlib_resnet128.txt")) as f:
        paths = [line.strip() for line in f if line.strip()]
    index = feature_index(paths)
    pairs, _ = read_pairs(os.path.join(data, dataset, pair_file))
    a = np.array([row_of(index, p[0], p[1]) for p in pairs])
    b = np.array([row_of(index, p[2], p[3]) for p in pairs])
    fa = features[a] / np.linalg.norm(features[a], axis=1, keepdims=True)
    fb = features[b] / np.linalg.norm(features[b], axis=1, keepdims=True)
    return np.sum(fa * fb, axis=1), np.array([p[4] for p in pairs]), np.array([p[5] for p in pairs])


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
    for dataset, pair_file in [("lfw", "pairs.txt"), ("orl", "pairs.txt"), ("yaleb", "pairs_easy.txt"),
                               ("yaleb", "pairs_hard.txt")]:
        scores, labels, folds = scores_of(data, dataset, pair_file)
        accs = ten_fold(scores, labels, folds) * 100
        fpr, tpr = roc(scores, labels)
        auc = np.trapz(tpr, fpr)
        fnr = 1 - tpr
        i = np.argmin(np.abs(fnr - fpr))
        eer = (fpr[i] + fnr[i]) / 2
        negatives = int((~labels).sum())
        tars = []
        far = 0.1
        while negatives * far >= 1 - 1e-9:
            tars.append("TAR@FAR=%g %.4f" % (far, tpr[fpr <= far + 1e-12].max()))
            far /= 10
        print("%s/%s: %.4f ± %.4f %% (std ddof 0), standard error %.4f, AUC %.6f, EER %.4f, %s" % (
            dataset, pair_file, accs.mean(), accs.std(), accs.std(ddof=1) / np.sqrt(len(accs)), auc, eer,
            ", ".join(tars)))
        print("  folds: " + " ".join("%.4f" % x for x in accs))
    train_scores, train_labels, _ = scores_of(data, "lfw", "pairsDevTrain.txt")
    test_scores, test_labels, _ = scores_of(data, "lfw", "pairsDevTest.txt")
    t = best_threshold(train_scores, train_labels)
    print("lfw View 1: threshold %.6f chosen on pairsDevTrain.txt, pairsDevTest.txt accuracy %.4f %%" % (
        t, 100 * np.mean((test_scores >= t) == test_labels)))


if __name__ == "__main__":
    main()
