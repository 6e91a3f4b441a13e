#!/usr/bin/env python3
"""The PyTorch reference for emo's transformer encoders (issue 14).

`hf_reference.py make --arch ARCH --dtype DTYPE --out DIR` writes a small randomly initialised checkpoint in
Hugging Face layout (config.json, model.safetensors or pytorch_model.bin; tokenizer.json for the WordPiece
architectures) and reference.json: token ids, and the logits and pooled embeddings that a forward pass written here
in plain torch computes for them; for BERT-family checkpoints also texts with the ids their tokenizer gives. emo's tests load the
same directory and compare. transformers is not packaged in Debian, so the forward passes below follow the
published architectures (BERT, RoBERTa / XLM-RoBERTa, DistilBERT, with their sequence-classification heads) with
Debian's python3-torch; the weights the reference uses are the stored ones (rounded to DTYPE) read back as float32.
"""
import argparse
import json
import math
import os
import struct

import torch

ARCHS = ("bert", "roberta", "xlm-roberta", "distilbert")
DTYPES = {"float32": (torch.float32, "F32"), "float16": (torch.float16, "F16"), "bfloat16": (torch.bfloat16, "BF16")}


def small_config(arch, labels, problem_type, act, vocab, hidden, layers, heads, inter, max_pos):
    id2label = {str(i): name for i, name in enumerate(labels)}
    label2id = {name: i for i, name in enumerate(labels)}
    if arch == "distilbert":
        cfg = {"model_type": "distilbert", "architectures": ["DistilBertForSequenceClassification"],
               "vocab_size": vocab, "dim": hidden, "n_layers": layers, "n_heads": heads, "hidden_dim": inter,
               "activation": act, "max_position_embeddings": max_pos, "sinusoidal_pos_embds": False,
               "pad_token_id": 0}
    else:
        roberta = arch != "bert"
        cfg = {"model_type": arch,
               "architectures": [("XLMRoberta" if arch == "xlm-roberta" else "Roberta" if roberta else "Bert")
                                 + "ForSequenceClassification"],
               "vocab_size": vocab, "hidden_size": hidden, "num_hidden_layers": layers,
               "num_attention_heads": heads, "intermediate_size": inter, "hidden_act": act,
               "max_position_embeddings": max_pos + (2 if roberta else 0), "type_vocab_size": 1 if roberta else 2,
               "layer_norm_eps": 1e-5 if roberta else 1e-12, "pad_token_id": 1 if roberta else 0,
               "position_embedding_type": "absolute"}
    cfg.update({"id2label": id2label, "label2id": label2id})
    if problem_type:
        cfg["problem_type"] = problem_type
    return cfg


def random_weights(cfg, gen):
    """State dict with the parameter names Hugging Face's *ForSequenceClassification classes save."""
    def normal(*shape, std=0.3):
        return torch.randn(*shape, generator=gen) * std

    def ln(name, dim):
        w[name + ".weight"] = 1.0 + normal(dim, std=0.1)
        w[name + ".bias"] = normal(dim, std=0.1)

    def linear(name, n_out, n_in):
        w[name + ".weight"] = normal(n_out, n_in, std=1.0 / math.sqrt(n_in))
        w[name + ".bias"] = normal(n_out, std=0.1)

    w = {}
    labels = len(cfg["id2label"])
    if cfg["model_type"] == "distilbert":
        h, inter = cfg["dim"], cfg["hidden_dim"]
        p = "distilbert."
        w[p + "embeddings.word_embeddings.weight"] = normal(cfg["vocab_size"], h)
        w[p + "embeddings.position_embeddings.weight"] = normal(cfg["max_position_embeddings"], h)
        ln(p + "embeddings.LayerNorm", h)
        for i in range(cfg["n_layers"]):
            q = f"{p}transformer.layer.{i}."
            for name in ("q_lin", "k_lin", "v_lin", "out_lin"):
                linear(q + "attention." + name, h, h)
            ln(q + "sa_layer_norm", h)
            linear(q + "ffn.lin1", inter, h)
            linear(q + "ffn.lin2", h, inter)
            ln(q + "output_layer_norm", h)
        linear("pre_classifier", h, h)
        linear("classifier", labels, h)
        return w
    h, inter = cfg["hidden_size"], cfg["intermediate_size"]
    p = "bert." if cfg["model_type"] == "bert" else "roberta."
    w[p + "embeddings.word_embeddings.weight"] = normal(cfg["vocab_size"], h)
    w[p + "embeddings.position_embeddings.weight"] = normal(cfg["max_position_embeddings"], h)
    w[p + "embeddings.token_type_embeddings.weight"] = normal(cfg["type_vocab_size"], h)
    ln(p + "embeddings.LayerNorm", h)
    for i in range(cfg["num_hidden_layers"]):
        q = f"{p}encoder.layer.{i}."
        for name in ("query", "key", "value"):
            linear(q + "attention.self." + name, h, h)
        linear(q + "attention.output.dense", h, h)
        ln(q + "attention.output.LayerNorm", h)
        linear(q + "intermediate.dense", inter, h)
        linear(q + "output.dense", h, inter)
        ln(q + "output.LayerNorm", h)
    if cfg["model_type"] == "bert":
        linear(p + "pooler.dense", h, h)
        linear("classifier", labels, h)
    else:
        linear("classifier.dense", h, h)
        linear("classifier.out_proj", labels, h)
    return w


def activation(name):
    if name == "gelu":
        return lambda x: 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name in ("gelu_new", "gelu_pytorch_tanh", "gelu_fast"):
        return lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    if name == "relu":
        return torch.relu
    raise SystemExit(f"unknown activation {name}")


def layer_norm(x, w, name, eps):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), w[name + ".weight"], w[name + ".bias"], eps)


def dense(x, w, name):
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def attention(x, w, names, heads):
    """Self-attention of one unpadded sequence x [T, H]; names = (query, key, value, output) prefixes."""
    t, h = x.shape
    d = h // heads
    q, k, v = (dense(x, w, n).view(t, heads, d).transpose(0, 1) for n in names[:3])
    scores = q @ k.transpose(1, 2) / math.sqrt(d)
    ctx = torch.softmax(scores, dim=-1) @ v
    return dense(ctx.transpose(0, 1).reshape(t, h), w, names[3])


def forward(cfg, w, ids, types):
    """Logits and the last hidden states of one sequence of token ids (with its special tokens)."""
    ids_t = torch.tensor(ids)
    if cfg["model_type"] == "distilbert":
        p, eps, heads = "distilbert.", 1e-12, cfg["n_heads"]
        act = activation(cfg["activation"])
        x = w[p + "embeddings.word_embeddings.weight"][ids_t] + \
            w[p + "embeddings.position_embeddings.weight"][torch.arange(len(ids))]
        x = layer_norm(x, w, p + "embeddings.LayerNorm", eps)
        for i in range(cfg["n_layers"]):
            q = f"{p}transformer.layer.{i}."
            a = attention(x, w, [q + "attention." + n for n in ("q_lin", "k_lin", "v_lin", "out_lin")], heads)
            x = layer_norm(a + x, w, q + "sa_layer_norm", eps)
            f = dense(act(dense(x, w, q + "ffn.lin1")), w, q + "ffn.lin2")
            x = layer_norm(f + x, w, q + "output_layer_norm", eps)
        pooled = torch.relu(dense(x[0], w, "pre_classifier"))
        return dense(pooled, w, "classifier"), x
    bert = cfg["model_type"] == "bert"
    p, eps, heads = ("bert." if bert else "roberta."), cfg["layer_norm_eps"], cfg["num_attention_heads"]
    act = activation(cfg["hidden_act"])
    if bert:
        positions = torch.arange(len(ids))
    else:  # RoBERTa counts positions from padding_idx + 1 over the tokens that are not padding
        pad = cfg["pad_token_id"]
        mask = (ids_t != pad).long()
        positions = torch.cumsum(mask, 0) * mask + pad
    x = (w[p + "embeddings.word_embeddings.weight"][ids_t] + w[p + "embeddings.position_embeddings.weight"][positions]
         + w[p + "embeddings.token_type_embeddings.weight"][torch.tensor(types)])
    x = layer_norm(x, w, p + "embeddings.LayerNorm", eps)
    for i in range(cfg["num_hidden_layers"]):
        q = f"{p}encoder.layer.{i}."
        a = attention(x, w, [q + "attention.self." + n for n in ("query", "key", "value")]
                      + [q + "attention.output.dense"], heads)
        x = layer_norm(a + x, w, q + "attention.output.LayerNorm", eps)
        f = dense(act(dense(x, w, q + "intermediate.dense")), w, q + "output.dense")
        x = layer_norm(f + x, w, q + "output.LayerNorm", eps)
    if bert:
        pooled = torch.tanh(dense(x[0], w, p + "pooler.dense"))
        return dense(pooled, w, "classifier"), x
    return dense(torch.tanh(dense(x[0], w, "classifier.dense")), w, "classifier.out_proj"), x


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16 or t.dtype == torch.float16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(path, tensors, st_dtype):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = tensor_bytes(t)
        header[name] = {"dtype": st_dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def sample_inputs(cfg, gen, count):
    """Token id sequences framed as the architecture's tokenizer frames them: lengths 1 to the maximum."""
    vocab = cfg["vocab_size"]
    bert_like = cfg["model_type"] in ("bert", "distilbert")
    cls, sep = (2, 3) if bert_like else (0, 2)
    max_len = cfg["max_position_embeddings"] - (0 if bert_like else 2)
    extra = [int(x) for x in torch.randint(4, max_len, (max(count - 4, 0),), generator=gen)]
    lengths = ([1, 2, 3, max_len] + extra)[:count]
    inputs = []
    for n in lengths:
        body = [int(x) for x in torch.randint(5, vocab, (max(n - 2, 0),), generator=gen)]
        ids = ([cls] + body + [sep])[:n] if n >= 2 else [cls]
        types = [0] * len(ids)
        if cfg["model_type"] == "bert" and n >= 6:  # a sentence pair: the second segment has type 1
            half = n // 2
            ids[half - 1] = sep
            types = [0] * half + [1] * (n - half)
        inputs.append({"ids": ids, "types": types})
    return inputs


def wordpiece_tokenizer_json(vocab_size):
    """A tokenizer.json for BERT-family checkpoints: [PAD] [UNK] [CLS] [SEP] [MASK], then words "tok5", "tok6", ..."""
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {tok: i for i, tok in enumerate(specials)}
    vocab.update({f"tok{i}": i for i in range(len(specials), vocab_size)})
    template = lambda pieces: [{"SpecialToken": {"id": p, "type_id": t}} if p.startswith("[")
                               else {"Sequence": {"id": p, "type_id": t}} for p, t in pieces]
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": tok, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i, tok in enumerate(specials)],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "TemplateProcessing",
                           "single": template([("[CLS]", 0), ("A", 0), ("[SEP]", 0)]),
                           "pair": template([("[CLS]", 0), ("A", 0), ("[SEP]", 0), ("B", 1), ("[SEP]", 1)]),
                           "special_tokens": {t: {"id": t, "ids": [vocab[t]], "tokens": [t]}
                                              for t in ("[CLS]", "[SEP]")}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    }


def sample_texts(cfg, gen, count):
    """Texts of known words ("Tok7 tok12 ...", upper case for the normaliser) and the ids the tokenizer gives them."""
    texts = []
    for _ in range(count):
        n = int(torch.randint(1, 12, (1,), generator=gen))
        words = [int(x) for x in torch.randint(5, cfg["vocab_size"], (n,), generator=gen)]
        text = " ".join(("Tok" if i % 2 else "tok") + str(w) for i, w in enumerate(words))
        texts.append({"text": text, "ids": [2] + words + [3], "types": [0] * (n + 2)})
    return texts


def make(args):
    gen = torch.Generator().manual_seed(args.seed)
    labels = [f"label_{i}" for i in range(args.labels)]
    problem = "multi_label_classification" if args.multi_label else None
    cfg = small_config(args.arch, labels, problem, args.act, args.vocab, args.hidden, args.layers, args.heads,
                       args.inter, args.max_pos)
    dtype, st_dtype = DTYPES[args.dtype]
    stored = {k: v.to(dtype) for k, v in random_weights(cfg, gen).items()}
    os.makedirs(args.out, exist_ok=True)
    cfg["torch_dtype"] = args.dtype
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    if args.format == "safetensors":
        write_safetensors(os.path.join(args.out, "model.safetensors"), stored, st_dtype)
    else:
        torch.save(stored, os.path.join(args.out, "pytorch_model.bin"))
    w = {k: v.to(torch.float32) for k, v in stored.items()}
    bert_like = args.arch in ("bert", "distilbert")
    if bert_like:
        with open(os.path.join(args.out, "tokenizer.json"), "w") as f:
            json.dump(wordpiece_tokenizer_json(cfg["vocab_size"]), f, indent=1)
    cases, texts = [], sample_texts(cfg, gen, 6) if bert_like else []
    with torch.no_grad():
        for case in texts:
            case["logits"] = [float(x) for x in forward(cfg, w, case["ids"], case["types"])[0]]
        for case in sample_inputs(cfg, gen, args.cases):
            logits, hidden = forward(cfg, w, case["ids"], case["types"])
            case["logits"] = [float(x) for x in logits]
            case["first_token"] = [float(x) for x in hidden[0]]
            case["mean"] = [float(x) for x in hidden.mean(0)]
            cases.append(case)
    with open(os.path.join(args.out, "reference.json"), "w") as f:
        json.dump({"arch": args.arch, "dtype": args.dtype, "cases": cases, "texts": texts}, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make", help="write a random checkpoint and its reference outputs")
    m.add_argument("--arch", choices=ARCHS, required=True)
    m.add_argument("--dtype", choices=sorted(DTYPES), default="float32")
    m.add_argument("--format", choices=("safetensors", "bin"), default="safetensors")
    m.add_argument("--out", required=True)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--labels", type=int, default=3)
    m.add_argument("--multi-label", action="store_true")
    m.add_argument("--act", default="gelu")
    m.add_argument("--vocab", type=int, default=120)
    m.add_argument("--hidden", type=int, default=32)
    m.add_argument("--layers", type=int, default=2)
    m.add_argument("--heads", type=int, default=4)
    m.add_argument("--inter", type=int, default=64)
    m.add_argument("--max-pos", type=int, default=40)
    m.add_argument("--cases", type=int, default=12)
    args = parser.parse_args()
    make(args)


if __name__ == "__main__":
    main()
