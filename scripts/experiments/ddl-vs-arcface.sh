#!/usr/bin/env bash
# Distribution Distillation Loss against plain ArcFace, same seed, data and budget: both train on LFW's
# development-train people with the same hard view (each face degraded to 16 or 24 px and relit, illumination
# 0.8) — ArcFace classifies both views, DDL adds its loss from each face to its hard view — and are evaluated on
# Extended Yale B's easy and hard-lighting pairs (a test set: no Yale B identity is trained on) and on LFW's
# pairsDevTest.txt, beside dlib's features.
#
#   scripts/experiments/ddl-vs-arcface.sh OUT [extra visage train flags for both runs...]
#
# Runs OUT/arcface, then OUT/ddl, through lfw-recognition.sh (same environment variables; each continues from
# its last checkpoint).
set -euo pipefail
out=${1:?usage: ddl-vs-arcface.sh OUT [visage train flags...]}
shift
here=$(dirname "$0")
budget=(--arch mobilenetv2-t6 --embedding-size 128 --input-size 56 --hard-resolutions 16,24
        --hard-illumination 0.8 --identity-groups 4 --epochs 20 --batch-size 64 --lr 0.1 --seed 0
        --checkpoint-every 200 --workers 1)
echo "## ArcFace"
"$here/lfw-recognition.sh" "$out/arcface" "${budget[@]}" "$@"
echo "## ArcFace + DDL"
"$here/lfw-recognition.sh" "$out/ddl" "${budget[@]}" --ddl "$@"
