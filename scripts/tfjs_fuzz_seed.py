"""A seed of fuzz/fuzz_tfjs_model.cpp from a TF.js graph model: its model.json with the weight manifest pointing at
one shard named w.bin, a NUL byte, then the shards' bytes in manifest order.

    tfjs_fuzz_seed.py MODEL_JSON OUT
"""
import json
import os
import sys

model_path, out = sys.argv[1], sys.argv[2]
with open(model_path) as f:
    model = json.load(f)
folder = os.path.dirname(model_path)
shard = b""
for group in model["weightsManifest"]:
    for path in group["paths"]:
        with open(os.path.join(folder, path), "rb") as f:
            shard += f.read()
weights = [w for group in model["weightsManifest"] for w in group["weights"]]
model["weightsManifest"] = [{"paths": ["w.bin"], "weights": weights}]
with open(out, "wb") as f:
    f.write(json.dumps(model, separators=(",", ":")).encode() + b"\0" + shard)
