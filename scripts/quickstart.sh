#!/usr/bin/env bash
# The main job on a built-in default: installs what is missing, builds, and prices the
# TPU-v3 baseline on EfficientNet-B0 with the analytical model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build
./build/fast config check arch/tpu-v3.json
./build/fast eval --arch arch/tpu-v3.json --workload efficientnet-b0
