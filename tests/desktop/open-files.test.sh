#!/usr/bin/env bash
# Files opened in the desktop app as if dropped on its window (--open), among them models the CLI
# trained: an MNIST model from `aelab train --save` opens on MNIST; gzipped IDX files and the model
# the CLI trained on them open together; a CSV of 3-D points trains in the toy scene; a malformed
# CSV and a model for other data are refused with their messages (exit 2, no crash).
#   tests/desktop/open-files.test.sh AELAB AELAB_DESKTOP XVFB_RUN SCREENSHOT_DIR MNIST_DIR
set -u
AELAB=$1 DESKTOP=$2 XVFB=$3 SHOTS=$4 MNIST=$5
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "  ok    $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $1"; [ -n "${2:-}" ] && echo "$2" | cut -c1-400 | head -20 | sed 's/^/        /'; }
desktop() { "$XVFB" -a -s '-screen 0 1280x800x24' "$DESKTOP" "$@" 2>&1; }
# check <name> <regex> <output>
check() { if grep -Eq -- "$2" <<<"$3"; then ok "$1"; else bad "$1 (no /$2/)" "$3"; fi; }

# An MNIST model trained by the CLI, shown in the desktop app.
"$AELAB" train --data mnist --max 600 --layers 32,2,32 --activation relu --epochs 1 --quiet --save "$TMP/cli-mnist.aelab" >/dev/null 2>&1 \
  || bad "the CLI trains an MNIST model"
out=$(desktop --open "$TMP/cli-mnist.aelab" --frames 30 --screenshot "$SHOTS/desktop-open-cli-model.png")
check "a CLI-trained MNIST model opens on MNIST" '"mode":"mnist".*"notice":"Opened the model [^"]*cli-mnist.aelab on MNIST\."' "$out"
check "…its digits loaded" '"shown":2000,"status":2' "$out"

# Gzipped IDX files and the model the CLI trained on them (its own split, as the page makes it).
gzip -c "$MNIST/t10k-images-idx3-ubyte" > "$TMP/images.gz"
gzip -c "$MNIST/t10k-labels-idx1-ubyte" > "$TMP/labels.gz"
"$AELAB" train --data "idx:$TMP/images.gz,$TMP/labels.gz" --max 3000 --layers 32,2,32 --activation relu --epochs 1 --quiet \
  --save "$TMP/own.aelab" >/dev/null 2>&1 || bad "the CLI trains on idx:images.gz,labels.gz"
out=$(desktop --open "$TMP/images.gz" --open "$TMP/labels.gz" --frames 10)
check "gzipped IDX images + labels open as the user's data" '"data":"images","features":784,"image":\[28,28\],"labelled":true' "$out"
out=$(desktop --open "$TMP/images.gz" --open "$TMP/labels.gz" --open "$TMP/own.aelab" --frames 30 --screenshot "$SHOTS/desktop-open-own-model.png")
check "…and with them the model the CLI trained on them" 'Opened the model [^"]*own.aelab on your data images' "$out"

# 3-D points from a spreadsheet, with a label column named in the header.
awk 'BEGIN { print "x,y,z,class"; for (i = 0; i < 400; ++i) { t = i / 400 * 12.566; printf "%.4f,%.4f,%.4f,%d\n", cos(t) * 2, sin(t) * 2, t, i % 4 } }' > "$TMP/helix.csv"
out=$(desktop --open "$TMP/helix.csv" --train --frames 120 --screenshot "$SHOTS/desktop-open-csv.png")
code=$?
check "a CSV of 3-D points trains in the toy scene" '"mode":"toy_manifold".*"own":\{[^}]*"labelled":true,"points":400' "$out"
[ $code -eq 0 ] && ok "…and its loss falls (exit 0)" || bad "…and its loss falls (exit $code)" "$out"

# Refusals: a malformed table, a model for data that is not open.
printf 'a,b\n1,2\n3,x\n' > "$TMP/broken.csv"
out=$(desktop --open "$TMP/broken.csv" --frames 5); code=$?
[ $code -eq 2 ] && ok "a malformed CSV: exit 2" || bad "a malformed CSV: exit 2 (got $code)" "$out"
check "…with the line and column" 'broken.csv, line 3, column 2: "x" is not a number' "$out"
out=$(desktop --open "$TMP/own.aelab" --frames 5); code=$?
[ $code -eq 2 ] && ok "a model for data that is not open: exit 2" || bad "a model for data that is not open: exit 2 (got $code)" "$out"
check "…naming its data" 'it was trained on idx:[^ ]*images.gz' "$out"

echo "desktop.open_files: $passed passed, $failed failed"
[ $failed -eq 0 ]
