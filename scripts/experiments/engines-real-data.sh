#!/usr/bin/env bash
# The engines on real data, end to end through Visage alone (README, "Engines"):
#   ORL and Extended Yale B raw photos → detect → 5 points → dlib chip → dlib-resnet → 10-fold verification;
#   LFW View 2 with mobilefacenet-ms1m on the 112×112 crops, dlib-resnet on chips re-cut from them, and both fused;
#   LFW View 1 DevTest at thresholds chosen on DevTrain (the engines' catalogue thresholds);
#   detection recall on the 43 annotated faces of the crowd photos.
# Usage: scripts/experiments/engines-real-data.sh [OUT=runs/engines] [SHARED=../shared/data]
set -euo pipefail
out=${1:-runs/engines}
data=${2:-../shared/data}
visage=.build/release/visage
mkdir -p "$out"
swift build -c release >/dev/null

echo "== detection on the annotated crowd photos (upsample 1)"
$visage detect "$data"/detection/20*.jpg "$data/detection/dogs.jpg" --upsample 1 --out "$out/detection.json" \
    --annotations "$data/detection/testing.xml" --annotations "$data/detection/training.xml"

for set in orl yaleb; do
    echo "== $set raw photos through detection (upsample 1), landmarks and dlib-resnet"
    $visage embed --model dlib-resnet --photos "$data/$set/raw" --out "$out/$set-raw-dlib.npy"
done
$visage eval --features "$out/orl-raw-dlib.npy" --pairs "$data/orl/pairs.txt" --reject-missing --out "$out/eval-orl-raw"
# Yale B's faces fill their 168×192 frames: also without upsampling.
$visage embed --model dlib-resnet --photos "$data/yaleb/raw" --upsample 0 --out "$out/yaleb-raw-u0-dlib.npy"
for pairs in pairs_easy pairs_hard; do
    for features in yaleb-raw-dlib yaleb-raw-u0-dlib; do
        $visage eval --features "$out/$features.npy" --pairs "$data/yaleb/$pairs.txt" --reject-missing \
            --out "$out/eval-$features-$pairs"
    done
done

echo "== LFW aligned crops"
$visage embed --model mobilefacenet-ms1m --data "$data/lfw/aligned" --out "$out/lfw-ms1m.npy"
$visage embed --model dlib-resnet --data "$data/lfw/aligned" --out "$out/lfw-dlib.npy"
$visage eval --features "$out/lfw-ms1m.npy" --pairs "$data/lfw/pairs.txt" --out "$out/eval-lfw-ms1m"
$visage eval --features "$out/lfw-dlib.npy" --pairs "$data/lfw/pairs.txt" --out "$out/eval-lfw-dlib"
$visage eval --features "$out/lfw-ms1m.npy" --features "$out/lfw-dlib.npy" --pairs "$data/lfw/pairs.txt" \
    --out "$out/eval-lfw-fused"
for engine in ms1m dlib; do
    $visage eval --features "$out/lfw-$engine.npy" --pairs "$data/lfw/pairsDevTest.txt" \
        --train-pairs "$data/lfw/pairsDevTrain.txt" --out "$out/eval-view1-$engine"
done
