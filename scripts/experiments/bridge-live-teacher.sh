#!/usr/bin/env bash
# Bridge distillation with the live dlib-resnet teacher, several seeds per arm, and the upsampled-teacher baseline
# (docs/experiments/ddl-bridge-strong.md).
#
#   scripts/experiments/bridge-live-teacher.sh OUT [SEEDS (default "0 1 2")] [CONFIG (default lfw-dlib-16.json)]
#
# 1. OUT/seed<S>: `visage distill run` on LFW's DevTrain people (the bridge set of CONFIG) with supervisions
#    c, s, dc, sc at the config's resolutions. The first seed embeds the bridge set with dlib-resnet
#    (--teacher-model) and writes OUT/seed<first>/teacher-dlib-resnet.npy; the others take that file
#    (--teacher-features), so every seed distills the same teacher features.
# 2. Every student verified on LFW DevTest (threshold from DevTrain) and ORL (10 folds), both pair images at the
#    student's resolution (OUT/seed<S>/eval-{lfw,orl}-<student>).
# 3. The baseline without training: dlib-resnet on the same low-resolution pair images upsampled back
#    (OUT/baseline/eval-{lfw,orl}-<p>).
# 4. The tables: mean ± std across seeds beside the within-run standard error (seed-table.py).
#
# One libtorch thread (VISAGE_THREADS=1); every stage resumes when rerun.
set -euo pipefail
out=${1:?usage: bridge-live-teacher.sh OUT [SEEDS] [CONFIG]}
seeds=(${2:-0 1 2})
config=${3:-docs/bridge-distillation/lfw-dlib-16.json}
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/release/visage}
here=$(dirname "$0")
export VISAGE_THREADS=${VISAGE_THREADS:-1}
resolutions=$(python3 -c 'import json,sys; print(" ".join(map(str, json.load(open(sys.argv[1]))["resolutions"])))' "$config")

teacher=(--teacher-model dlib-resnet)
for seed in "${seeds[@]}"; do
    "$visage" distill run --images "$data/lfw/aligned" --people "$data/lfw/peopleDevTrain.txt" "${teacher[@]}" \
        --teacher-name dlib --supervisions c,s,dc,sc --config "$config" --workers 1 --seed "$seed" \
        --out "$out/seed$seed"
    teacher=(--teacher-features "$out/seed${seeds[0]}/teacher-dlib-resnet.npy")
done

evaluate() {  # evaluate MODEL NAME FOLDER [--resolution P]
    local model=$1 name=$2 folder=$3
    shift 3
    [ -f "$folder/eval-lfw-$name/report.json" ] || "$visage" distill eval --student "$model" "$@" \
        --root "$data/lfw/aligned" --pairs "$data/lfw/pairsDevTest.txt" --train-pairs "$data/lfw/pairsDevTrain.txt" \
        --name "$name" --out "$folder/eval-lfw-$name" > /dev/null
    [ -f "$folder/eval-orl-$name/report.json" ] || "$visage" distill eval --student "$model" "$@" \
        --root "$data/orl/aligned" --pairs "$data/orl/pairs.txt" --name "$name" --out "$folder/eval-orl-$name" > /dev/null
}
for seed in "${seeds[@]}"; do
    for student in "$out/seed$seed"/S-*.safetensors; do
        evaluate "$student" "$(basename "$student" .safetensors)" "$out/seed$seed"
    done
done
for p in $resolutions; do
    evaluate dlib-resnet "dlib-upsampled-$p" "$out/baseline" --resolution "$p"
done

for set in lfw orl; do
    echo "## $set"
    rows=()
    for p in $resolutions; do
        rows+=("dlib upsampled from $p×$p (no training)=$out/baseline/eval-$set-dlib-upsampled-$p/report.json")
        for student in c-O s-dlib dc-dlib sc-dlib; do
            rows+=("S-$p-$student=$out/seed*/eval-$set-S-$p-$student/report.json")
        done
    done
    python3 "$here/seed-table.py" "${rows[@]}"
done
