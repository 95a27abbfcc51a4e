#!/usr/bin/env bash
# DDL against ArcFace from a strong start: the MS1M MobileFaceNet fine-tuned on LFW's DevTrain people with ArcFace
# and the hard view, with and without DDL, same data, steps, seeds and initialization; the untouched engine as a
# third row (docs/experiments/ddl-bridge-strong.md).
#
#   scripts/experiments/ddl-strong.sh OUT [SEEDS (default "0 1 2")] [extra visage train flags for both arms...]
#
# OUT/{arcface,ddl}-seed<S>: `visage train --initial-model mobilefacenet-ms1m` (backbone copied, ArcFace head
# imprinted from each identity's mean embedding), ArcFace s 64 m 0.5, hard view 16 or 24 px relit with
# illumination 0.8, identity groups of 4; ArcFace classifies both views, DDL adds its loss (weights 0.1 / 0.02 /
# 0.5, 201 bins, kernel 0.1: the defaults, recorded in each run's recipe.json) from each face to its hard view.
# Schedule: STEPS (default 100) steps of batch BATCH (default 32) at learning rate LR (default 0.001), cosine.
# Every model, and the engine untouched, on LFW DevTest (threshold from DevTrain), ORL, Yale B easy and hard
# (never trained on), without flip-summing (OUT/<run>/eval-<set>). Then the tables over seeds (seed-table.py).
set -euo pipefail
out=${1:?usage: ddl-strong.sh OUT [SEEDS] [visage train flags...]}
seeds=(${2:-0 1 2})
shift $(( $# > 1 ? 2 : 1 ))
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/release/visage}
here=$(dirname "$0")
export VISAGE_THREADS=${VISAGE_THREADS:-1}
run=(--data "$data/lfw/aligned" --people "$data/lfw/peopleDevTrain.txt" --min-images 2
     --arch mobilefacenet-ms1m --initial-model mobilefacenet-ms1m --loss arcface --scale 64 --margin 0.5
     --hard-resolutions 16,24 --hard-illumination 0.8 --identity-groups 4
     --steps "${STEPS:-100}" --batch-size "${BATCH:-32}" --lr "${LR:-0.001}" --checkpoint-every 25 --workers 1)

protocols=(
    "lfw lfw/pairsDevTest.txt lfw lfw/pairsDevTrain.txt"
    "orl orl/pairs.txt orl"
    "yaleb-easy yaleb/pairs_easy.txt yaleb"
    "yaleb-hard yaleb/pairs_hard.txt yaleb"
)
evaluate() {  # evaluate MODEL FOLDER
    for protocol in "${protocols[@]}"; do
        read -r name pairs set train <<<"$protocol"
        threshold=()
        [ -n "${train:-}" ] && threshold=(--train-pairs "$data/$train")
        [ -f "$2/eval-$name/report.json" ] || "$visage" eval --model "$1" --no-flip --root "$data/$set/aligned" \
            --pairs "$data/$pairs" "${threshold[@]}" --out "$2/eval-$name" > /dev/null
    done
}

evaluate mobilefacenet-ms1m "$out/engine"
for seed in "${seeds[@]}"; do
    for arm in arcface ddl; do
        folder="$out/$arm-seed$seed"
        extra=()
        [ "$arm" = ddl ] && extra=(--ddl)
        if [ ! -f "$folder/model.safetensors" ]; then
            resume=()
            [ -e "$folder/checkpoints/latest" ] && resume=(--resume)
            "$visage" train "${run[@]}" "${extra[@]}" --seed "$seed" --out "$folder" "${resume[@]}" "$@"
        fi
        evaluate "$folder/model.safetensors" "$folder"
    done
done

for set in lfw orl yaleb-easy yaleb-hard; do
    echo "## $set"
    python3 "$here/seed-table.py" "mobilefacenet-ms1m untouched=$out/engine/eval-$set/report.json" \
        "ArcFace + hard view=$out/arcface-seed*/eval-$set/report.json" \
        "ArcFace + hard view + DDL=$out/ddl-seed*/eval-$set/report.json"
done
