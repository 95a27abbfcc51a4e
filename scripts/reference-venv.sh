#!/usr/bin/env bash
# Creates .venv-reference/: the Python reference implementations the engine fixtures and benchmarks compare
# against — dlib (the dlib-bin wheel, no compiler needed), numpy and pillow, pinned. Safe to run again.
#   scripts/reference-venv.sh && .venv-reference/bin/python -c "import dlib; print(dlib.__version__)"
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-reference
if [ ! -x "$venv/bin/python" ]; then
    if ! python3 -m venv "$venv" 2>/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
        rm -rf "$venv" && python3 -m venv "$venv"
    fi
fi
"$venv/bin/python" -m pip install --quiet "dlib-bin==20.0.1.post1" "numpy<3" "pillow<12"
echo "reference-venv: $("$venv/bin/python" -c 'import dlib; print("dlib", dlib.__version__)') in $venv" >&2
