#!/usr/bin/env bash
# Cross-model identification on LFW (the R³AN paper's Tables 4–6 protocol, issue 6): a Visage model's features
# (source) → dlib's 128-D features (target). Transformers train on LFW's development-train people; the other
# identities are tested with one image each in the gallery, the rest as probes, and every training image as a
# gallery distractor.
#
#   scripts/experiments/crossmodel-lfw.sh MODEL OUT [R3AN iterations, default 3000] [ablation rows: Arch1 … Arch7]
#
# MODEL is a `visage train` model file (trained on DevTrain people only: the test identities stay unseen). Each
# ablation row (Table 3) trains for the same iterations and joins the same table. Environment: DATA (default
# ../shared/data), VISAGE (default .build/release/visage). Steps already done (their output exists) are skipped;
# R³AN runs continue from their checkpoints (with the same iterations: a changed setting is refused). The table
# includes the closed-form linear map and FC.
set -euo pipefail
model=${1:?usage: crossmodel-lfw.sh MODEL OUT [R3AN iterations] [Arch1 … Arch7]}
out=${2:?usage: crossmodel-lfw.sh MODEL OUT [R3AN iterations] [Arch1 … Arch7]}
iterations=${3:-3000}
shift $(( $# < 3 ? $# : 3 ))
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/release/visage}
mkdir -p "$out"

[ -f "$out/source.npy" ] || "$visage" embed --model "$model" --data "$data/lfw/aligned" --out "$out/source.npy"
common=(--source "$out/source.npy" --target "$data/lfw/features/dlib_resnet128.npy" --images "$data/lfw/aligned"
        --train-people "$data/lfw/peopleDevTrain.txt")
[ -f "$out/linear/transformer.safetensors" ] || "$visage" cross-model train "${common[@]}" --arch linear --out "$out/linear"
[ -f "$out/fc/transformer.safetensors" ] || "$visage" cross-model train "${common[@]}" --arch FC --out "$out/fc"
transformers=(linear="$out/linear/transformer.safetensors" FC="$out/fc/transformer.safetensors")
for arch in R3AN "$@"; do
    folder="$out/$(echo "$arch" | tr '[:upper:]' '[:lower:]')"
    resume=()
    [ -e "$folder/checkpoints/latest" ] && resume=(--resume)
    "$visage" cross-model train "${common[@]}" --arch "$arch" --iterations "$iterations" --checkpoint-every 100 \
        --out "$folder" "${resume[@]}"
    transformers+=("$arch=$folder/transformer.safetensors")
done
"$visage" cross-model evaluate "${common[@]}" --training-distractors --extractor-on-faces \
    --transformers "${transformers[@]}" \
    | tee "$out/table.md"
"$visage" cross-model faces --model "$out/r3an/transformer.safetensors" "${common[@]}" --count 16 \
    --out "$out/reconstructions.png"
