#!/usr/bin/env bash
# Speed of emo's transformer encoder beside PyTorch and ONNX Runtime on the same random weights.
#
#   bench/transformer_speed.sh [OUTDIR]          (default /tmp/emo-transformer-speed)
#
# 1. Makes RoBERTa-base- and DistilRoBERTa-base-shaped random checkpoints with scripts/hf_reference.py (Debian's
#    python3-torch, /usr/bin/python3) in OUTDIR/<model>/, unless they are already there.
# 2. Exports each to ONNX with torch.onnx.export (bench/transformer_peers.py export), unless already done.
# 3. For sequences of 64 tokens, batches of 1 and 32, 1 and 2 threads, runs each (runtime, setting) as its own
#    process, so that its peak resident memory is its own:
#      emo float32 / int8 / bf16  build/bench_transformer (EMO_BENCH_CHECKPOINT, EMO_BENCH_INT8 or _BF16),
#                           --benchmark_filter; bf16 only where the CPU has AVX512-BF16 or AMX (else the row says so)
#      PyTorch float32      bench/transformer_peers.py time (plain-torch batched encoder, torch.inference_mode)
#      PyTorch int8         the same with torch's dynamic int8 quantisation of the linear layers
#      ONNX Runtime float32 bench/ort/ort_speed.mjs (onnxruntime-node, CPU execution provider, optimisation 'all');
#                           needs `scripts/setup --with-bench-peers` (npm ci in bench/ort); skipped otherwise
# 4. Prints one table (model, runtime, precision, threads, batch, sequences/s, peak MB) with the machine, the date
#    and the load average, and keeps it in OUTDIR/table.txt (OUTDIR/results.tsv: the rows; OUTDIR/logs/: each run).
#
# Environment (all optional):
#   EMO_SPEED_MODELS    "name:layers ..." (default "roberta-base:12 distilroberta-base:6"; e.g. "tiny:2" to try it)
#   EMO_SPEED_RUNTIMES  default "emo-float32 emo-int8 emo-bf16 pytorch-float32 pytorch-int8 onnxruntime-float32"
#   EMO_SPEED_BATCHES   default "1 32";   EMO_SPEED_THREADS  default "1 2"
#   EMO_SPEED_MIN_TIME  seconds each peer measures after its warm-up batch (default 2; emo's benchmark has 3)
#   EMO_BENCH_BIN       default build/bench_transformer
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-/tmp/emo-transformer-speed}
PY=/usr/bin/python3
BENCH=${EMO_BENCH_BIN:-$ROOT/build/bench_transformer}
MODELS=${EMO_SPEED_MODELS:-"roberta-base:12 distilroberta-base:6"}
RUNTIMES=${EMO_SPEED_RUNTIMES:-"emo-float32 emo-int8 emo-bf16 pytorch-float32 pytorch-int8 onnxruntime-float32"}
BATCHES=${EMO_SPEED_BATCHES:-"1 32"}
THREADS=${EMO_SPEED_THREADS:-"1 2"}
MIN_TIME=${EMO_SPEED_MIN_TIME:-2}
TOKENS=64

die() { echo "transformer_speed.sh: $*" >&2; exit 1; }
note() { echo "transformer_speed.sh: $*" >&2; }

[ -x "$PY" ] || die "$PY missing (scripts/setup installs python3-torch)"
"$PY" -c 'import torch' 2>/dev/null || die "$PY has no torch (scripts/setup installs python3-torch)"
[ -x "$BENCH" ] || die "$BENCH missing: build it first (make, or cmake --build build --target bench_transformer)"
ORT_OK=1
if ! command -v node >/dev/null || [ ! -d "$ROOT/bench/ort/node_modules/onnxruntime-node" ]; then
    ORT_OK=0
    note "ONNX Runtime rows skipped: run scripts/setup --with-bench-peers (node + npm ci in bench/ort)"
fi

mkdir -p "$OUT/logs"
RESULTS=$OUT/results.tsv
: >"$RESULTS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date +%s)

# run_measured LOG PEAKFILE CMD...: runs CMD with stdout to LOG.out, stderr to LOG.err, and writes its peak resident
# set size in kB to PEAKFILE: GNU time's %M where /usr/bin/time exists, else VmHWM polled from /proc/PID/status.
run_measured() {
    local log=$1 peak=$2
    shift 2
    if [ -x /usr/bin/time ]; then
        local status=0
        /usr/bin/time -f '%M' -o "$peak" "$@" >"$log.out" 2>"$log.err" || status=$?
        if [ "$status" = 126 ] || [ "$status" = 127 ]; then  # e.g. build/ relinked under us: once more, later
            sleep 15
            status=0
            /usr/bin/time -f '%M' -o "$peak" "$@" >"$log.out" 2>"$log.err" || status=$?
        fi
        return "$status"
    fi
    "$@" >"$log.out" 2>"$log.err" &
    local pid=$! hwm=0 v
    while kill -0 "$pid" 2>/dev/null; do
        v=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
        sleep 0.1
    done
    echo "$hwm" >"$peak"
    wait "$pid"
}

# record MODEL RUNTIME PRECISION THREADS BATCH RATE PEAK_KB
record() {
    local mb
    mb=$(awk -v k="$7" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.0f", k / 1024; else print "-" }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$mb" | tee -a "$RESULTS" >&2
}

# json_rate FILE: sequences per second from a peer's JSON line or from Google Benchmark's JSON.
json_rate() {
    "$PY" - "$1" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
try:
    doc = json.loads(text)
except ValueError:
    doc = json.loads(text.strip().splitlines()[-1])
if "benchmarks" in doc:
    runs = [b for b in doc["benchmarks"] if b.get("run_type", "iteration") == "iteration"]
    if not runs or runs[0].get("error_occurred"):
        print("error:" + (runs[0].get("error_message", "no run") if runs else "no run").replace(" ", "_"))
    else:
        print(f'{runs[0]["items_per_second"]:.2f}')
else:
    print(f'{doc["sequences_per_second"]:.2f}')
EOF
}

for spec in $MODELS; do
    name=${spec%%:*}
    layers=${spec##*:}
    dir=$OUT/$name
    if [ ! -s "$dir/config.json" ] || [ ! -s "$dir/model.safetensors" ] || [ ! -s "$dir/reference.json" ]; then
        note "making $dir ($layers layers)"
        # --cases 4: hf_reference.py's sample_inputs needs at least 4 (lengths 1, 2, 3 and the maximum).
        "$PY" "$ROOT/scripts/hf_reference.py" make --arch roberta --out "$dir" --vocab 50265 --hidden 768 \
            --layers "$layers" --heads 12 --inter 3072 --max-pos 512 --cases 4
    fi
    if [ "$ORT_OK" = 1 ] && { [ ! -s "$dir/model.onnx" ] || [ "$dir/model.safetensors" -nt "$dir/model.onnx" ]; }; then
        note "exporting $dir/model.onnx"
        "$PY" "$ROOT/bench/transformer_peers.py" export "$dir" --out "$dir/model.onnx" \
            >"$OUT/logs/$name.export.out" 2>"$OUT/logs/$name.export.err" \
            || { cat "$OUT/logs/$name.export.err" >&2; die "ONNX export of $dir failed"; }
    fi
    for batch in $BATCHES; do
        for threads in $THREADS; do
            for rt in $RUNTIMES; do
                runtime=${rt%-*}
                precision=${rt##*-}
                log=$OUT/logs/$name.$rt.b$batch.t$threads
                peak=$log.peak
                rm -f "$peak"
                status=0
                case $runtime in
                emo)
                    int8=0 bf16=0
                    [ "$precision" = int8 ] && int8=1
                    [ "$precision" = bf16 ] && bf16=1
                    EMO_BENCH_CHECKPOINT=$dir EMO_BENCH_INT8=$int8 EMO_BENCH_BF16=$bf16 run_measured "$log" "$peak" "$BENCH" \
                        "--benchmark_filter=BM_TransformerLogits/batch:$batch/threads:$threads/" \
                        --benchmark_format=json || status=$?
                    ;;
                pytorch)
                    extra=()
                    [ "$precision" = int8 ] && extra=(--int8)
                    run_measured "$log" "$peak" "$PY" "$ROOT/bench/transformer_peers.py" time "$dir" \
                        --threads "$threads" --batch "$batch" --tokens "$TOKENS" --min-time "$MIN_TIME" \
                        "${extra[@]}" || status=$?
                    ;;
                onnxruntime)
                    if [ "$ORT_OK" != 1 ]; then
                        record "$name" "$runtime" "$precision" "$threads" "$batch" "not-installed" "-"
                        continue
                    fi
                    run_measured "$log" "$peak" node "$ROOT/bench/ort/ort_speed.mjs" "$dir/model.onnx" \
                        --threads "$threads" --batch "$batch" --tokens "$TOKENS" --min-time "$MIN_TIME" \
                        --check "$dir/model.check.json" || status=$?
                    ;;
                *) die "unknown runtime $rt" ;;
                esac
                if [ "$status" != 0 ]; then
                    tail -n 5 "$log.err" >&2 || true
                    rate="failed($status)"
                else
                    rate=$(json_rate "$log.out" 2>>"$log.err" || echo "unreadable")
                fi
                record "$name" "$runtime" "$precision" "$threads" "$batch" "$rate" "$(cat "$peak" 2>/dev/null || echo -)"
            done
        done
    done
done

{
    echo "emo transformer encoder speed: $TOKENS tokens a sequence, classifier logits, tokenisation excluded"
    echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1); $(nproc) CPUs online;" \
        "$(lscpu | sed -n 's/^Core(s) per socket: *//p' | head -n1) cores per socket x" \
        "$(lscpu | sed -n 's/^Socket(s): *//p' | head -n1) sockets;" \
        "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); emo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(
        [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] && echo ' (modified tree)');" \
        "torch $("$PY" -c 'import torch; print(torch.__version__)');" \
        "onnxruntime-node $( [ "$ORT_OK" = 1 ] && node -p "require('$ROOT/bench/ort/node_modules/onnxruntime-node/package.json').version" || echo 'not installed');" \
        "node $(node --version 2>/dev/null || echo '-')"
    echo "load average (1, 5, 15 min): $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
        "$(($(date +%s) - STARTED)) s in all"
    echo "peak MB: the peak resident set size of the whole process (runtime, interpreter and weights)"
    echo
    { printf 'model\truntime\tprecision\tthreads\tbatch\tsequences/s\tpeak_MB\n'; cat "$RESULTS"; } | column -t -s $'\t'
} | tee "$OUT/table.txt"
