#!/usr/bin/env bash
# Installs what Visage needs on a Debian machine that already has Swift; safe to run again.
#   libtorch-dev         tensors, autograd and kernels (libtorch 1.13)
#   libopenblas0-openmp  a fast BLAS for libtorch's matrix products (without it they run ~30x slower)
#   libjpeg-dev libpng-dev  image decoding and encoding
#   python3-torch python3-numpy python3-pil  the Python anchors of the benchmarks and interoperability tests
set -euo pipefail

packages=(libtorch-dev libopenblas0-openmp libjpeg-dev libpng-dev pkg-config python3-torch python3-numpy python3-pil)

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
