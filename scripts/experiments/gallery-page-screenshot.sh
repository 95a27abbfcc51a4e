#!/usr/bin/env bash
# The README's picture of the gallery's web page (issue 16): a dlib-resnet gallery with photos kept (ORL raw photos:
# photo 1 of s1–s12 enrolled by name, photos 1–4 of s13 and s14 enrolled without a name and clustered), served by
# `visage gallery serve` on loopback; headless Chromium types the key, identifies ORL s3's photo 5 on the page and
# opens the first person, and the page is saved as PNG (GalleryPageTests' screenshot test drives it).
#
#   scripts/experiments/gallery-page-screenshot.sh OUT [PNG, default docs/gallery-page.png] [port, default 18482]
#
# OUT: a folder of gallery-real-data.sh (its orl/ links and devtrain-dlib.npy). Environment: DATA (default
# ../shared/data), VISAGE (default .build/debug/visage; the test target must be built: swift build --build-tests).
set -euo pipefail
out=$(realpath "${1:?usage: gallery-page-screenshot.sh OUT [PNG] [port]}")
png=$(realpath -m "${2:-docs/gallery-page.png}")
port=${3:-18482}
data=$(realpath "${DATA:-../shared/data}")
visage=$(realpath "${VISAGE:-.build/debug/visage}")
repo=$(pwd)
export VISAGE_THREADS=${VISAGE_THREADS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for s in $(seq 1 12); do mkdir -p "$work/named/s$s"; ln -s "$data/orl/raw/s$s/1.png" "$work/named/s$s/1.png"; done
for s in 13 14; do for i in 1 2 3 4; do mkdir -p "$work/unnamed"; ln -s "$data/orl/raw/s$s/$i.png" "$work/unnamed/s$s-$i.png"; done; done
gallery=$work/page.sqlite
"$visage" gallery create --gallery "$gallery" --engine dlib-resnet --keep-photos
"$visage" gallery enroll --gallery "$gallery" "$work/named" --folder-names
"$visage" gallery enroll --gallery "$gallery" "$work/unnamed"
"$visage" gallery calibrate --gallery "$gallery" --pairs "$data/lfw/pairsDevTrain.txt" \
    --features "$out/devtrain-dlib.npy" --far 0.001
"$visage" gallery cluster --gallery "$gallery" --threshold 0.95
key=$(python3 -c "import secrets; print(secrets.token_hex(16))")
"$visage" gallery serve --gallery "$gallery" --api-key "$key" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 1; done
cd "$repo"
VISAGE_PAGE_URL="http://127.0.0.1:$port/" VISAGE_PAGE_KEY="$key" VISAGE_PAGE_PHOTO="$data/orl/raw/s3/5.png" \
    VISAGE_PAGE_SCREENSHOT="$png" swift test --skip-build --no-parallel --filter "GalleryPageTests/screenshot"
echo "wrote $png"
