#!/usr/bin/env bash
# Gallery migration without photos (issue 16): an FC transformer dlib-resnet → mobilefacenet-ms1m, trained on LFW
# View 1 DevTrain people (aligned crops embedded by both engines; 20 % of those people held out for the
# transformer's own top-1, recorded with its templates), maps the templates of the ORL gallery that
# gallery-real-data.sh enrolled; the ORL probes are then identified through the CLI with mobilefacenet-ms1m, beside
# the gallery re-extracted from its photos (same script).
#
#   scripts/experiments/gallery-migration-transformer.sh OUT
#
# OUT is gallery-real-data.sh's output folder (orl-all.sqlite, orl/probes). Environment: DATA, VISAGE,
# VISAGE_THREADS as there.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
out=${1:?usage: gallery-migration-transformer.sh OUT}
data=$(realpath "${DATA:-../shared/data}")
visage=$(realpath "${VISAGE:-.build/release/visage}")
export VISAGE_THREADS=${VISAGE_THREADS:-1}
cd "$out"
seconds() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$(seconds) - $1:.1f}')"; }

"$here/gallery-link-lfw.py" "$data" people "$data/lfw/peopleDevTrain.txt" lfw-devtrain-people
[ -f devtrain-people-dlib.npy ] || "$visage" embed --engine dlib-resnet --data lfw-devtrain-people --out devtrain-people-dlib.npy
[ -f devtrain-people-mfn.npy ] || "$visage" embed --engine mobilefacenet-ms1m --data lfw-devtrain-people --out devtrain-people-mfn.npy
[ -f fc/transformer.safetensors ] || "$visage" cross-model train --source devtrain-people-dlib.npy \
    --target devtrain-people-mfn.npy --images lfw-devtrain-people --arch FC --out fc | tee fc-train.txt
# The transformer's own top-1 (gallery transformation, Table 6 protocol, on the held-out DevTrain people), recorded
# with the templates it makes.
"$visage" cross-model evaluate --source devtrain-people-dlib.npy --target devtrain-people-mfn.npy \
    --images lfw-devtrain-people --transformers FC=fc/transformer.safetensors | tee fc-evaluate.txt
top1=$(python3 -c "print(float(open('fc-evaluate.txt').read().strip().split('\n')[-1].split('|')[-2]) / 100)")
cp orl-all.sqlite orl-transformed.sqlite
start=$(seconds)
"$visage" gallery migrate --gallery orl-transformed.sqlite --to mobilefacenet-ms1m --method transform \
    --transformer fc/transformer.safetensors --transformer-top1 "$top1"
echo "migrate by transformer: $(elapsed "$start") s (including loading the engine and the transformer)"
"$visage" gallery identify --gallery orl-transformed.sqlite orl/probes --top-k 5 --json identify-transformed.json > /dev/null
"$visage" gallery people --gallery orl-transformed.sqlite --audit | grep -E "templates of|migrate"
python3 - <<'EOF'
import json
for label, name in [("transformed (no photos)", "identify-transformed.json"), ("re-extracted", "identify-migrated.json")]:
    output = json.load(open(name))
    results, engine = output["results"], output["engines"][0]
    folder = lambda path: path.split("/")[-2]
    top1 = sum(r["candidates"][0]["person"] == folder(r["photo"]) for r in results) / 360
    accepted = sum(r["candidates"][0]["person"] == folder(r["photo"]) and r["candidates"][0]["score"] >= engine["threshold"]
                   for r in results) / 360
    print(f"{label}: top-1 {top1:.4f} of 360 ORL probes, DIR {accepted:.4f} at {engine['threshold']}")
EOF
