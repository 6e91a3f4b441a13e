#include "nn/transformer.hpp"

#include "nn/parallel_rows.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>

namespace emo::nn {

void Linear::apply(ConstMatrixView x, MatrixView y) const {
    multiply_transposed(x, {weight.data(), out, in, in}, y);
    add_bias(y, bias.data());
}

void TokenBatch::add(std::span<const std::int32_t> sequence, std::span<const std::int32_t> sequence_types) {
    if (!sequence_types.empty() && sequence_types.size() != sequence.size())
        throw Error("token batch: a sequence's types must match its tokens one for one");
    ids.insert(ids.end(), sequence.begin(), sequence.end());
    if (sequence_types.empty())
        types.insert(types.end(), sequence.size(), 0);
    else
        types.insert(types.end(), sequence_types.begin(), sequence_types.end());
    offsets.push_back(ids.size());
}

CheckpointWeights::CheckpointWeights(core::TensorFile& file, std::string origin)
    : file_(file), origin_(std::move(origin)) {}

void CheckpointWeights::use_encoder_prefix(EncoderFamily family) {
    const char* prefix = family == EncoderFamily::bert      ? "bert."
                         : family == EncoderFamily::roberta ? "roberta."
                                                            : "distilbert.";
    prefix_ = file_.tensors.count(std::string(prefix) + "embeddings.word_embeddings.weight") ? prefix : "";
}

bool CheckpointWeights::has(const std::string& name) const { return file_.tensors.count(prefix_ + name) > 0; }

std::vector<std::int64_t> CheckpointWeights::shape_of(const std::string& name) const {
    auto it = file_.tensors.find(prefix_ + name);
    return it == file_.tensors.end() ? std::vector<std::int64_t>{} : it->second.shape;
}

std::vector<float> CheckpointWeights::take(const std::string& name, const std::vector<std::int64_t>& shape) {
    const auto full = prefix_ + name;
    file_.get(full, shape, origin_);  // throws naming the tensor when it is missing or shaped otherwise
    return std::move(file_.tensors.at(full).data);
}

Linear CheckpointWeights::linear(const std::string& name, std::size_t out, std::size_t in) {
    Linear l;
    l.out = out;
    l.in = in;
    l.weight = take(name + ".weight", {std::int64_t(out), std::int64_t(in)});
    l.bias = take(name + ".bias", {std::int64_t(out)});
    return l;
}

NormWeights CheckpointWeights::norm(const std::string& name, std::size_t dim) {
    const bool old_names = !has(name + ".weight") && has(name + ".gamma");
    NormWeights n;
    n.weight = take(name + (old_names ? ".gamma" : ".weight"), {std::int64_t(dim)});
    n.bias = take(name + (old_names ? ".beta" : ".bias"), {std::int64_t(dim)});
    return n;
}

namespace {

// Query, key and value layers stacked into one [3 hidden, hidden] layer.
Linear stack(const Linear& q, const Linear& k, const Linear& v) {
    Linear s;
    s.in = q.in;
    s.out = q.out + k.out + v.out;
    for (const Linear* l : {&q, &k, &v}) {
        s.weight.insert(s.weight.end(), l->weight.begin(), l->weight.end());
        s.bias.insert(s.bias.end(), l->bias.begin(), l->bias.end());
    }
    return s;
}

}  // namespace

TransformerEncoder::TransformerEncoder(EncoderConfig config, CheckpointWeights& w, Precision precision)
    : config_(std::move(config)) {
    const auto& c = config_;
    const auto h = static_cast<std::int64_t>(c.hidden);
    word_embeddings_ = w.take("embeddings.word_embeddings.weight", {std::int64_t(c.vocab_size), h});
    position_embeddings_ = w.take("embeddings.position_embeddings.weight", {std::int64_t(c.max_positions), h});
    if (c.family != EncoderFamily::distilbert)
        type_embeddings_ = w.take("embeddings.token_type_embeddings.weight", {std::int64_t(c.type_vocab_size), h});
    embedding_norm_ = w.norm("embeddings.LayerNorm", c.hidden);
    // The same block under each family's names: query, key, value, attention output, its norm, the feed-forward
    // layers and the output norm.
    struct Names {
        const char *layer, *q, *k, *v, *out, *attention_norm, *ffn_in, *ffn_out, *output_norm;
    };
    static constexpr Names bert{"encoder.layer.",       "attention.self.query",   "attention.self.key",
                                "attention.self.value", "attention.output.dense", "attention.output.LayerNorm",
                                "intermediate.dense",   "output.dense",           "output.LayerNorm"};
    static constexpr Names distilbert{"transformer.layer.", "attention.q_lin",   "attention.k_lin",
                                      "attention.v_lin",    "attention.out_lin", "sa_layer_norm",
                                      "ffn.lin1",           "ffn.lin2",          "output_layer_norm"};
    const Names& n = c.family == EncoderFamily::distilbert ? distilbert : bert;
    for (std::size_t i = 0; i < c.layers; ++i) {
        const auto p = n.layer + std::to_string(i) + ".";
        Layer layer;
        layer.qkv = {stack(w.linear(p + n.q, c.hidden, c.hidden), w.linear(p + n.k, c.hidden, c.hidden),
                           w.linear(p + n.v, c.hidden, c.hidden)),
                     precision};
        layer.attention_output = {w.linear(p + n.out, c.hidden, c.hidden), precision};
        layer.attention_norm = w.norm(p + n.attention_norm, c.hidden);
        layer.intermediate = {w.linear(p + n.ffn_in, c.intermediate, c.hidden), precision};
        layer.output = {w.linear(p + n.ffn_out, c.hidden, c.intermediate), precision};
        layer.output_norm = w.norm(p + n.output_norm, c.hidden);
        layers_.push_back(std::move(layer));
    }
}

void TransformerEncoder::embed(const TokenBatch& batch, float* x) const {
    const auto& c = config_;
    const std::size_t h = c.hidden;
    for (std::size_t s = 0; s < batch.size(); ++s) {
        const std::size_t n = batch.length(s);
        if (n == 0) throw Error("transformer: an empty token sequence");
        if (n > c.max_tokens())
            throw Error("transformer: a sequence of " + std::to_string(n) + " tokens is longer than the model's " +
                        std::to_string(c.max_tokens()));
        std::int32_t position = c.family == EncoderFamily::roberta ? c.pad_token_id : -1;
        for (std::size_t t = batch.offsets[s]; t < batch.offsets[s + 1]; ++t) {
            const auto id = batch.ids[t];
            const auto type = batch.types[t];
            if (id < 0 || static_cast<std::size_t>(id) >= c.vocab_size)
                throw Error("transformer: token id " + std::to_string(id) + " is outside the vocabulary of " +
                            std::to_string(c.vocab_size));
            const bool typed = c.family != EncoderFamily::distilbert;
            if (type < 0 || (typed && static_cast<std::size_t>(type) >= c.type_vocab_size) || (!typed && type != 0))
                throw Error("transformer: token type " + std::to_string(type) + " is outside the model's " +
                            std::to_string(typed ? c.type_vocab_size : 1));
            // RoBERTa counts positions from pad_token_id + 1 over non-padding tokens (padding itself sits at
            // pad_token_id); BERT and DistilBERT number tokens from 0.
            std::size_t pos;
            if (c.family == EncoderFamily::roberta)
                pos = id == c.pad_token_id ? c.pad_token_id : ++position;
            else
                pos = t - batch.offsets[s];
            const float* word = &word_embeddings_[static_cast<std::size_t>(id) * h];
            const float* where = &position_embeddings_[pos * h];
            float* row = x + t * h;
            for (std::size_t k = 0; k < h; ++k) row[k] = word[k] + where[k];
            if (typed) {
                const float* kind = &type_embeddings_[static_cast<std::size_t>(type) * h];
                for (std::size_t k = 0; k < h; ++k) row[k] += kind[k];
            }
        }
    }
    layer_norm({x, batch.tokens(), h, h}, nullptr, 0, embedding_norm_.weight.data(), embedding_norm_.bias.data(),
               c.layer_norm_eps);
}

void TransformerEncoder::attend(const TokenBatch& batch, const float* qkv, float* context) const {
    const std::size_t h = config_.hidden, heads = config_.heads, d = h / heads, stride = 3 * h;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    const auto tasks = static_cast<std::int64_t>(batch.size() * heads);
    // Every (sequence, head) is independent: they are shared among the threads, each product on one thread.
#pragma omp parallel for schedule(dynamic)
    for (std::int64_t task = 0; task < tasks; ++task) {
        const std::size_t s = static_cast<std::size_t>(task) / heads, head = static_cast<std::size_t>(task) % heads;
        const std::size_t n = batch.length(s), first = batch.offsets[s];
        thread_local std::vector<float> scores;
        if (scores.size() < n * n) scores.resize(n * n);
        const float* q = qkv + first * stride + head * d;
        const float* k = q + h;
        const float* v = q + 2 * h;
        multiply_transposed({q, n, d, stride}, {k, n, d, stride}, {scores.data(), n, n, n}, scale);
        softmax_rows({scores.data(), n, n, n});
        multiply({scores.data(), n, n, n}, {v, n, d, stride}, {context + first * h + head * d, n, d, h});
    }
}

std::vector<float> TransformerEncoder::forward(const TokenBatch& batch) const {
    const auto& c = config_;
    const std::size_t n = batch.tokens(), h = c.hidden;
    // Intermediate buffers are kept per thread and only grow: allocating tens of megabytes per call costs page
    // faults and zeroing comparable to a layer's products.
    thread_local std::vector<float> qkv, context, projected, inner;
    for (auto [buffer, size] : {std::pair{&qkv, 3 * h}, {&context, h}, {&projected, h}, {&inner, c.intermediate}})
        if (buffer->size() < n * size) buffer->resize(n * size);
    std::vector<float> hidden(n * h);
    embed(batch, hidden.data());
    // Pointers, not the thread_local vectors, go into the parallel regions: there each thread would see its own.
    float *x = hidden.data(), *projected_rows = projected.data(), *inner_rows = inner.data();
    for (const auto& layer : layers_) {
        layer.qkv.apply(x, n, qkv.data());
        attend(batch, qkv.data(), context.data());
        layer.attention_output.apply(context.data(), n, projected_rows);
        // The element-wise stages row by row on every thread (DistilRoBERTa at batch 32 on two threads: 54.1
        // sequences/s with them on one thread, 59.0 spread).
        for_rows(n, h, [&](std::size_t r) {
            layer_norm({projected_rows + r * h, 1, h, h}, x + r * h, h, layer.attention_norm.weight.data(),
                       layer.attention_norm.bias.data(), c.layer_norm_eps);
        });
        layer.intermediate.apply(projected_rows, n, inner_rows);
        for_rows(n, c.intermediate, [&](std::size_t r) {
            apply_activation(c.activation, inner_rows + r * c.intermediate, c.intermediate);
        });
        layer.output.apply(inner_rows, n, x);
        for_rows(n, h, [&](std::size_t r) {
            layer_norm({x + r * h, 1, h, h}, projected_rows + r * h, h, layer.output_norm.weight.data(),
                       layer.output_norm.bias.data(), c.layer_norm_eps);
        });
    }
    return hidden;
}

std::vector<float> first_token_pool(const std::vector<float>& hidden, const TokenBatch& batch, std::size_t dim) {
    std::vector<float> out(batch.size() * dim);
    for (std::size_t s = 0; s < batch.size(); ++s)
        std::copy_n(hidden.begin() + static_cast<std::ptrdiff_t>(batch.offsets[s] * dim), dim,
                    out.begin() + static_cast<std::ptrdiff_t>(s * dim));
    return out;
}

std::vector<float> mean_pool(const std::vector<float>& hidden, const TokenBatch& batch, std::size_t dim) {
    std::vector<float> out(batch.size() * dim, 0.0f);
    for (std::size_t s = 0; s < batch.size(); ++s) {
        float* row = &out[s * dim];
        for (std::size_t t = batch.offsets[s]; t < batch.offsets[s + 1]; ++t)
            for (std::size_t k = 0; k < dim; ++k) row[k] += hidden[t * dim + k];
        const float inv = 1.0f / static_cast<float>(std::max<std::size_t>(batch.length(s), 1));
        for (std::size_t k = 0; k < dim; ++k) row[k] *= inv;
    }
    return out;
}

}  // namespace emo::nn
