#!/bin/sh
# Starts the repository's Deno (the `deno` devDependency) as a Jupyter kernel.
# Used by kernel.json beside this file: sh deno-kernel.sh <connection file>.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
deno="$root/node_modules/.bin/deno"
if [ ! -x "$deno" ]; then
  echo "deno-kernel: $deno not found; run npm ci in $root" >&2
  exit 1
fi
export DENO_DIR="${DENO_DIR:-$root/.deno}"
exec "$deno" jupyter --kernel --conn "$1"
