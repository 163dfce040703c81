#!/usr/bin/env bash
# AE Lab as a folder of static files, for any static web host (a course page, GitHub Pages, a
# university web space, nginx, an S3 bucket): the page, app.js / app.wasm / app.data (engine and
# fonts) and app-mt.* (the same with a training thread, for a cross-origin isolated page: the service
# worker makes it so from the second visit), their precompressed copies (.br, .gz), the MNIST pack (data/), the service worker (sw.js).
# Every URL in it is relative, so it works from any sub-path (https://host/course/ae-lab/). The page
# has no icon file (its favicon is a data: URL), so a host has nothing else to find.
#
#   scripts/build-site.sh [OUTDIR]               build (preset web) and write OUTDIR (default build/static-site)
#   scripts/build-site.sh --from SITE [OUTDIR]   copy an already built site folder (e.g. build/web/site)
#
# Then copy OUTDIR to the host. A host that sends FILE.br / FILE.gz for FILE (nginx brotli_static /
# gzip_static, Caddy `precompressed`, Netlify, ...) serves ~1 MB before the first frame instead of
# 4 MB; any other host works too, with the uncompressed files or its own compression. Offline use
# (the service worker) needs HTTPS, as every browser requires.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf '\033[1m[build-site]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[build-site] error:\033[0m %s\n' "$*" >&2; exit 1; }

FROM=""
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --from) [ $# -ge 2 ] || die "--from needs a folder"; FROM="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *) [ -z "$OUT" ] || die "one output folder only"; OUT="$1"; shift ;;
  esac
done
OUT="${OUT:-$ROOT/build/static-site}"

if [ -z "$FROM" ]; then
  cd "$ROOT"
  bash scripts/setup.sh
  export NODE_PATH=/usr/share/nodejs   # Debian's emscripten 3.1.6 finds its acorn only here
  mkdir -p build
  say "configure + build: web"
  cmake --preset web >build/web.configure.log 2>&1 || { cat build/web.configure.log; exit 1; }
  rm -f build/web.configure.log
  cmake --build --preset web -j"$(nproc)"
  FROM="$ROOT/build/web/site"
fi
for f in index.html app.js app.wasm app.data app-mt.js app-mt.wasm app-mt.worker.js app-mt.data sw.js data/train-images-idx3-ubyte; do
  [ -f "$FROM/$f" ] || die "$FROM has no $f: is it a built site folder (build/web/site)?"
done

# Never empty a folder that is not an earlier output of this script.
if [ -e "$OUT" ]; then
  [ -d "$OUT" ] || die "$OUT exists and is not a folder"
  if [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/.aelab-static-site" ]; then
    die "$OUT is not empty and was not written by build-site.sh; give an empty or new folder"
  fi
  find "$OUT" -mindepth 1 -delete
fi
mkdir -p "$OUT"
# cp -p keeps the times: the compressed copies stay newer than their originals.
cp -Rp "$FROM/." "$OUT/"
rm -f "$OUT/serve.mjs" "$OUT/serve.mjs.br" "$OUT/serve.mjs.gz"   # the local server is not part of the page
touch "$OUT/.aelab-static-site"
node "$ROOT/scripts/finish-site.mjs" --site "$OUT" --sw "$ROOT/web/sw.js" --quiet   # sw.js + copies up to date

# Relative URLs only: no src/href/fetch to "/..." or to another origin in the page or the worker.
if grep -nE '(src|href|action)="(/|https?:)' "$OUT/index.html" | grep -v 'xmlns' ; then
  die "index.html refers to an absolute URL (above): the site would break under a sub-path"
fi

size() { stat -c %s "$1"; }
first=0; firstc=0
for f in index.html app.js app.wasm app.data; do
  first=$((first + $(size "$OUT/$f")))
  if [ -f "$OUT/$f.br" ]; then firstc=$((firstc + $(size "$OUT/$f.br"))); else firstc=$((firstc + $(size "$OUT/$f"))); fi
done
say "wrote $OUT ($(find "$OUT" -type f ! -name '.aelab-static-site' | wc -l) files, $(du -sh "$OUT" | cut -f1))"
say "before the first frame: $((first / 1000)) kB, $((firstc / 1000)) kB with brotli; the MNIST pack is fetched when a lesson needs it"
say "copy the folder's contents to any static host, at any path; scripts/serve.sh serves it on this machine"
