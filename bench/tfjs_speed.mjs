// TensorFlow.js's pure-JavaScript CPU backend beside emo's TF.js graph executor on the committed face models
// (bench/face_speed.sh, issue 15's speed bar (a)).
//
//   node bench/tfjs_speed.mjs [--min-time 3] [--min-runs 20] [--cases emotion:1,emotion:32,...] [--print-outputs N]
//
// The same cases and inputs as bench/bench_tfjs.cpp: the expression model (input_1, 64x64x1) at batch 1 and 32,
// BlazeFace (input, 256x256x3) and facemesh-detection-short (input, 128x128x3) at batch 1, every output of the graph,
// the input built once per case with value i = 0.5 + 0.5 sin(0.013 i) over the flat tensor, in float32 arithmetic as
// the C++ side computes it. TF.js is the npm @tensorflow/tfjs pinned in tests/tfjs_oracle (scripts/setup installs it;
// no second copy), backend 'cpu', which runs on one thread. Each model is read from its files as tests/tfjs_oracle/
// run.mjs does (tf.io.fromMemory). Per case: warm-up runs for at least 0.5 s (and 3 runs), then runs until both
// --min-time seconds and --min-runs runs have passed; each run reads its outputs back (dataSync) inside tf.tidy, so
// memory stays flat. Prints one JSON line per case: {model, batch, runs, ms_per_run, items_per_s}. --print-outputs N
// prints the first N values of each output of each case to stderr first (to compare with emo's by hand).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const oracle = join(root, 'tests', 'tfjs_oracle');

const CASES = {
  emotion: { input: 'input_1', size: 64, channels: 1 },
  blazeface: { input: 'input', size: 256, channels: 3 },
  'facemesh-detection-short': { input: 'input', size: 128, channels: 3 },
};
const DEFAULT_CASES = 'emotion:1,emotion:32,blazeface:1,facemesh-detection-short:1';

function parseArgs(argv) {
  const opts = { minTime: 3, minRuns: 20, cases: DEFAULT_CASES, printOutputs: 0 };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--min-time') opts.minTime = Number(next());
    else if (a === '--min-runs') opts.minRuns = Number(next());
    else if (a === '--cases') opts.cases = next();
    else if (a === '--print-outputs') opts.printOutputs = Number(next());
    else throw new Error(`unknown argument ${a}`);
  }
  opts.cases = opts.cases.split(',').map((c) => {
    const [model, batch] = c.split(':');
    if (!CASES[model] || !(Number(batch) >= 1)) throw new Error(`bad case ${c} (MODEL:BATCH, MODEL one of ${Object.keys(CASES)})`);
    return { model, batch: Number(batch) };
  });
  return opts;
}

function loadTfjs() {
  let require;
  try {
    require = createRequire(join(oracle, 'package.json'));
    require.resolve('@tensorflow/tfjs');
  } catch {
    throw new Error(`${oracle}/node_modules has no @tensorflow/tfjs: run scripts/setup`);
  }
  const tf = require('@tensorflow/tfjs');
  const version = require('@tensorflow/tfjs/package.json').version;
  return { tf, version };
}

async function loadModel(tf, name) {
  const path = join(root, 'models', 'faces', name, 'model.json');
  const modelJson = JSON.parse(readFileSync(path, 'utf8'));
  const weightSpecs = [];
  const shards = [];
  for (const group of modelJson.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) shards.push(readFileSync(join(dirname(path), p)));
  }
  const all = Buffer.concat(shards);
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    signature: modelJson.signature,
    userDefinedMetadata: modelJson.userDefinedMetadata,
    weightSpecs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  }));
}

// bench_tfjs.cpp's image(): v[i] = 0.5f + 0.5f * std::sin(0.013f * float(i)), each step rounded to float32.
function image(tf, batch, size, channels) {
  const v = new Float32Array(batch * size * size * channels);
  const step = Math.fround(0.013);
  for (let i = 0; i < v.length; ++i) {
    const s = Math.fround(Math.sin(Math.fround(step * i)));
    v[i] = 0.5 + Math.fround(0.5 * s);
  }
  return tf.tensor(v, [batch, size, size, channels], 'float32');
}

function runOnce(tf, model, feeds, outputs) {
  tf.tidy(() => {
    let r = model.execute(feeds, outputs);
    if (!Array.isArray(r)) r = [r];
    for (const t of r) t.dataSync();
  });
}

function timeCase(tf, model, feeds, outputs, opts) {
  let start = performance.now();
  for (let warm = 0; warm < 3 || performance.now() - start < 500; ++warm) runOnce(tf, model, feeds, outputs);
  let runs = 0;
  start = performance.now();
  let elapsed = 0;
  while (runs < opts.minRuns || elapsed < opts.minTime * 1000) {
    runOnce(tf, model, feeds, outputs);
    ++runs;
    elapsed = performance.now() - start;
  }
  return { runs, ms: elapsed / runs };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { tf, version } = loadTfjs();
  await tf.setBackend('cpu');
  await tf.ready();
  if (tf.getBackend() !== 'cpu') throw new Error(`backend is ${tf.getBackend()}, not cpu`);
  const models = new Map();
  for (const c of opts.cases) {
    if (!models.has(c.model)) models.set(c.model, await loadModel(tf, c.model));
    const model = models.get(c.model);
    const spec = CASES[c.model];
    const x = image(tf, c.batch, spec.size, spec.channels);
    const feeds = { [spec.input]: x };
    const outputs = model.outputNodes;
    if (opts.printOutputs > 0) {
      tf.tidy(() => {
        let r = model.execute(feeds, outputs);
        if (!Array.isArray(r)) r = [r];
        r.forEach((t, k) => {
          const head = Array.from(t.dataSync().slice(0, opts.printOutputs), (f) => f.toPrecision(7));
          console.error(`${c.model} batch ${c.batch} ${outputs[k]} [${t.shape}]: ${head.join(' ')}`);
        });
      });
    }
    const tensorsBefore = tf.memory().numTensors;
    const { runs, ms } = timeCase(tf, model, feeds, outputs, opts);
    if (tf.memory().numTensors !== tensorsBefore) throw new Error(`${c.model}: tensors leak across runs`);
    x.dispose();
    console.log(JSON.stringify({
      model: c.model, batch: c.batch, runs, ms_per_run: Number(ms.toFixed(4)),
      items_per_s: Number((c.batch * 1000 / ms).toFixed(3)), backend: tf.getBackend(), tfjs: version,
    }));
  }
}

main().catch((e) => {
  console.error(`tfjs_speed.mjs: ${e.message}`);
  process.exit(1);
});
