// The oracle of the TF.js executor's parity tests (tests/test_tfjs_executor.cpp, issue 15): TensorFlow.js (npm
// @tensorflow/tfjs, pinned in package-lock.json) with its pure-JavaScript CPU backend runs a graph model read from
// disk (model.json and its weight shards, handed over with tf.io.fromMemory: no tfjs-node, no network).
//
//   node run.mjs REQUEST.json
//
// REQUEST: {"model": "DIR/model.json", "inputs": {"NAME": {"shape": [...], "values": [...]}, ...},
//           "outputs": ["NAME", ...]}
// Writes one JSON object {"outputs": [{"name": ..., "shape": [...], "values": [...]}, ...]} in the order asked.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";

const request_path = process.argv[2];
if (!request_path) {
    console.error("usage: node run.mjs REQUEST.json");
    process.exit(2);
}
const request = JSON.parse(readFileSync(request_path, "utf8"));
const model_json = JSON.parse(readFileSync(request.model, "utf8"));

// The shards of every manifest group, concatenated in manifest order, as the weight specs expect.
const weight_specs = [];
const shards = [];
for (const group of model_json.weightsManifest) {
    weight_specs.push(...group.weights);
    for (const path of group.paths) shards.push(readFileSync(join(dirname(request.model), path)));
}
const all = Buffer.concat(shards);
const weight_data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);

await tf.setBackend("cpu");
await tf.ready();
const model = await tf.loadGraphModel(
    tf.io.fromMemory({
        modelTopology: model_json.modelTopology,
        format: model_json.format,
        generatedBy: model_json.generatedBy,
        convertedBy: model_json.convertedBy,
        signature: model_json.signature,
        userDefinedMetadata: model_json.userDefinedMetadata,
        weightSpecs: weight_specs,
        weightData: weight_data,
    }),
);

const inputs = {};
for (const [name, t] of Object.entries(request.inputs)) inputs[name] = tf.tensor(t.values, t.shape, "float32");
let results = model.execute(inputs, request.outputs);
if (!Array.isArray(results)) results = [results];
const outputs = [];
for (let i = 0; i < results.length; ++i)
    outputs.push({ name: request.outputs[i], shape: results[i].shape, values: Array.from(await results[i].data()) });
process.stdout.write(JSON.stringify({ backend: tf.getBackend(), outputs }) + "\n");
