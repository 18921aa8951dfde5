#!/usr/bin/env bash
# Installs every Debian package fast needs to build, test and run its RTL flow.
# Idempotent: installs only what is missing. Runs apt-get as root, or through sudo.
set -euo pipefail

packages=(
  gcc g++ make cmake ninja-build pkg-config python3   # toolchain; python3 runs test checks
  libcjson-dev                                         # JSON (configurations, workloads)
  libcmocka-dev                                        # C unit tests
  libprotobuf-c-dev protobuf-c-compiler libonnx-dev    # ONNX import (onnx.proto, protoc-c)
  python3-onnx                                         # ONNX test models and checks
  verilator iverilog yosys                             # lint, simulation, synthesis of RTL
  libsystemc-dev                                       # SystemC system model
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: error: missing packages (${missing[*]}) and neither root nor sudo" >&2
  exit 3
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
