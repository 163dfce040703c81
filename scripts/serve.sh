#!/usr/bin/env bash
# AE Lab in the browser: set up whatever is missing, build the WebAssembly app (preset `web`) and
# serve it (port $PORT, default 8080, or the next free one). Ctrl-C stops it.
#
#   scripts/serve.sh            on 127.0.0.1: this machine only (and the page works offline afterwards)
#   scripts/serve.sh --lan      on this machine's network address, with the URL as a QR code, for a
#                               class on the same Wi-Fi (falls back to 127.0.0.1, saying why, when
#                               the machine has no network address)
#   PORT=9000 scripts/serve.sh
# The files go out precompressed (brotli or gzip, made by the build), so a class of 100 downloads
# about 1 MB each before the first frame instead of 4 MB.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '\033[1m[serve]\033[0m %s\n' "$*"; }

SERVE_ARGS=()
for arg in "$@"; do
  case "$arg" in
    --lan) SERVE_ARGS+=(--lan --qr) ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve.sh: unknown option '$arg' (try --lan or --help)" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh

export NODE_PATH=/usr/share/nodejs   # Debian's emscripten 3.1.6 finds its acorn only here (node 20 does not look in /usr/share/nodejs)
mkdir -p build
say "configure + build: web"
cmake --preset web >build/web.configure.log 2>&1 || { cat build/web.configure.log; exit 1; }
rm -f build/web.configure.log
cmake --build --preset web -j"$(nproc)"
exec node build/web/site/serve.mjs --root build/web/site --port "${PORT:-8080}" ${SERVE_ARGS[@]+"${SERVE_ARGS[@]}"}
