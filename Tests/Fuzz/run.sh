#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for FUZZ_SECONDS (default 60),
# FUZZ_JOBS at a time (default 2), then replays every saved regression input.
# Fails if any target crashes, leaks, times out or runs out of memory.
#
#   bash Tests/Fuzz/run.sh                  # every target
#   FUZZ_SECONDS=3600 bash Tests/Fuzz/run.sh FuzzMQTTSN
#
# The corpus grows in .build/fuzz/corpus/<target> (kept between runs, seeded
# from Tests/Fuzz/Seeds/<target>); a crashing input lands in
# .build/fuzz/artifacts/ and belongs in Tests/Fuzz/Regressions/<target>/,
# with a unit test of its own. The summary table is .build/fuzz/summary.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-2}
SWIFT=${SWIFT:-swift}
OUT=$ROOT/.build/fuzz
ALL=(FuzzMQTTSN FuzzMQTT FuzzCoAPMapping FuzzCoAPExchanges FuzzTopicFilter FuzzConfig FuzzGPIOCommand)
[ "$#" -gt 0 ] && TARGETS=("$@") || TARGETS=("${ALL[@]}")

# --disable-dead-strip: the release link's --gc-sections would drop the coverage counters.
# -sanitize-coverage: Swift 6.3's driver leaves -sanitize=fuzzer out of the
# frontend jobs when it compiles without linking (SwiftPM's case), so the Swift
# modules got no coverage counters and every target ran blind (cov 0 or 1);
# asking for the instrumentation itself puts it back.
(cd Tests/Fuzz && $SWIFT build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -enable-testing \
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp --disable-dead-strip)
BIN=$ROOT/Tests/Fuzz/.build/release
mkdir -p "$OUT/logs" "$OUT/artifacts"

run_one() {
  local target=$1 corpus=$OUT/corpus/$1 extra=()
  mkdir -p "$corpus"
  # FuzzCoAPExchanges starts an engine (a dispatch queue, libcoap's context)
  # per input, which leaves more mallocs than frees behind in thread caches:
  # libFuzzer would run LeakSanitizer after every input (7x slower), so its
  # per-input leak check is off for this target; AddressSanitizer's checks stay.
  if [ "$target" = FuzzCoAPExchanges ]; then extra=(-detect_leaks=0); fi
  # Seeds first; libFuzzer adds what it finds to the first directory.
  "$BIN/$target" "$corpus" "$ROOT/Tests/Fuzz/Seeds/$target" "${extra[@]}" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$target-" \
    > "$OUT/logs/$target.log" 2>&1
}
export -f run_one
export BIN OUT ROOT SECONDS_PER_TARGET

status=0
printf '%s\n' "${TARGETS[@]}" | xargs -P "$JOBS" -I{} bash -c 'run_one {}' || status=1

# Every input that once crashed a target is replayed (runs each file once).
for target in "${TARGETS[@]}"; do
  regressions=$ROOT/Tests/Fuzz/Regressions/$target
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    "$BIN/$target" "$regressions"/* >> "$OUT/logs/$target.log" 2>&1 || { echo "$target: a regression input fails again"; status=1; }
  fi
done

{
  echo "| target | seconds | executions | execs/s | coverage (edges) | features | corpus | crashes |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for target in "${TARGETS[@]}"; do
    log=$OUT/logs/$target.log
    # (Every extraction may find nothing: `|| true` keeps set -e from ending the table.)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
    corpus=$(ls "$OUT/corpus/$target" | wc -l)
    crashes=$(ls "$OUT/artifacts" | grep -c "^$target-" || true)
    echo "| $target | $SECONDS_PER_TARGET | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | $corpus | $crashes |"
  done
} | tee "$OUT/summary.md"

if [ "$status" -ne 0 ]; then
  for target in "${TARGETS[@]}"; do
    grep -lE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|SUMMARY:|Fatal error|deadly signal' "$OUT/logs/$target.log" >/dev/null 2>&1 \
      && { echo "== $target"; grep -E -A30 'ERROR:|Fatal error|deadly signal' "$OUT/logs/$target.log" | head -60; }
  done
  echo "fuzzing found a failure: inputs in $OUT/artifacts" >&2
fi
exit "$status"
