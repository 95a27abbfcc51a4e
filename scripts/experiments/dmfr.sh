#!/usr/bin/env bash
# DMFR (issue 19): the MS1M MobileFaceNet's last layer retrained in each mode on LFW DevTrain people + synthetic
# copies, over a frozen trunk; every model evaluated on LFW DevTest / CQ / CP / Yale B hard with all-vs-all impostors.
#
#   scripts/experiments/dmfr.sh OUT [seeds, default "0 1 2"] [modes, default "real naive filter meta disentangle"]
#
# Environment: DATA (default ../shared/data), VISAGE (default .build/debug/visage), STEPS (150), LR (0.01),
# CACHE_FLAGS (default: --images-per-person 3 --training-people 350 --yale-images-per-person 5, the sizes a shared
# 2-core machine affords). Steps whose output exists are skipped, so a stopped run continues.
set -euo pipefail
out=${1:?usage: dmfr.sh OUT [seeds] [modes]}
seeds=${2:-0 1 2}
modes=${3:-real naive filter meta disentangle}
data=${DATA:-../shared/data}
visage=${VISAGE:-.build/debug/visage}
steps=${STEPS:-150}
lr=${LR:-0.01}
mkdir -p "$out"
[ -d "$out/cache" ] || "$visage" dmfr features --data "$data" --out "$out/cache" \
    ${CACHE_FLAGS:---images-per-person 3 --training-people 350 --yale-images-per-person 5}
[ -f "$out/baseline.txt" ] || "$visage" dmfr eval --features "$out/cache" | tee "$out/baseline.txt"
for mode in $modes; do
    for seed in $seeds; do
        run=$out/$mode-s$seed
        [ -f "$run/model.safetensors" ] || "$visage" dmfr train --synthetic "$mode" --features "$out/cache" \
            --out "$run" --steps "$steps" --lr "$lr" --seed "$seed" > "$run.log" 2>&1
        [ -f "$run/eval.txt" ] || "$visage" dmfr eval --features "$out/cache" --model "$run/model.safetensors" \
            > "$run/eval.txt"
    done
done
cat "$out/baseline.txt" "$out"/*-s*/eval.txt
