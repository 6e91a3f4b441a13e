// The transformer encoder of BERT, RoBERTa / XLM-RoBERTa and DistilBERT checkpoints (post-layer-norm blocks of
// self-attention and a feed-forward layer), on the kernels of nn/kernels.hpp.
//
// Sequences are packed, not padded: a batch is every sequence's tokens one after another, the per-token work (the
// linear layers, norms, activations: nearly all of it) runs as one matrix product over all of them, and attention
// runs per sequence over its own tokens. Nothing is computed for padding, so a batch of mixed lengths costs what its
// tokens cost, which is what length bucketing buys a padded runtime.
#pragma once

#include "core/safetensors.hpp"
#include "nn/dense_layer.hpp"
#include "nn/encoder_config.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace emo::nn {

// A fully connected layer as PyTorch stores it: weight [out, in], bias [out].
struct Linear {
    std::vector<float> weight, bias;
    std::size_t in = 0, out = 0;
    // y = x W^T + b for every row of x ([rows, in] -> [rows, out]).
    void apply(ConstMatrixView x, MatrixView y) const;
};

struct NormWeights {
    std::vector<float> weight, bias;
};

// Token ids of several sequences, packed: sequence s is tokens [offsets[s], offsets[s + 1]).
struct TokenBatch {
    std::vector<std::int32_t> ids, types;  // types: the segment of each token (BERT's token_type_ids), 0 by default
    std::vector<std::size_t> offsets{0};

    // Appends one sequence; `types` empty means every token is in segment 0.
    void add(std::span<const std::int32_t> sequence, std::span<const std::int32_t> sequence_types = {});
    std::size_t size() const { return offsets.size() - 1; }
    std::size_t tokens() const { return ids.size(); }
    std::size_t length(std::size_t s) const { return offsets[s + 1] - offsets[s]; }
};

// Reads a checkpoint's tensors by their Hugging Face names, under the prefix its classes save them with ("bert.",
// "roberta.", "distilbert."; none for a bare encoder), moving each out of the file so the weights are held once.
class CheckpointWeights {
public:
    CheckpointWeights(core::TensorFile& file, std::string origin);
    // The encoder's prefix is the one under which `family`'s word embeddings are found.
    void use_encoder_prefix(EncoderFamily family);
    // Names are read under the prefix: the encoder's after use_encoder_prefix, none before or after set_prefix("").
    void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }
    bool has(const std::string& name) const;  // under the prefix
    // The shape of a tensor under the prefix (empty when there is none).
    std::vector<std::int64_t> shape_of(const std::string& name) const;
    std::vector<float> take(const std::string& name, const std::vector<std::int64_t>& shape);
    Linear linear(const std::string& name, std::size_t out, std::size_t in);
    // "<name>.weight"/".bias", or the "gamma"/"beta" of checkpoints saved by older BERT code.
    NormWeights norm(const std::string& name, std::size_t dim);
    const std::string& prefix() const { return prefix_; }
    const std::string& origin() const { return origin_; }

private:
    core::TensorFile& file_;
    std::string origin_, prefix_;
};

class TransformerEncoder {
public:
    // Takes the encoder's weights out of `weights` (after use_encoder_prefix) and prepares its linear layers at
    // `precision`; a missing tensor or one whose shape disagrees with `config` throws emo::Error naming the
    // checkpoint and the tensor.
    TransformerEncoder(EncoderConfig config, CheckpointWeights& weights, Precision precision = Precision::float32);

    // The last hidden states of every token of the batch, [batch.tokens(), hidden], packed as the batch is. Ids
    // outside the vocabulary, types outside type_vocab_size, an empty sequence or one longer than max_tokens()
    // throw emo::Error (callers truncate first).
    std::vector<float> forward(const TokenBatch& batch) const;

    const EncoderConfig& config() const { return config_; }

private:
    struct Layer {
        DenseLayer qkv;  // query, key and value stacked: one product instead of three
        DenseLayer attention_output, intermediate, output;
        NormWeights attention_norm, output_norm;
    };
    void embed(const TokenBatch& batch, float* x) const;
    void attend(const TokenBatch& batch, const float* qkv, float* context) const;

    EncoderConfig config_;
    std::vector<float> word_embeddings_, position_embeddings_, type_embeddings_;
    NormWeights embedding_norm_;
    std::vector<Layer> layers_;
};

// Pooled sentence vectors from packed hidden states, [batch.size(), hidden]: each sequence's first token, or the
// mean over its tokens (sentence-transformers' mean pooling).
std::vector<float> first_token_pool(const std::vector<float>& hidden, const TokenBatch& batch, std::size_t dim);
std::vector<float> mean_pool(const std::vector<float>& hidden, const TokenBatch& batch, std::size_t dim);

}  // namespace emo::nn
