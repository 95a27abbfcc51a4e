#!/usr/bin/env bash
# The gallery on real data (issue 16), through the CLI:
#  1. ORL raw photos: the first photo of each person enrolled (detect → align → embed, dlib-resnet), the other nine
#     identified: closed-set top-1 with all 40 people enrolled, open-set figures with people s1–s20 enrolled and
#     s21–s40 as strangers; the same search done in memory (numpy, on `visage embed --photos` features) beside it.
#     Threshold: `gallery calibrate` at FAR 1e-3 on LFW View 1 DevTrain pairs (people disjoint from every test),
#     and the engine's catalogue threshold.
#  2. Migration of the 40-person gallery (photos kept) to mobilefacenet-ms1m by re-extraction: time and top-1,
#     beside a gallery enrolled with mobilefacenet-ms1m directly.
#  3. LFW View 1 DevTest faces (aligned crops, no detection) enrolled unassigned and clustered (Chinese whispers):
#     purity, pairwise F-measure, people split and clusters merged, beside the folder identities.
#
#   scripts/experiments/gallery-real-data.sh OUT
#
# Environment: DATA (default ../shared/data), VISAGE (default .build/release/visage), VISAGE_THREADS (default 1).
# OUT must not hold galleries from an earlier run (they would be refused by `create`).
set -euo pipefail
here=$(dirname "$(realpath "$0")")
out=${1:?usage: gallery-real-data.sh OUT}
data=$(realpath "${DATA:-../shared/data}")
visage=$(realpath "${VISAGE:-.build/release/visage}")
export VISAGE_THREADS=${VISAGE_THREADS:-1}
mkdir -p "$out"
cd "$out"
seconds() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$(seconds) - $1:.1f}')"; }

# Photo folders: symbolic links into the shared data, one folder per person.
for s in $(seq 1 40); do
    mkdir -p orl/enroll-all/s$s orl/probes/s$s
    ln -sf "$data/orl/raw/s$s/1.png" orl/enroll-all/s$s/1.png
    if [ "$s" -le 20 ]; then mkdir -p orl/enroll-half/s$s; ln -sf "$data/orl/raw/s$s/1.png" orl/enroll-half/s$s/1.png; fi
    for i in $(seq 2 10); do ln -sf "$data/orl/raw/s$s/$i.png" orl/probes/s$s/$i.png; done
done
link=$here/gallery-link-lfw.py
"$link" "$data" pairs "$data/lfw/pairsDevTrain.txt" lfw-devtrain
"$link" "$data" people "$data/lfw/peopleDevTest.txt" lfw-devtest

echo "== calibration features: LFW DevTrain pair images, dlib-resnet"
[ -f devtrain-dlib.npy ] || "$visage" embed --engine dlib-resnet --data lfw-devtrain --out devtrain-dlib.npy

echo "== ORL: enroll one photo per person"
for gallery in all half; do
    keep=(); [ "$gallery" = all ] && keep=(--keep-photos)
    "$visage" gallery create --gallery orl-$gallery.sqlite --engine dlib-resnet "${keep[@]}"
    start=$(seconds)
    "$visage" gallery enroll --gallery orl-$gallery.sqlite orl/enroll-$gallery --folder-names
    echo "enroll orl-$gallery: $(elapsed "$start") s"
    "$visage" gallery calibrate --gallery orl-$gallery.sqlite --pairs "$data/lfw/pairsDevTrain.txt" \
        --features devtrain-dlib.npy --far 0.001
    start=$(seconds)
    "$visage" gallery identify --gallery orl-$gallery.sqlite orl/probes --top-k 5 --json identify-$gallery.json > /dev/null
    echo "identify 360 probes in orl-$gallery: $(elapsed "$start") s"
done

echo "== ORL: the same search in memory"
[ -f enroll-all.npy ] || "$visage" embed --engine dlib-resnet --photos orl/enroll-all --out enroll-all.npy
[ -f probes.npy ] || "$visage" embed --engine dlib-resnet --photos orl/probes --out probes.npy

echo "== migration to mobilefacenet-ms1m by re-extraction (photos kept)"
cp orl-all.sqlite orl-migrated.sqlite
start=$(seconds)
"$visage" gallery migrate --gallery orl-migrated.sqlite --to mobilefacenet-ms1m --method reextract
echo "migrate: $(elapsed "$start") s (including loading the engine)"
"$visage" gallery identify --gallery orl-migrated.sqlite orl/probes --top-k 5 --json identify-migrated.json > /dev/null
"$visage" gallery create --gallery orl-mfn.sqlite --engine mobilefacenet-ms1m
start=$(seconds)
"$visage" gallery enroll --gallery orl-mfn.sqlite orl/enroll-all --folder-names
echo "enroll orl-mfn directly: $(elapsed "$start") s"
"$visage" gallery identify --gallery orl-mfn.sqlite orl/probes --top-k 5 --json identify-mfn.json > /dev/null

echo "== ORL figures"
python3 - <<'EOF'
import json
import numpy as np

def folder(path): return path.split("/")[-2]

def figures(results, enrolled, threshold):
    """Closed-set top-1 over the probes of enrolled people; open-set at threshold: detection-and-identification
    rate (known probes identified correctly and accepted) and false-alarm rate (strangers accepted as anyone).
    Every probe photo counts (nine per person): one whose face was not found counts as missed, or as rejected."""
    known = [r for r in results if folder(r["photo"]) in enrolled]
    strangers = [r for r in results if folder(r["photo"]) not in enrolled]
    k, s = 9 * len(enrolled), 9 * (40 - len(enrolled))
    top1 = sum(r["candidates"][0]["person"] == folder(r["photo"]) for r in known) / k
    dir_ = sum(r["candidates"][0]["person"] == folder(r["photo"]) and r["candidates"][0]["score"] >= threshold
               for r in known) / k
    far = sum(r["candidates"][0]["score"] >= threshold for r in strangers) / s if s else None
    return top1, dir_, far, k, s

def load(name):
    output = json.load(open(name))
    return output["results"], output["engines"][0]

def memory(enroll_people):
    """The same search on `visage embed --photos` features: per-person best cosine."""
    gallery = np.load("enroll-all.npy"); names = [l.strip() for l in open("enroll-all.txt") if l.strip()]
    probes = np.load("probes.npy"); probe_names = [l.strip() for l in open("probes.txt") if l.strip()]
    keep = [i for i, n in enumerate(names) if folder(n) in enroll_people]
    gallery = gallery[keep] / np.linalg.norm(gallery[keep], axis=1, keepdims=True)
    people = [folder(names[i]) for i in keep]
    scores = (probes / np.linalg.norm(probes, axis=1, keepdims=True)) @ gallery.T
    results = []
    for name, row in zip(probe_names, scores):
        best = sorted(zip(row, people), reverse=True)
        results.append({"photo": "x/" + name, "candidates": [{"person": p, "score": float(s)} for s, p in best]})
    return results

catalogue = 0.9103
everyone = {f"s{s}" for s in range(1, 41)}; half = {f"s{s}" for s in range(1, 21)}
for label, name, enrolled in [("40 enrolled (closed set)", "identify-all.json", everyone),
                              ("20 enrolled, 20 strangers (open set)", "identify-half.json", half)]:
    results, engine = load(name)
    mem = memory(enrolled)
    by_photo = {folder(r["photo"]) + "/" + r["photo"].split("/")[-1]: r for r in results}
    agree = sum(by_photo[folder(m["photo"]) + "/" + m["photo"].split("/")[-1]]["candidates"][0]["person"]
                == m["candidates"][0]["person"] for m in mem
                if folder(m["photo"]) + "/" + m["photo"].split("/")[-1] in by_photo)
    diff = max(abs(by_photo[folder(m["photo"]) + "/" + m["photo"].split("/")[-1]]["candidates"][0]["score"]
                   - m["candidates"][0]["score"]) for m in mem
               if folder(m["photo"]) + "/" + m["photo"].split("/")[-1] in by_photo)
    print(f"{label}: {len(results)} probe faces through the CLI, {len(mem)} in memory; "
          f"same top-1 person for {agree}, largest top-1 score difference {diff:.2e}")
    for threshold, origin in [(engine["threshold"], "calibrated FAR 1e-3 on LFW DevTrain"), (catalogue, "catalogue")]:
        for source, rows in [("CLI", results), ("memory", mem)]:
            top1, dir_, far, k, s = figures(rows, enrolled, threshold)
            text = f"  {source:6s} threshold {threshold:.4f} ({origin}): top-1 {top1:.4f} of {k}, DIR {dir_:.4f}"
            if far is not None: text += f", false alarms {far:.4f} of {s} strangers"
            print(text)
for label, name in [("migrated to mobilefacenet-ms1m by re-extraction", "identify-migrated.json"),
                    ("enrolled with mobilefacenet-ms1m directly", "identify-mfn.json")]:
    results, engine = load(name)
    top1, dir_, _, k, _ = figures(results, everyone, engine["threshold"])
    print(f"{label}: top-1 {top1:.4f} of {k}; DIR {dir_:.4f} at {engine['threshold']} ({engine['thresholdOrigin']})")
EOF

echo "== LFW DevTest: enroll aligned faces unassigned and cluster"
"$visage" gallery create --gallery lfw-devtest.sqlite --engine dlib-resnet
start=$(seconds)
"$visage" gallery enroll --gallery lfw-devtest.sqlite lfw-devtest --aligned
echo "enroll lfw-devtest: $(elapsed "$start") s"
"$visage" gallery calibrate --gallery lfw-devtest.sqlite --pairs "$data/lfw/pairsDevTrain.txt" \
    --features devtrain-dlib.npy --far 0.001
start=$(seconds)
"$visage" gallery cluster --gallery lfw-devtest.sqlite --truth-from-folders
"$visage" gallery cluster --gallery lfw-devtest.sqlite --truth-from-folders --threshold 0.9103
echo "cluster (both runs): $(elapsed "$start") s"
