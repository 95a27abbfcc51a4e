#!/usr/bin/env bash
# Trains a face recognition model on LFW's development-train people and evaluates it, beside dlib's features, on
# the identity-disjoint pairsDevTest.txt (threshold from pairsDevTrain.txt), ORL and Extended Yale B (10 folds).
#
#   scripts/experiments/lfw-recognition.sh OUT [visage train flags...]
#
# The run continues from its last checkpoint when OUT already holds one. Environment: DATA (default
# ../shared/data), VISAGE (default .build/release/visage), VISAGE_THREADS (default 1: one libtorch thread per
# process, fastest on the shared 2-core machine). Prints one Markdown table; reports land in OUT/eval-*/.
set -euo pipefail
out=${1:?usage: lfw-recognition.sh OUT [visage train flags...]}
shift
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/release/visage}
export VISAGE_THREADS=${VISAGE_THREADS:-1}

if [ ! -f "$out/model.safetensors" ]; then
    resume=()
    [ -e "$out/checkpoints/latest" ] && resume=(--resume)
    "$visage" train --data "$data/lfw/aligned" --people "$data/lfw/peopleDevTrain.txt" --min-images 2 \
        --out "$out" "${resume[@]}" "$@"
fi

# name pairs root [train-pairs]
protocols=(
    "lfw-devtest lfw/pairsDevTest.txt lfw lfw/pairsDevTrain.txt"
    "orl orl/pairs.txt orl"
    "yaleb-easy yaleb/pairs_easy.txt yaleb"
    "yaleb-hard yaleb/pairs_hard.txt yaleb"
)
accuracy() { /usr/bin/python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["verification"][0]; m=a["accuracy"]
s=" ± %.2f" % m["standardDeviation"] if m["thresholdProtocol"]=="crossValidated" else ""
print("%.2f%s (AUC %.4f)" % (m["mean"], s, a["areaUnderCurve"]))' "$1/report.json"; }
rows=()
for protocol in "${protocols[@]}"; do
    read -r name pairs set train <<<"$protocol"
    threshold=()
    [ -n "${train:-}" ] && threshold=(--train-pairs "$data/$train")
    "$visage" eval --model "$out/model.safetensors" --root "$data/$set/aligned" --pairs "$data/$pairs" \
        "${threshold[@]}" --out "$out/eval-$name" >/dev/null
    "$visage" eval --features "$data/$set/features/dlib_resnet128.npy" --root "$data/$set/aligned" \
        --pairs "$data/$pairs" "${threshold[@]}" --name dlib --out "$out/eval-$name-dlib" >/dev/null
    rows+=("| $pairs | $(accuracy "$out/eval-$name") | $(accuracy "$out/eval-$name-dlib") |")
done
echo "| pairs | $(basename "$out") accuracy % | dlib accuracy % |"
echo "|---|---|---|"
printf '%s\n' "${rows[@]}"
