#!/usr/bin/env bash
# The gallery's clustering threshold chosen on development people (issue 16): LFW View 1 DevTrain faces (aligned
# crops, dlib-resnet) enrolled unassigned and clustered at several link thresholds; the threshold with the best
# pairwise F-measure there is then used on the DevTest faces (identity-disjoint) that gallery-real-data.sh
# enrolled in OUT/lfw-devtest.sqlite.
#
#   scripts/experiments/gallery-cluster-threshold.sh OUT [thresholds, default 0.93 0.94 0.95 0.96 0.97]
#
# Environment: DATA, VISAGE, VISAGE_THREADS as in gallery-real-data.sh.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
out=${1:?usage: gallery-cluster-threshold.sh OUT [thresholds]}
shift
thresholds=("${@:-0.93 0.94 0.95 0.96 0.97}")
data=$(realpath "${DATA:-../shared/data}")
visage=$(realpath "${VISAGE:-.build/release/visage}")
export VISAGE_THREADS=${VISAGE_THREADS:-1}
cd "$out"

"$here/gallery-link-lfw.py" "$data" people "$data/lfw/peopleDevTrain.txt" lfw-devtrain-people
if [ ! -f lfw-devtrain.sqlite ]; then
    "$visage" gallery create --gallery lfw-devtrain.sqlite --engine dlib-resnet
    "$visage" gallery enroll --gallery lfw-devtrain.sqlite lfw-devtrain-people --aligned
fi
best=""; bestF=-1
for threshold in ${thresholds[@]}; do
    line=$("$visage" gallery cluster --gallery lfw-devtrain.sqlite --truth-from-folders --threshold "$threshold" | tail -1)
    echo "DevTrain, threshold $threshold: $line"
    f=$(echo "$line" | sed -E 's/.*F-measure ([0-9.]+).*/\1/')
    if python3 -c "import sys; sys.exit(0 if $f > $bestF else 1)"; then best=$threshold; bestF=$f; fi
done
echo "best on DevTrain: threshold $best (F-measure $bestF); on DevTest:"
"$visage" gallery cluster --gallery lfw-devtest.sqlite --truth-from-folders --threshold "$best"
