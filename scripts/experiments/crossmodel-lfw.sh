#!/usr/bin/env bash
# Cross-model identification on LFW (the R³AN paper's Tables 4–6 protocol, issue 6): a Visage model's features
# (source) → dlib's 128-D features (target). Transformers train on LFW's development-train people; the other
# identities are tested with one image each in the gallery, the rest as probes, and every training image as a
# gallery distractor.
#
#   scripts/experiments/crossmodel-lfw.sh MODEL OUT [R3AN iterations, default 3000]
#
# MODEL is a `visage train` model file (trained on DevTrain people only: the test identities stay unseen).
# Environment: DATA (default ../shared/data), VISAGE (default .build/release/visage). Steps already done (their
# output exists) are skipped; the R³AN run continues from its checkpoint.
set -euo pipefail
model=${1:?usage: crossmodel-lfw.sh MODEL OUT [R3AN iterations]}
out=${2:?usage: crossmodel-lfw.sh MODEL OUT [R3AN iterations]}
iterations=${3:-3000}
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/release/visage}
mkdir -p "$out"

[ -f "$out/source.npy" ] || "$visage" embed --model "$model" --data "$data/lfw/aligned" --out "$out/source.npy"
common=(--source "$out/source.npy" --target "$data/lfw/features/dlib_resnet128.npy" --images "$data/lfw/aligned"
        --train-people "$data/lfw/peopleDevTrain.txt")
[ -f "$out/fc/transformer.safetensors" ] || "$visage" cross-model train "${common[@]}" --arch FC --out "$out/fc"
resume=()
[ -f "$out/r3an/transformer.safetensors" ] && resume=(--resume)
"$visage" cross-model train "${common[@]}" --arch R3AN --iterations "$iterations" --checkpoint-every 100 \
    --out "$out/r3an" "${resume[@]}"
"$visage" cross-model evaluate "${common[@]}" --training-distractors \
    --transformers FC="$out/fc/transformer.safetensors" R3AN="$out/r3an/transformer.safetensors" | tee "$out/table.md"
"$visage" cross-model faces --model "$out/r3an/transformer.safetensors" "${common[@]}" --count 16 \
    --out "$out/reconstructions.png"
