#!/usr/bin/env bash
# Bridge distillation's learning curve against the bridge-set size (9,525 → 19,050 → 28,575 faces: each DevTrain face,
# + its mirror, + one crop) at 16×16, and the 32×32 students, with the live dlib-resnet teacher
# (docs/experiments/ddl-bridge-strong.md). Run after scripts/experiments/bridge-live-teacher.sh OUT/9k-16 (which
# embeds the 9,525 faces with dlib-resnet into OUT/9k-16/seed0/teacher-dlib-resnet.npy).
#
#   scripts/experiments/bridge-learning-curve.sh OUT [SEEDS (default "0 1 2")]
#
# OUT/28k-16-seed<S> and OUT/19k-16-seed<S>: supervisions c (c-O) and sc; the first 28k seed embeds the 28,575 faces
# with dlib-resnet and every other run takes its rows from that file (the 19k set is a subset of it).
# OUT/9k-32-seed<S>: c, s, dc, sc at 32×32 on the 9,525 faces' teacher features (1 epoch per stage, the first run's
# config); OUT/9k-32e3-seed<S>: c and sc at 32×32 with the 16×16 schedule (3 epochs per stage). Then every student is verified on LFW
# DevTest (threshold from DevTrain) and ORL, and the tables printed (seed-table.py). One libtorch thread per run;
# every stage resumes when rerun.
set -euo pipefail
out=${1:?usage: bridge-learning-curve.sh OUT [SEEDS]}
seeds=(${2:-0 1 2})
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/release/visage}
here=$(dirname "$0")
configs=docs/bridge-distillation
export VISAGE_THREADS=${VISAGE_THREADS:-1}
common=(--images "$data/lfw/aligned" --people "$data/lfw/peopleDevTrain.txt" --teacher-name dlib --workers 1)
nine=${NINE:-$out/9k-16/seed0/teacher-dlib-resnet.npy}

teacher=(--teacher-model dlib-resnet)
for seed in "${seeds[@]}"; do
    "$visage" distill run "${common[@]}" "${teacher[@]}" --supervisions c,sc --config $configs/lfw-dlib-16-flips-crop.json \
        --seed "$seed" --out "$out/28k-16-seed$seed"
    teacher=(--teacher-features "$out/28k-16-seed${seeds[0]}/teacher-dlib-resnet.npy")
    "$visage" distill run "${common[@]}" "${teacher[@]}" --supervisions c,sc --config $configs/lfw-dlib-16-flips.json \
        --seed "$seed" --out "$out/19k-16-seed$seed"
    "$visage" distill run "${common[@]}" --teacher-features "$nine" --supervisions c,s,dc,sc \
        --config $configs/lfw-dlib-32.json --seed "$seed" --out "$out/9k-32-seed$seed"
    "$visage" distill run "${common[@]}" --teacher-features "$nine" --supervisions c,sc \
        --config $configs/lfw-dlib-32-3ep.json --seed "$seed" --out "$out/9k-32e3-seed$seed"
done

for folder in "$out"/28k-16-seed* "$out"/19k-16-seed* "$out"/9k-32-seed* "$out"/9k-32e3-seed*; do
    for student in "$folder"/S-*.safetensors; do
        name=$(basename "$student" .safetensors)
        [ -f "$folder/eval-lfw-$name/report.json" ] || "$visage" distill eval --student "$student" --root "$data/lfw/aligned" \
            --pairs "$data/lfw/pairsDevTest.txt" --train-pairs "$data/lfw/pairsDevTrain.txt" --name "$name" \
            --out "$folder/eval-lfw-$name" > /dev/null
        [ -f "$folder/eval-orl-$name/report.json" ] || "$visage" distill eval --student "$student" --root "$data/orl/aligned" \
            --pairs "$data/orl/pairs.txt" --name "$name" --out "$folder/eval-orl-$name" > /dev/null
    done
done

for set in lfw orl; do
    echo "## $set"
    rows=()
    for size in 19k 28k; do
        for student in c-O sc-dlib; do rows+=("$size S-16-$student=$out/$size-16-seed*/eval-$set-S-16-$student/report.json"); done
    done
    for student in c-O s-dlib dc-dlib sc-dlib; do rows+=("S-32-$student=$out/9k-32-seed*/eval-$set-S-32-$student/report.json"); done
    for student in c-O sc-dlib; do rows+=("S-32-$student, 3 epochs=$out/9k-32e3-seed*/eval-$set-S-32-$student/report.json"); done
    python3 "$here/seed-table.py" "${rows[@]}"
done
