#!/usr/bin/python3
"""PyTorch beside emo's transformer encoder: the same checkpoint, the same batches (bench/transformer_speed.sh).

Run with Debian's python3-torch (/usr/bin/python3). Reads a RoBERTa-family checkpoint directory that
scripts/hf_reference.py writes (config.json + model.safetensors), builds a batched encoder with its classification
head as a torch.nn.Module in plain torch (the math of hf_reference.forward, on [batch, tokens, hidden] tensors with no
padding), checks its logits for one sequence against hf_reference.forward (within 1e-4), then

  transformer_peers.py time   DIR --threads N --batch B [--tokens 64] [--min-time 2] [--int8]
      prints {"sequences_per_second": ...} as JSON (torch.inference_mode, one warm-up batch, then batches until
      --min-time seconds have passed); --int8 times torch's dynamic int8 quantisation of the linear layers
  transformer_peers.py export DIR --out MODEL.onnx [--opset 14]
      torch.onnx.export with dynamic batch and sequence axes: input "input_ids" int64 [batch, sequence],
      output "logits" float32 [batch, labels] (for bench/ort/ort_speed.mjs), and beside it MODEL.check.json: two
      sequences of ids and the logits this module gives them (ort_speed.mjs --check compares)
  transformer_peers.py check  DIR
      only the check
"""
import argparse
import json
import math
import os
import struct
import sys
import time


def _threads_from_argv():
    for i, a in enumerate(sys.argv):
        if a == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return "1"


# Debian's torch does its matrix products in the system BLAS (OpenBLAS, BLAS_INFO=generic), whose own thread pool
# torch.set_num_threads does not size: without this, "1 thread" is OpenBLAS's default of one thread per CPU and
# "2 threads" is two OpenMP threads each calling a multithreaded OpenBLAS. It has to be set before torch loads.
os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = _threads_from_argv()

import torch  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import hf_reference  # noqa: E402

SAFETENSORS_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def gelu(x):  # 0.5 x (1 + erf(x / sqrt 2)), as hf_reference.activation("gelu"), in one kernel
    return nn.functional.gelu(x)


def gelu_tanh(x):
    return nn.functional.gelu(x, approximate="tanh")


ACTIVATIONS = {"gelu": gelu, "gelu_new": gelu_tanh, "gelu_pytorch_tanh": gelu_tanh, "gelu_fast": gelu_tanh,
               "relu": torch.relu}


# Module names mirror Hugging Face's RobertaForSequenceClassification so that state_dict() keys are the checkpoint's.
class SelfAttention(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)


class AttentionOutput(nn.Module):
    def __init__(self, h, eps):
        super().__init__()
        self.dense = nn.Linear(h, h)
        self.LayerNorm = nn.LayerNorm(h, eps=eps)


class Attention(nn.Module):
    def __init__(self, h, heads, eps):
        super().__init__()
        self.heads, self.head_dim = heads, h // heads  # Python ints, so that the ONNX trace keeps them constant
        self.self = SelfAttention(h)
        self.output = AttentionOutput(h, eps)

    def forward(self, x):
        b, t, h = x.shape
        d = self.head_dim

        def split(linear):  # [B, T, H] -> [B, heads, T, d]
            return linear(x).view(b, t, self.heads, d).transpose(1, 2)

        q, k, v = split(self.self.query), split(self.self.key), split(self.self.value)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d)
        ctx = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, t, h)
        return self.output.LayerNorm(self.output.dense(ctx) + x)


class Intermediate(nn.Module):
    def __init__(self, h, inter, act):
        super().__init__()
        self.dense = nn.Linear(h, inter)
        self.act = act

    def forward(self, x):
        return self.act(self.dense(x))


class Layer(nn.Module):
    def __init__(self, h, heads, inter, eps, act):
        super().__init__()
        self.attention = Attention(h, heads, eps)
        self.intermediate = Intermediate(h, inter, act)
        self.output = AttentionOutput(h, eps)  # dense inter -> h, then LayerNorm
        self.output.dense = nn.Linear(inter, h)

    def forward(self, x):
        x = self.attention(x)
        return self.output.LayerNorm(self.output.dense(self.intermediate(x)) + x)


class Embeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h = cfg["hidden_size"]
        self.pad = cfg["pad_token_id"]
        self.word_embeddings = nn.Embedding(cfg["vocab_size"], h)
        self.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], h)
        self.token_type_embeddings = nn.Embedding(cfg["type_vocab_size"], h)
        self.LayerNorm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"])

    def forward(self, ids):
        # RoBERTa counts positions from padding_idx + 1 over the tokens that are not padding.
        mask = (ids != self.pad).long()
        positions = torch.cumsum(mask, dim=1) * mask + self.pad
        x = self.word_embeddings(ids) + self.position_embeddings(positions) + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x)


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        act = ACTIVATIONS[cfg["hidden_act"]]
        self.layer = nn.ModuleList(
            Layer(cfg["hidden_size"], cfg["num_attention_heads"], cfg["intermediate_size"], cfg["layer_norm_eps"], act)
            for _ in range(cfg["num_hidden_layers"]))

    def forward(self, x):
        for layer in self.layer:
            x = layer(x)
        return x


class Roberta(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embeddings = Embeddings(cfg)
        self.encoder = Encoder(cfg)


class ClassificationHead(nn.Module):
    def __init__(self, h, labels):
        super().__init__()
        self.dense = nn.Linear(h, h)
        self.out_proj = nn.Linear(h, labels)

    def forward(self, x):  # on the first token
        return self.out_proj(torch.tanh(self.dense(x[:, 0])))


class RobertaForSequenceClassification(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.roberta = Roberta(cfg)
        self.classifier = ClassificationHead(cfg["hidden_size"], len(cfg["id2label"]))

    def forward(self, input_ids):
        return self.classifier(self.roberta.encoder(self.roberta.embeddings(input_ids)))


def load(directory):
    """The module with the checkpoint's weights, read straight into its parameters (no second copy)."""
    with open(os.path.join(directory, "config.json")) as f:
        cfg = json.load(f)
    if cfg.get("model_type") not in ("roberta", "xlm-roberta"):
        raise SystemExit(f"{directory}: model_type {cfg.get('model_type')!r}; only RoBERTa-family checkpoints")
    path = os.path.join(directory, "model.safetensors")
    if not os.path.exists(path):
        raise SystemExit(f"{path}: missing (only safetensors checkpoints)")
    with torch.no_grad():
        model = RobertaForSequenceClassification(cfg).eval()
    params = dict(model.state_dict(keep_vars=True))
    with open(path, "rb") as f:
        (header_len,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_len))
        base = 8 + header_len
        for name, info in header.items():
            if name == "__metadata__":
                continue
            if name not in params:
                raise SystemExit(f"{path}: unexpected tensor {name}")
            dtype = SAFETENSORS_DTYPES[info["dtype"]]
            start, end = info["data_offsets"]
            target = params.pop(name).data
            if list(target.shape) != info["shape"]:
                raise SystemExit(f"{path}: {name} has shape {info['shape']}, expected {list(target.shape)}")
            f.seek(base + start)
            if dtype == torch.float32:
                f.readinto(memoryview(target.numpy()).cast("B"))
            else:
                raw = bytearray(end - start)
                f.readinto(raw)
                target.copy_(torch.frombuffer(raw, dtype=dtype).view(target.shape).to(torch.float32))
    if params:
        raise SystemExit(f"{path}: missing tensors {sorted(params)}")
    return cfg, model


def sample_batch(cfg, batch, tokens, seed=1):
    """Random ids like bench/bench_transformer.cpp: uniform over [5, vocab), <s> first and </s> last."""
    gen = torch.Generator().manual_seed(seed)
    ids = torch.randint(5, cfg["vocab_size"], (batch, tokens), generator=gen, dtype=torch.int64)
    ids[:, 0], ids[:, -1] = 0, 2
    return ids


def check(cfg, model, tokens):
    ids = sample_batch(cfg, 2, tokens, seed=7)
    weights = {k: v.detach() for k, v in model.state_dict().items()}
    err = 0.0
    with torch.inference_mode():
        got = model(ids)
        for row in range(ids.shape[0]):
            want, _ = hf_reference.forward(cfg, weights, ids[row].tolist(), [0] * tokens)
            err = max(err, float((got[row] - want).abs().max()))
            if not err <= 1e-4:
                raise SystemExit(f"transformer_peers.py: logits differ from hf_reference.forward by {err:g}")
    return err


def set_threads(n):
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.set_num_threads(n)


def time_it(args):
    set_threads(args.threads)
    cfg, model = load(args.checkpoint)
    err = check(cfg, model, args.tokens)
    if args.int8:
        model = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8, inplace=True)
    ids = sample_batch(cfg, args.batch, args.tokens)
    with torch.inference_mode():
        model(ids)  # warm-up
        iterations, start = 0, time.perf_counter()
        while True:
            model(ids)
            iterations += 1
            elapsed = time.perf_counter() - start
            if elapsed >= args.min_time:
                break
    print(json.dumps({"runtime": "pytorch", "torch": torch.__version__, "precision": "int8" if args.int8 else "float32",
                      "threads": torch.get_num_threads(), "batch": args.batch, "tokens": args.tokens,
                      "iterations": iterations, "seconds": round(elapsed, 4),
                      "sequences_per_second": round(iterations * args.batch / elapsed, 3),
                      "check_max_abs_error": err}))


def export(args):
    cfg, model = load(args.checkpoint)
    err = check(cfg, model, args.tokens)
    ids = sample_batch(cfg, 2, args.tokens)
    with torch.no_grad():
        want = model(ids)
        torch.onnx.export(model, (ids,), args.out, input_names=["input_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch"}},
                          opset_version=args.opset, do_constant_folding=True)
    # OUT.check.json: ids and the logits this module gives them, for bench/ort/ort_speed.mjs --check.
    check_path = os.path.splitext(args.out)[0] + ".check.json"
    with open(check_path, "w") as f:
        json.dump({"vocab_size": cfg["vocab_size"], "ids": ids.tolist(), "logits": want.tolist()}, f)
    print(json.dumps({"onnx": args.out, "opset": args.opset, "bytes": os.path.getsize(args.out), "check": check_path,
                      "check_max_abs_error": err}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("time", "export", "check"):
        p = sub.add_parser(name)
        p.add_argument("checkpoint")
        p.add_argument("--tokens", type=int, default=64)
        if name == "time":
            p.add_argument("--threads", type=int, default=1)
            p.add_argument("--batch", type=int, default=1)
            p.add_argument("--min-time", type=float, default=2.0)
            p.add_argument("--int8", action="store_true")
        if name == "export":
            p.add_argument("--out", required=True)
            p.add_argument("--opset", type=int, default=14)
    args = parser.parse_args()
    if args.command == "time":
        time_it(args)
    elif args.command == "export":
        export(args)
    else:
        set_threads(1)
        cfg, model = load(args.checkpoint)
        print(json.dumps({"check_max_abs_error": check(cfg, model, args.tokens)}))


if __name__ == "__main__":
    main()
