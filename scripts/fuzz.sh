#!/usr/bin/env bash
# AE Lab: fuzz every reader of outside bytes with libFuzzer (ASan + UBSan).
#
#   scripts/fuzz.sh [SECONDS] [--only TARGET] [--jobs N]   build the preset fuzz (set-up first),
#                                                          then run each target SECONDS (default 600)
#   scripts/fuzz.sh --runs N [--only TARGET]               run each target for N executions instead
#   scripts/fuzz.sh --seeds-only                           just (re)write the seed corpora
#   --build DIR   use an already built fuzz tree (ctest's smoke run passes its own)
#   --fresh-seeds rewrite the seed corpora first (they are kept otherwise)
#
# Targets (tests/fuzz/fuzz_*.cpp): idx, csv, model, worked_example, lesson, url_query. Seeds come
# from real files (tests/fuzz/make_seeds.cpp, assets/lessons, assets/worked-examples,
# tests/cli/*.csv) into DIR/seeds/TARGET; what a target learns accumulates in DIR/corpus/TARGET
# (kept between runs). A finding is written to DIR/findings/TARGET-crash-… and the script exits 1.
# At the end: executions and executions per second per target, from libFuzzer's final stats.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }

SECONDS_EACH=600
ONLY=""
BUILD=""
SEEDS_ONLY=0
RUNS=""
FRESH=0
JOBS=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --seeds-only) SEEDS_ONLY=1; shift ;;
    --fresh-seeds) FRESH=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *[!0-9]*|'') echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    *) SECONDS_EACH=$1; shift ;;
  esac
done
TARGETS=(idx csv model worked_example lesson url_query images own_data)
if [ -n "$ONLY" ]; then
  case " ${TARGETS[*]} " in *" $ONLY "*) TARGETS=("$ONLY") ;; *) echo "fuzz.sh: no target '$ONLY' (${TARGETS[*]})" >&2; exit 2 ;; esac
fi

if [ -z "$BUILD" ]; then
  bash scripts/setup.sh
  BUILD="$ROOT/build/fuzz"
  say "configure + build: preset fuzz"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j"$(nproc)"
fi

# --- seed corpora ---------------------------------------------------------------------------
SEEDS="$BUILD/seeds"
if [ "$SEEDS_ONLY" = 1 ] || [ "$FRESH" = 1 ] || [ ! -f "$SEEDS/.complete" ]; then
  rm -rf "$SEEDS"
  mkdir -p "$SEEDS"/{idx,csv,model,worked_example,lesson,url_query}
  ASAN_OPTIONS=detect_leaks=0 "$BUILD/tests/fuzz/aelab_fuzz_seeds" "$SEEDS"
  cp assets/lessons/*.json "$SEEDS/lesson/"
  cp assets/worked-examples/*.json "$SEEDS/worked_example/"
  for f in tests/cli/*.csv; do { printf '\x04'; cat "$f"; } > "$SEEDS/csv/$(basename "$f")"; done  # ',' + last column = label
  touch "$SEEDS/.complete"
  say "seeds: $(for t in idx csv model worked_example lesson url_query images own_data; do printf '%s %s  ' "$t" "$(ls "$SEEDS/$t" | wc -l)"; done)"
  [ "$SEEDS_ONLY" = 1 ] && exit 0
fi

# --- run ------------------------------------------------------------------------------------
mkdir -p "$BUILD/findings" "$BUILD/logs"
run_one() {
  local t=$1
  mkdir -p "$BUILD/corpus/$t"
  # -timeout: one input taking 10 s is a finding (a hang); -rss_limit_mb: so is 2 GB of memory.
  local limit=(-max_total_time="$SECONDS_EACH")
  [ -n "$RUNS" ] && limit=(-runs="$RUNS")
  "$BUILD/tests/fuzz/fuzz_$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$BUILD/findings/$t-" \
    "$BUILD/corpus/$t" "$SEEDS/$t" >"$BUILD/logs/$t.log" 2>&1
}
say "running ${TARGETS[*]} for ${RUNS:-${SECONDS_EACH} s} ${RUNS:+executions} each, $JOBS at a time (logs in $BUILD/logs)"
failed=()
pids=()
names=()
for t in "${TARGETS[@]}"; do
  run_one "$t" &
  pids+=($!); names+=("$t")
  if [ ${#pids[@]} -ge "$JOBS" ]; then
    wait "${pids[0]}" || failed+=("${names[0]}")
    pids=("${pids[@]:1}"); names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed+=("${names[$i]}"); done

printf '\n%-16s %14s %10s %8s  %s\n' target executions "exec/s" corpus result
for t in "${TARGETS[@]}"; do
  log="$BUILD/logs/$t.log"
  runs=$(awk '/stat::number_of_executed_units/{print $2}' "$log" | tail -1)
  speed=$(awk '/stat::average_exec_per_sec/{print $2}' "$log" | tail -1)
  corpus=$(ls "$BUILD/corpus/$t" | wc -l)
  result=ok
  case " ${failed[*]:-} " in *" $t "*) result="FINDING: $(grep -m1 -E 'ERROR:|runtime error|deadly signal|property violated' "$log" || echo see log)";; esac
  printf '%-16s %14s %10s %8s  %s\n' "$t" "${runs:-?}" "${speed:-?}" "$corpus" "$result"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo
  for t in "${failed[@]}"; do echo "--- $t: tail of $BUILD/logs/$t.log"; tail -40 "$BUILD/logs/$t.log"; done
  ls "$BUILD/findings"
  exit 1
fi
