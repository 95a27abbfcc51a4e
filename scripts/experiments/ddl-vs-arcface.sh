#!/usr/bin/env bash
# Distribution Distillation Loss against plain ArcFace, same seed, data, initialization and budget, evaluated on
# Extended Yale B's easy and hard-lighting pairs (a test set: no Yale B identity is trained on) and on LFW's
# pairsDevTest.txt, beside dlib's features.
#
#   scripts/experiments/ddl-vs-arcface.sh OUT [extra visage train flags for both fine-tunings...]
#
# 1. OUT/softmax: MobileNetV2-T6, 128-D, 56×56, softmax, 10 epochs on LFW's development-train people. ArcFace
#    (s 64, m 0.5) from scratch does not converge on these 6.7k images (unseen faces collapse onto one
#    direction), so both arms start from this network, with the ArcFace head imprinted from its embeddings.
# 2. OUT/arcface and OUT/ddl, side by side (one libtorch thread each): ArcFace fine-tuning from OUT/softmax for
#    8 epochs at learning rate 0.01 with the same hard view of every face (16 or 24 px, relit with illumination
#    0.8) and identity groups of 4. ArcFace classifies both views; DDL adds its loss from each face to its
#    hard view.
#
# Each stage goes through lfw-recognition.sh (same environment variables) and continues from its last checkpoint.
set -euo pipefail
out=${1:?usage: ddl-vs-arcface.sh OUT [visage train flags...]}
shift
here=$(dirname "$0")
network=(--arch mobilenetv2-t6 --embedding-size 128 --input-size 56 --batch-size 64 --seed 0 --workers 1)
echo "## Softmax (the shared initialization)"
"$here/lfw-recognition.sh" "$out/softmax" "${network[@]}" --loss softmax --epochs 10 --lr 0.1
finetune=("${network[@]}" --initial-model "$out/softmax/model.safetensors" --loss arcface --epochs 8 --lr 0.01
          --hard-resolutions 16,24 --hard-illumination 0.8 --identity-groups 4 --checkpoint-every 100)
"$here/lfw-recognition.sh" "$out/arcface" "${finetune[@]}" "$@" > "$out/arcface.log" 2>&1 &
arcface=$!
"$here/lfw-recognition.sh" "$out/ddl" "${finetune[@]}" --ddl "$@" > "$out/ddl.log" 2>&1 &
ddl=$!
wait $arcface || { echo "ArcFace run failed: see $out/arcface.log" >&2; exit 1; }
wait $ddl || { echo "DDL run failed: see $out/ddl.log" >&2; exit 1; }
echo "## ArcFace"
grep '^|' "$out/arcface.log"
echo "## ArcFace + DDL"
grep '^|' "$out/ddl.log"
