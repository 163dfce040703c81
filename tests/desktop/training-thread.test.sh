#!/usr/bin/env bash
# Training off the UI thread in the desktop app (src/app/training_thread.h): with the thread (the
# default) and in the frames' time slices (--time-slices), a toy lesson and an MNIST lesson train and
# their loss falls; a scene not started takes no step on the thread; the step-through lesson (which
# never trains on the thread) still steps through its phases; the MNIST frame stays small to draw;
# the stacked scene runs through every stage on the thread and gives what the time slices give.
#   tests/desktop/training-thread.test.sh AELAB_DESKTOP XVFB_RUN SCREENSHOT_DIR
set -u
DESKTOP=$1 XVFB=$2 SHOTS=$3
passed=0 failed=0
ok()  { passed=$((passed + 1)); echo "  ok    $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $1"; [ -n "${2:-}" ] && echo "$2" | cut -c1-400 | tail -20 | sed 's/^/        /'; }
desktop() { "$XVFB" -a -s '-screen 0 1280x800x24' "$DESKTOP" "$@" 2>&1; }
# check <name> <regex> <output> [exit status, 0 expected]
check() {
  if [ "${4:-0}" -ne 0 ]; then bad "$1 (exit $4)" "$3"
  elif grep -Eq -- "$2" <<<"$3"; then ok "$1"
  else bad "$1 (no /$2/)" "$3"; fi
}
steps() { sed -n 's/.* \([0-9]*\) steps (.*/\1/p' <<<"$1"; }

out=$(desktop --lesson spiral --train --frames 120 --screenshot "$SHOTS/desktop-thread-spiral.png"); rc=$?
check "a toy lesson trains on its own thread and its loss falls (exit 0)" 'steps/s\), training on its own thread' "$out" $rc
[ "$(steps "$out")" -gt 0 ] 2>/dev/null && ok "…it took steps ($(steps "$out"))" || bad "…it took steps" "$out"
out=$(desktop --lesson spiral --train --time-slices --frames 120); rc=$?
check "the same lesson in the frames' time slices (exit 0)" 'steps/s\), training in the frames. time slices' "$out" $rc

out=$(desktop --lesson spiral --frames 60)
check "a scene not started takes no step on the thread" ' 0 steps \(0\.0 steps/s\), training on its own thread' "$out"

out=$(desktop --lesson mnist-2d-code --train --frames 90 --screenshot "$SHOTS/desktop-thread-mnist.png"); rc=$?
check "an MNIST lesson trains on the thread (exit 0: its loss fell)" 'steps/s\), training on its own thread' "$out" $rc
check "…its digits loaded and its pictures drawn (uploaded by the UI thread)" '"shown":2000,"status":2' "$out"
# What the UI thread gives the GPU each frame: the 2,000 codes are one textured quad each (plot.h's
# draw_dot, 2 triangles), not an anti-aliased polygon (22 triangles each: over 44,000 for the dots).
triangles=$(sed -n 's/.*"triangles":\([0-9]*\).*/\1/p' <<<"$out" | tail -1)
if [ -n "$triangles" ] && [ "$triangles" -gt 4000 ] && [ "$triangles" -lt 20000 ]; then
  ok "…its frame is $triangles triangles with 2,000 codes shown (one quad a dot)"
else bad "…its frame is 4,000 to 20,000 triangles with 2,000 codes shown (one quad a dot): got '${triangles}'" "$out"; fi

# The stacked scene on the thread, as a copy of its own, through every stage (small layers and few
# epochs): pretraining, the unrolled autoencoders, the classifiers, the figure's point.
# The next stage starts at a sync, so the run must give exactly what the frames' time slices give.
lesson=$(mktemp --suffix=.json)
trap 'rm -f "$lesson"' EXIT
cat >"$lesson" <<'JSON'
{"aelab_lesson": 1, "id": "stacked-small", "scene": "stacked",
 "title": {"en": "A small stack", "ko": "작은 적층 오토인코더"}, "text": {"en": "Test.", "ko": "시험."},
 "stacked": {"layers": [{"size": 32, "activation": "sigmoid"}],
             "corruption": {"kind": "masking", "level": 0.2}, "pretrain_epochs": 1, "unrolled_epochs": 1,
             "labels": 100, "finetune_epochs": 10, "finetune_optimizer": "adam", "finetune_learning_rate": 0.01,
             "finetune_batch_size": 10, "seed": 1}}
JSON
figure() { sed -n 's/.*"runs":\(\[[^]]*\]\).*/\1/p' <<<"$1" | tail -1; }
unrolled() { sed -n 's/.*"unrolled_loss_pretrained":\(\[[^]]*\]\).*/\1/p' <<<"$1" | tail -1; }
out=$(desktop --lesson-file "$lesson" --train --until-stopped --frames 5000); rc=$?
check "the stacked scene trains on the thread through every stage to its figure's point (exit 0)" \
  '"runs":\[\{"error_pretrained":[0-9.]+,"error_random":[0-9.]+,"level":0\.2\}\],"stage":4,' "$out" $rc
check "…each stage took its steps: 188 unrolled (an epoch of 12,000 digits, M = 64), 100 fine-tuning (10 epochs of 100, M = 10)" \
  '"finetune_steps":100,.*"unrolled_steps":188}' "$out"
slices=$(desktop --lesson-file "$lesson" --train --until-stopped --frames 5000 --time-slices)
if [ -n "$(figure "$out")" ] && [ "$(figure "$out")" = "$(figure "$slices")" ] && [ "$(unrolled "$out")" = "$(unrolled "$slices")" ]; then
  ok "…and gives the same figure and unrolled losses as in the frames' time slices: $(figure "$out")"
else bad "…and gives the same figure and unrolled losses as in the frames' time slices" \
  "thread: $(figure "$out") $(unrolled "$out"); slices: $(figure "$slices") $(unrolled "$slices")"; fi

out=$(desktop --lesson backprop-2-2-2 --phases 5 --frames 20)
check "the step-through lesson steps through its phases with the thread running (the fifth of ten)" '"phase":4,"phases":10' "$out"

echo "desktop.training_thread: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
