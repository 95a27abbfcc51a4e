#!/usr/bin/env bash
# Cross-model identification between the two strong engines (issue 15): mobilefacenet-ms1m ⇄ dlib-resnet on LFW,
# the R³AN paper's Tables 4–6 protocol. Transformers train on LFW's DevTrain people (9,525 images, plus varied
# copies of them for the learning curve: no labels needed, never an evaluation image); the other 1,711 identities
# are tested with one gallery image each, the rest as probes (1,997), every DevTrain image a gallery distractor.
#
#   scripts/experiments/crossmodel-engines.sh OUT [R3AN iterations, default 0: no R³AN row] [pretraining iterations]
#
# Environment: DATA (default ../shared/data), VISAGE (default .build/release/visage). Steps whose output exists
# are skipped, so a stopped run continues. Both directions; per direction the rows Src, Tgt, linear, FC and (with
# iterations) R³AN, each trained on 9,525 pairs and on 9,525 + 38,100 varied copies: "mixed" copies (flip, crop,
# photometric jitter; a third re-lit, a third degraded to 24–64 px) and "mild" ones (flip, crop, jitter only).
# With pretraining iterations, the R³AN row is R³AN after that many iterations of extractor pretraining
# (`--extractor-pretraining`, not in the paper) instead of the paper's.
set -euo pipefail
out=${1:?usage: crossmodel-engines.sh OUT [R3AN iterations] [pretraining iterations]}
iterations=${2:-0}
pretraining=${3:-0}
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/release/visage}
lfw=$data/lfw
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"

embed() {  # engine name, image folder, output base
    [ -f "$3.npy" ] || "$visage" embed --engine "$1" --data "$2" --out "$3.npy"
}
for engine in mobilefacenet-ms1m dlib-resnet; do embed "$engine" "$lfw/aligned" "$out/lfw-$engine"; done
for set in "mixed 1 0.3333333333 0.3333333333" "mild 3 0 0"; do
    read -r name seed relight degrade <<<"$set"
    [ -d "$out/copies-$name" ] || "$visage" augment --data "$lfw/aligned" --people "$lfw/peopleDevTrain.txt" \
        --copies 4 --seed "$seed" --relight-probability "$relight" --degrade-probability "$degrade" \
        --out "$out/copies-$name"
    for engine in mobilefacenet-ms1m dlib-resnet; do
        embed "$engine" "$out/copies-$name" "$out/copies-$name-$engine"
        [ -f "$out/train-$name-$engine.npy" ] || /usr/bin/python3 "$here/merge-features.py" \
            "$out/train-$name-$engine.npy" "$out/lfw-$engine.npy" "$out/copies-$name-$engine.npy"
    done
done

split=(--images "$lfw/aligned" --train-people "$lfw/peopleDevTrain.txt")
for direction in "mobilefacenet-ms1m dlib-resnet" "dlib-resnet mobilefacenet-ms1m"; do
    read -r source target <<<"$direction"
    folder="$out/$source-to-$target"
    transformers=()
    for pairs in lfw train-mixed train-mild; do
        features=(--source "$out/$pairs-$source.npy" --target "$out/$pairs-$target.npy")
        size=$([ "$pairs" = lfw ] && echo 9.5k || echo "48k-${pairs#train-}")
        for arch in linear FC; do
            run="$folder/$(echo "$arch" | tr '[:upper:]' '[:lower:]')-$size"
            # FC: 10 epochs of the 9,525 pairs; 2 of the 47,625 (the same number of iterations).
            epochs=$([ "$pairs" = lfw ] && echo 10 || echo 2)
            [ -f "$run/transformer.safetensors" ] || "$visage" cross-model train "${features[@]}" "${split[@]}" \
                --arch "$arch" --epochs "$epochs" --out "$run"
            transformers+=("$arch-$size=$run/transformer.safetensors")
        done
    done
    if [ "$iterations" -gt 0 ]; then
        name=r3an-9.5k
        stage=()
        if [ "$pretraining" -gt 0 ]; then name=r3an-pre-9.5k; stage=(--extractor-pretraining "$pretraining"); fi
        run="$folder/$name"
        resume=()
        [ -e "$run/checkpoints/latest" ] || [ -d "$run/extractor-pretraining" ] && resume=(--resume)
        [ -f "$run/transformer.safetensors" ] || "$visage" cross-model train --source "$out/lfw-$source.npy" \
            --target "$out/lfw-$target.npy" "${split[@]}" --arch R3AN --iterations "$iterations" "${stage[@]}" \
            --checkpoint-every 100 --out "$run" "${resume[@]}"
        transformers+=("$(echo "$name" | sed 's/^r3an/R3AN/')=$run/transformer.safetensors")
    fi
    "$visage" cross-model evaluate --source "$out/lfw-$source.npy" --target "$out/lfw-$target.npy" "${split[@]}" \
        --training-distractors --extractor-on-faces --transformers "${transformers[@]}" | tee "$folder/table.md"
done
