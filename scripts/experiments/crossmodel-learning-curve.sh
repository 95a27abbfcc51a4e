#!/usr/bin/env bash
# The transformers' learning curve between the two strong engines (issue 15): top-1 against the number of training
# pairs. Trains the linear map and FC on nested subsets of LFW's DevTrain identities (about 1.2k, 2.4k and 4.8k
# images; people drawn by a seeded shuffle), on all 9,525 DevTrain images, and on those plus 38,100 mild varied
# copies; every transformer is evaluated on the same protocol as crossmodel-engines.sh (1,997 probes of the 1,711
# other identities, the 9,525 DevTrain images as distractors), so the points differ only in their training pairs.
#
#   scripts/experiments/crossmodel-learning-curve.sh XM OUT
#
# XM: the folder crossmodel-engines.sh wrote (its lfw-ENGINE.npy features and train-mild-ENGINE.npy pairs are
# reused). Environment: DATA (default ../shared/data), VISAGE (default .build/release/visage). Existing outputs
# are kept, so a stopped run continues.
set -euo pipefail
xm=${1:?usage: crossmodel-learning-curve.sh XM OUT}
out=${2:?usage: crossmodel-learning-curve.sh XM OUT}
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/release/visage}
lfw=$data/lfw
mkdir -p "$out"

# Nested people lists: the first identities of one seeded shuffle until the image count passes each size.
/usr/bin/python3 - "$lfw/peopleDevTrain.txt" "$out" <<'PY'
import os, random, sys
source, out = sys.argv[1], sys.argv[2]
people = [line.split("\t") for line in open(source).read().splitlines()[1:] if line.strip()]
random.Random(15).shuffle(people)
for size in (1200, 2400, 4800):
    path = os.path.join(out, f"people-{size}.txt")
    if os.path.exists(path):
        continue
    chosen, images = [], 0
    for name, count in people:
        if images >= size:
            break
        chosen.append(f"{name}\t{count}")
        images += int(count)
    with open(path + ".tmp", "w") as handle:
        handle.write(f"{len(chosen)}\n" + "\n".join(chosen) + "\n")
    os.replace(path + ".tmp", path)
    print(f"{path}: {len(chosen)} people, {images} images")
PY

for direction in "mobilefacenet-ms1m dlib-resnet" "dlib-resnet mobilefacenet-ms1m"; do
    read -r source target <<<"$direction"
    folder="$out/$source-to-$target"
    transformers=()
    for set in 1200 2400 4800 9525 48k-mild; do
        case $set in
            48k-mild) features=(--source "$xm/train-mild-$source.npy" --target "$xm/train-mild-$target.npy")
                      people="$lfw/peopleDevTrain.txt" ;;
            9525) features=(--source "$xm/lfw-$source.npy" --target "$xm/lfw-$target.npy")
                  people="$lfw/peopleDevTrain.txt" ;;
            *) features=(--source "$xm/lfw-$source.npy" --target "$xm/lfw-$target.npy")
               people="$out/people-$set.txt" ;;
        esac
        for arch in linear FC; do
            run="$folder/$(echo "$arch" | tr '[:upper:]' '[:lower:]')-$set"
            # FC: the 1,480 iterations of 10 epochs of the 9,525 pairs, whatever the set's size.
            length=(); [ "$arch" = FC ] && length=(--iterations 1480)
            [ -f "$run/transformer.safetensors" ] || "$visage" cross-model train "${features[@]}" \
                --images "$lfw/aligned" --train-people "$people" --arch "$arch" "${length[@]}" --out "$run"
            transformers+=("$arch-$set=$run/transformer.safetensors")
        done
    done
    if [ ! -f "$folder/table.md" ]; then
        "$visage" cross-model evaluate --source "$xm/lfw-$source.npy" --target "$xm/lfw-$target.npy" \
            --images "$lfw/aligned" --train-people "$lfw/peopleDevTrain.txt" --training-distractors \
            --transformers "${transformers[@]}" > "$folder/table.md.tmp"
        mv "$folder/table.md.tmp" "$folder/table.md"
    fi
    cat "$folder/table.md"
done
