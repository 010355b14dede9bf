#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing:
#   chromium        browser end-to-end tests; its SwiftShader Vulkan ICD backs WebGPU tests
#   libvulkan1      WebGPU in Node (Dawn) and onnxruntime-node's WebGPU provider
#   fonts-dejavu-core  fonts for headless Chromium screenshots
#   python3-onnx    the official ONNX checker for exported models
#   jupyter (+ nbconvert, ipykernel, nbclient)  executes the example notebooks
#   gcc, libc6-dev, libopenblas-dev  build @ihc/native (the C + OpenBLAS training step)
# Needs root (or sudo) and apt; otherwise it prints what is missing and the tests that
# need those packages report themselves as skipped with the reason.
# `--native`: only what @ihc/native needs to build (used by `npm run reproduce`; without
# it training falls back to TF.js's wasm backend, about 4x slower).
set -u
need=()
native_only=0
[ "${1:-}" = "--native" ] && native_only=1
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
compgen -G '/usr/include/*cblas.h' >/dev/null || compgen -G '/usr/include/*-linux-gnu/cblas.h' >/dev/null || need+=(libopenblas-dev)
if [ "$native_only" = 0 ]; then
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/lib/x86_64-linux-gnu/libvulkan.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libvulkan.so.1 ] || need+=(libvulkan1)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1 || need+=(python3-onnx)
command -v jupyter-nbconvert >/dev/null 2>&1 || need+=(jupyter-nbconvert jupyter-notebook python3-ipykernel jupyter-client python3-nbclient)
fi
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "system-deps: missing Debian packages: ${need[*]} (run as root to install them)" >&2; exit 0; fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${need[*]} and no apt-get; the tests that need them will be skipped" >&2; exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "system-deps: apt-get install failed for ${need[*]}; the tests that need them will be skipped" >&2
exit 0
