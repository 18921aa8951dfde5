#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test with CTest.
# FAST_SWEEP_COUNT sets how many random configurations the RTL sweep tests (default 12).
# Tests labelled "long" (minutes each) are left out: ctest --test-dir build -L long.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/fetch-ocr-models.sh   # the ONNX tests' models (skipped when npm is unreachable)
bash scripts/build.sh build
ctest --test-dir build --output-on-failure -j2 -LE long
