#!/usr/bin/env bash
# Accuracy of the int8 and bf16 paths against fp32 (issue 21) on LFW View 1 (DevTest pairs, threshold from the
# DevTrain pairs): mobilefacenet-ms1m and dlib-resnet with `visage eval`, a trained 16×16 bridge student with
# `visage distill eval` (pairs at the student's resolution). Every lowered model is calibrated on the same 256
# DevTrain faces (the first 100 DevTrain people with two images or more, in the list's order; a DevTrain
# identity, so no test face calibrates) and run with --precision-tolerance 0, so the table shows what the default
# tolerance would refuse.
#
#   scripts/experiments/precision-lfw.sh OUT [STUDENT]
#
# STUDENT: a bridge student file (visage distill run's S-16-*.safetensors); left out, the student rows are
# skipped. Environment: DATA (default ../shared/data), VISAGE (default .build/release/visage).
set -euo pipefail
out=${1:?usage: precision-lfw.sh OUT [STUDENT]}
student=${2:-}
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/release/visage}
lfw=$data/lfw
calibration=$out/calibration
mkdir -p "$calibration"
tail -n +2 "$lfw/peopleDevTrain.txt" | awk -F'\t' '$2 >= 2 { print $1 }' | head -100 | while read -r person; do
    ln -sfn "$(realpath "$lfw/aligned/$person")" "$calibration/$person"
done
pairs=(--pairs "$lfw/pairsDevTest.txt" --train-pairs "$lfw/pairsDevTrain.txt")
for precision in fp32 bf16 int8; do
    for engine in mobilefacenet-ms1m dlib-resnet; do
        "$visage" eval --model "$engine" --root "$lfw/aligned" "${pairs[@]}" --out "$out/$engine-$precision" \
            --precision "$precision" --calibration "$calibration" --precision-tolerance 0 2>"$out/$engine-$precision.log" \
            | grep -E "accuracy" | sed "s/^/$engine $precision: /"
        grep -h "mean cosine" "$out/$engine-$precision.log" || true
    done
    if [ -n "$student" ]; then
        "$visage" distill eval --student "$student" --root "$lfw/aligned" "${pairs[@]}" --out "$out/student-$precision" \
            --precision "$precision" --calibration "$calibration" --precision-tolerance 0 2>"$out/student-$precision.log" \
            | grep -E "accuracy" | sed "s/^/student $precision: /"
        grep -h "mean cosine" "$out/student-$precision.log" || true
    fi
done
