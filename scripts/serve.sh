#!/usr/bin/env bash
# AE Lab in the browser: set up whatever is missing, build the WebAssembly app (preset `web`) and
# serve it on 127.0.0.1 (port $PORT, default 8080, or the next free one). Ctrl-C stops it.
#
#   scripts/serve.sh            or   PORT=9000 scripts/serve.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '\033[1m[serve]\033[0m %s\n' "$*"; }

bash scripts/setup.sh

export NODE_PATH=/usr/share/nodejs   # Debian's emscripten 3.1.6 finds its acorn only here (node 20 does not look in /usr/share/nodejs)
mkdir -p build
say "configure + build: web"
cmake --preset web >build/web.configure.log 2>&1 || { cat build/web.configure.log; exit 1; }
rm -f build/web.configure.log
cmake --build --preset web -j"$(nproc)"
exec node build/web/site/serve.mjs --root build/web/site --port "${PORT:-8080}"
