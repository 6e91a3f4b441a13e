// ONNX Runtime (onnxruntime-node, CPU execution provider) beside emo's transformer encoder (bench/transformer_speed.sh).
//
//   node bench/ort/ort_speed.mjs MODEL.onnx --threads N --batch B [--tokens 64] [--min-time 2] [--check MODEL.check.json]
//
// MODEL.onnx comes from `bench/transformer_peers.py export`: input "input_ids" int64 [batch, sequence], output "logits".
// Intra- and inter-op threads are N, graph optimisation level 'all'. Ids are random over [5, vocab) with <s> (0) first
// and </s> (2) last, as in bench/bench_transformer.cpp; one warm-up batch, then batches until --min-time seconds have
// passed. Prints {"sequences_per_second": ...} as JSON. --check first runs the ids in the check file (written by the
// export) and fails where the logits differ from PyTorch's by more than 1e-3.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

function parseArgs(argv) {
  const opts = { threads: 1, batch: 1, tokens: 64, minTime: 2, vocab: 50265, check: null, model: null };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--threads') opts.threads = Number(next());
    else if (a === '--batch') opts.batch = Number(next());
    else if (a === '--tokens') opts.tokens = Number(next());
    else if (a === '--min-time') opts.minTime = Number(next());
    else if (a === '--vocab') opts.vocab = Number(next());
    else if (a === '--check') opts.check = next();
    else if (!a.startsWith('--') && opts.model === null) opts.model = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.model) throw new Error('usage: ort_speed.mjs MODEL.onnx --threads N --batch B [--tokens 64] [--min-time 2] [--check FILE]');
  return opts;
}

function idsTensor(rows) {
  const batch = rows.length;
  const tokens = rows[0].length;
  const data = new BigInt64Array(batch * tokens);
  rows.forEach((row, b) => row.forEach((id, t) => { data[b * tokens + t] = BigInt(id); }));
  return new ort.Tensor('int64', data, [batch, tokens]);
}

function randomRows(batch, tokens, vocab) {
  let state = 1;  // a fixed LCG: the same batch every run
  const next = () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state; };
  return Array.from({ length: batch }, () => {
    const row = Array.from({ length: tokens }, () => 5 + (next() % (vocab - 5)));
    row[0] = 0;
    row[tokens - 1] = 2;
    return row;
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const session = await ort.InferenceSession.create(opts.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.threads,
    interOpNumThreads: opts.threads,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  let checkError = null;
  if (opts.check) {
    const want = JSON.parse(readFileSync(opts.check, 'utf8'));
    opts.vocab = want.vocab_size;
    const out = await session.run({ [inputName]: idsTensor(want.ids) });
    const got = out[outputName].data;
    const labels = want.logits[0].length;
    checkError = 0;
    want.logits.forEach((row, b) => row.forEach((v, j) => {
      checkError = Math.max(checkError, Math.abs(got[b * labels + j] - v));
    }));
    if (!(checkError <= 1e-3)) {
      throw new Error(`ONNX Runtime logits differ from PyTorch's by ${checkError}`);
    }
  }
  const feeds = { [inputName]: idsTensor(randomRows(opts.batch, opts.tokens, opts.vocab)) };
  await session.run(feeds);  // warm-up
  let iterations = 0;
  let elapsed = 0;
  const start = performance.now();
  do {
    await session.run(feeds);
    ++iterations;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < opts.minTime);
  const version = require('onnxruntime-node/package.json').version;
  console.log(JSON.stringify({
    runtime: 'onnxruntime', onnxruntime_node: version, precision: 'float32', threads: opts.threads,
    batch: opts.batch, tokens: opts.tokens, iterations, seconds: Number(elapsed.toFixed(4)),
    sequences_per_second: Number((iterations * opts.batch / elapsed).toFixed(3)), check_max_abs_error: checkError,
  }));
  await session.release();
}

main().catch((e) => { console.error(`ort_speed.mjs: ${e.message}`); process.exit(1); });
