#!/usr/bin/env bash
# emo features and emo audio (one decision per file, no --segments) on long recordings (issue 13): streamed over a
# 15-minute and a two-hour recording made of RAVDESS clips end to end (bench/make_long_recording.cpp), on one thread,
# with /usr/bin/time -v for the wall time and the peak resident memory. emo features reads the file once, emo audio
# twice (speech/emotion_feature_stream). Run from the repository root after building (build/emo, build/make_long_recording).
#   bench/long_recording.sh [MINUTES...]     (default: 15 120)
set -euo pipefail
build=${BUILD:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
minutes=("$@")
[ ${#minutes[@]} -gt 0 ] || minutes=(15 120)
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores; --threads 1"
printf '%-8s %-9s %10s %12s %14s\n' minutes command wall_s x_realtime peak_rss_MB
# Runs `emo ARGS...` on one thread under /usr/bin/time -v and prints its row; its output is left in $work/out.
timed() {
    local m=$1 what=$2
    shift 2
    /usr/bin/time -v "$build/emo" "$@" > "$work/out" 2> "$work/time.txt"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + p[i]; print s}' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
    rtf=$(awk -v m="$m" -v w="$wall" 'BEGIN {printf "%.0f", m * 60 / w}')
    printf '%-8s %-9s %10s %12s %14s\n' "$m" "$what" "$wall" "$rtf" "$rss"
}
for m in "${minutes[@]}"; do
    wav="$work/long_$m.wav"
    "$build/make_long_recording" "$wav" "$m" > /dev/null
    timed "$m" features features --threads 1 "$wav"
    [ "$(wc -l < "$work/out")" -eq 2 ] || { echo "expected one row of functionals" >&2; exit 1; }
    timed "$m" audio audio --threads 1 "$wav"
    grep -q '"emotion"' "$work/out" || { echo "expected a decision: $(cat "$work/out")" >&2; exit 1; }
done
