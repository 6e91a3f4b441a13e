#!/usr/bin/env bash
# Load bars of `emo serve` (issue 16), with wrk (Debian) on loopback, everything on this machine:
#   1. POST /v1/text, one sentence, 64 connections, 30 s: >= 5,000 requests/s, p99 <= 20 ms, no errors;
#   2. POST /v1/conversation, 20 utterances, 64 connections, 30 s: >= 1,000 requests/s, no errors;
#   3. a flood beyond capacity (a 200-utterance conversation from 512 connections against --queue 16): 503s answered
#      quickly, the server stays up and then answers a normal request;
#   4. a soak (SOAK_SECONDS, default 600) of the flood while the server's resident memory is sampled every 10 s.
#
#   bench/serve_load.sh [BUILD_DIR]        (default build/; this script builds nothing)
#
# Environment: SERVE_LOAD_OUT (default /tmp/emo-serve-load), SERVE_LOAD_SECONDS (phases 1-3, default 30),
# SOAK_SECONDS (0 skips the soak), SERVE_THREADS (analysis workers, default: the machine's cores).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-$ROOT/build}
EMO=$BUILD/emo
OUT=${SERVE_LOAD_OUT:-/tmp/emo-serve-load}
SECONDS_EACH=${SERVE_LOAD_SECONDS:-30}
SOAK=${SOAK_SECONDS:-600}
THREADS=${SERVE_THREADS:-$(nproc)}
LUA=$ROOT/bench/serve/post.lua

die() { echo "serve_load.sh: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk missing: run scripts/setup"
[ -x "$EMO" ] || die "$EMO missing: build it first"
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.json "$OUT"/*.log

python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
lines = ["I got the tickets for the concert tonight!", "Wait, tonight? I already told my brother I'd help him move.",
         "Seriously? You said you'd keep this evening free for me.", "I'm sorry, I completely forgot. That's awful of me.",
         "It's fine. I'll ask Sam to come instead."]
def conversation(n):
    return {"dialogue_id": "bench", "utterances": [{"speaker": ["Maya", "Leo"][i % 2], "text": lines[i % 5]} for i in range(n)]}
json.dump({"text": "Thank you so much, this made my day!"}, open(f"{out}/text.json", "w"))
json.dump(conversation(20), open(f"{out}/conversation20.json", "w"))
json.dump(conversation(200), open(f"{out}/conversation200.json", "w"))
PY

# start_server QUEUE: emo serve on a free port; sets PID and URL.
start_server() {
    "$EMO" serve --port 0 --threads "$THREADS" --queue "$1" --access-log off 2>"$OUT/serve.log" &
    PID=$!
    for _ in $(seq 1 600); do
        port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$OUT/serve.log")
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || die "emo serve did not start (see $OUT/serve.log)"
    URL=http://127.0.0.1:$port
    until curl -sf "$URL/healthz" >/dev/null; do sleep 0.2; done  # the models are loaded
}
stop_server() { kill -TERM "$PID"; wait "$PID" || die "emo serve exited with $? after SIGTERM"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# run_wrk NAME PATH BODY CONNECTIONS SECONDS
run_wrk() {
    BODY=$OUT/$3 wrk -t2 -c"$4" -d"$5"s --timeout 10s --latency -s "$LUA" "$URL$2" >"$OUT/$1.txt" 2>&1 ||
        die "wrk failed ($OUT/$1.txt)"
    local rps p99 statuses errors
    rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$OUT/$1.txt")
    p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' "$OUT/$1.txt")
    statuses=$(sed -n 's/^statuses: //p' "$OUT/$1.txt")
    errors=$(sed -n 's/^requests=[0-9]* //p' "$OUT/$1.txt")
    printf '%-28s %8s req/s  p99 %7s ms  %s  (%s)\n' "$1" "$rps" "$p99" "$statuses" "$errors" | tee -a "$OUT/table.txt"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load at start: $(cut -d' ' -f1-3 /proc/loadavg); emo serve --threads $THREADS; wrk -t2 on the same machine" | tee "$OUT/table.txt"
start_server 256
run_wrk text_1_sentence /v1/text text.json 64 "$SECONDS_EACH"
run_wrk conversation_20_utterances /v1/conversation conversation20.json 64 "$SECONDS_EACH"
stop_server

start_server 16
run_wrk flood_conversation_200 /v1/conversation conversation200.json 512 "$SECONDS_EACH"
after=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST -H 'Content-Type: application/json' \
    --data-binary @"$OUT/conversation20.json" "$URL/v1/conversation")
echo "after the flood: a normal request answered $after (status, seconds)" | tee -a "$OUT/table.txt"
[ "${after%% *}" = 200 ] || die "the server did not recover after the flood"
if [ "$SOAK" -gt 0 ]; then
    echo "soak: $SOAK s of the flood, resident memory sampled every 10 s" | tee -a "$OUT/table.txt"
    BODY=$OUT/conversation200.json wrk -t2 -c512 -d"$SOAK"s --timeout 10s -s "$LUA" "$URL/v1/conversation" \
        >"$OUT/soak.txt" 2>&1 &
    wrk_pid=$!
    : >"$OUT/rss.log"
    while kill -0 "$wrk_pid" 2>/dev/null; do
        echo "$(date +%s) $(rss_kb "$PID")" >>"$OUT/rss.log"
        sleep 10
    done
    wait "$wrk_pid" || die "wrk failed during the soak"
    awk 'NR == 1 {first = $2} {if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2; last = $2}
         END {printf "soak RSS (MB): first %.1f, min %.1f, max %.1f, last %.1f over %d samples\n",
              first / 1024, min / 1024, max / 1024, last / 1024, NR}' "$OUT/rss.log" | tee -a "$OUT/table.txt"
    sed -n 's/^statuses: /soak statuses: /p' "$OUT/soak.txt" | tee -a "$OUT/table.txt"
fi
stop_server
echo "serve_load.sh: done; table in $OUT/table.txt"
