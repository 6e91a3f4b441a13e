#!/usr/bin/env bash
# Issue 14's tokenizer exactness bar: `emo tokenize` gives the ids of Hugging Face's own tokenizers on >= 2,000 varied
# texts for one tokenizer of each kind (WordPiece, byte-level BPE with both layouts of merges, Unigram, WordLevel).
# The oracle is the JavaScript port (npm @huggingface/tokenizers, pinned in tests/tokenizer_oracle/package-lock.json
# and installed by scripts/setup) run by node; where it is known to differ from the Rust crate that defines the
# format, scripts/tokenizer_oracle.py leaves those texts out for that kind and checks hand-worked cases instead.
# The corpus and the tokenizers (vocabularies learned from a training corpus) are made here, by that script.
#
#   tests/tokenizer_oracle.sh EMO_BINARY [KIND...]
set -euo pipefail

emo=${1:?usage: tests/tokenizer_oracle.sh EMO_BINARY [KIND...]}
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python=${EMO_REFERENCE_PYTHON:-/usr/bin/python3}
oracle="$root/tests/tokenizer_oracle"
generator="$root/scripts/tokenizer_oracle.py"
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(wordpiece bpe bpe_merge_strings unigram wordlevel)

if ! command -v node >/dev/null || [ ! -d "$oracle/node_modules/@huggingface/tokenizers" ]; then
    echo "tokenizer_oracle: needs node and tests/tokenizer_oracle/node_modules (run scripts/setup)" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" "$generator" corpus "$work/corpus.jsonl"
"$python" "$generator" tokenizers "$work/tokenizers"

status=0
for kind in "${kinds[@]}"; do
    dir="$work/tokenizers/$kind"
    node "$oracle/encode.mjs" "$dir/tokenizer.json" "$work/corpus.jsonl" >"$work/$kind.oracle.jsonl"
    "$python" "$generator" cases "$kind" "$work/$kind.cases.jsonl"
    "$python" "$generator" pieces "$kind" "$work/$kind.pieces.jsonl"
    node "$oracle/encode.mjs" "$dir/tokenizer.json" "$work/$kind.pieces.jsonl" --no-special-tokens \
        >"$work/$kind.piece_ids.jsonl"
    # --on-error skip: a text emo cannot tokenise is a mismatch of its own line, not the end of the comparison.
    if ! "$emo" tokenize --model "$dir" --input "$work/corpus.jsonl" --on-error skip >"$work/$kind.emo.jsonl" \
        2>"$work/$kind.emo.err" ||
        ! "$emo" tokenize --model "$dir" --input "$work/$kind.cases.jsonl" --on-error skip \
            >"$work/$kind.emo_cases.jsonl" 2>>"$work/$kind.emo.err"; then
        echo "$kind: emo tokenize failed: $(head -c 600 "$work/$kind.emo.err")"
        [ -s "$work/$kind.emo.jsonl" ] || { status=1; continue; }
    fi
    "$python" "$generator" compare "$kind" "$dir" "$work/corpus.jsonl" "$work/$kind.oracle.jsonl" \
        "$work/$kind.emo.jsonl" "$work/$kind.piece_ids.jsonl" "$work/$kind.emo_cases.jsonl" || status=1
done
exit $status
