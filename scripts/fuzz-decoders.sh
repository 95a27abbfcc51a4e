#!/usr/bin/env bash
# Builds the image-decoder fuzzer (libFuzzer + AddressSanitizer, see Fuzz/README.md) and runs it for a bounded time.
#
#   scripts/fuzz-decoders.sh [seconds]     default 60
#
# Environment: FUZZ_OUT (default ./fuzz-out: corpus/, seeds/, crashes/, fuzz.log), FUZZ_JOBS (default 1),
# FUZZ_ARGS (extra libFuzzer flags), SWIFTC and CLANG (default: the swiftc on PATH and the clang beside it).
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swiftc="${SWIFTC:-$(command -v swiftc)}"
clang="${CLANG:-$(dirname "$(readlink -f "$swiftc")")/clang}"
build="$root/.build-fuzz"
out="${FUZZ_OUT:-$root/fuzz-out}"
jobs="${FUZZ_JOBS:-1}"
mkdir -p "$build" "$out/corpus" "$out/seeds" "$out/crashes"

echo "== building $build/fuzz-decoders (log: $build/build.log)"
objects=()
: > "$build/build.log"
for source in Sources/CImageCodecs/*.c; do
    object="$build/$(basename "$source" .c).o"
    "$clang" -fsanitize=fuzzer-no-link,address -g -O1 -I Sources/CImageCodecs/include \
        $(pkg-config --cflags libjpeg libpng) -c "$source" -o "$object" >> "$build/build.log" 2>&1 \
        || { cat "$build/build.log"; exit 1; }
    objects+=("$object")
done
"$swiftc" -sanitize=fuzzer,address -parse-as-library -O -g -module-name VisageFuzz -package-name Visage -use-ld=lld -D VISAGE_FUZZING \
    -I Sources/CImageCodecs/include \
    Sources/VisageCore/Image.swift Sources/Visage/Data/ImageIO/*.swift \
    Tests/VisageTests/ImageIO/PNGFixture.swift Fuzz/*.swift \
    "${objects[@]}" $(pkg-config --libs libjpeg libpng) \
    -o "$build/fuzz-decoders" >> "$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

echo "== seeds"
rm -f "$out/seeds"/*
VISAGE_FUZZ_WRITE_SEEDS="$out/seeds" "$build/fuzz-decoders"

echo "== fuzzing for ${seconds}s (log: $out/fuzz.log)"
# VISAGE_FUZZING caps images at 4 megapixels (see ImageLimits.swift), so no input needs more than a few hundred MiB.
parallel=()
if [ "$jobs" -gt 1 ]; then parallel=(-jobs="$jobs" -workers="$jobs"); fi
# Run from $out: with several jobs libFuzzer writes a fuzz-<n>.log per job into the working directory.
(cd "$out" && "$build/fuzz-decoders" corpus seeds \
    -dict="$root/Fuzz/decoders.dict" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=crashes/ -print_final_stats=1 "${parallel[@]}" ${FUZZ_ARGS:-}) 2>&1 \
    | tee "$out/fuzz.log" | grep -E "INITED|DONE|pulse|ERROR|SUMMARY|stat::|Test unit written" || true

crashes=$(find "$out/crashes" -type f | wc -l)
echo "== $crashes crash/timeout/oom files in $out/crashes"
[ "$crashes" -eq 0 ]
