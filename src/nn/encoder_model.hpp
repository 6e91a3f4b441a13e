// A Hugging Face encoder checkpoint directory loaded for inference: config.json, the weights (model.safetensors or
// pytorch_model.bin),
// the transformer and, where the checkpoint has one, its sequence-classification head.
#pragma once

#include "nn/transformer.hpp"

#include <optional>
#include <string>
#include <vector>

namespace emo::nn {

enum class Pooling { first_token, mean };

// BERT's pooler + classifier, RoBERTa's classifier.dense + out_proj, DistilBERT's pre_classifier + classifier: all
// three are dense -> activation -> dense over the first token's hidden state.
struct ClassificationHead {
    Linear dense, out;
    Activation activation = Activation::tanh;
};

class EncoderModel {
public:
    // Reads `dir` (config.json, and model.safetensors or else pytorch_model.bin); errors name the directory and the
    // file or tensor at fault. A checkpoint without classifier weights loads as a bare encoder (has_classifier()
    // false). Linear layers of the encoder run at `precision` (int8: dynamic quantisation; bf16: bf16
    // products with float32 accumulation, only where bf16_supported(), else emo::Error; the head stays float32).
    static EncoderModel load(const std::string& dir, Precision precision = Precision::float32);
    // The weights file load() reads: model.safetensors, else pytorch_model.bin; emo::Error when there is neither.
    static std::string weights_file(const std::string& dir);
    // True when `dir` looks like a Hugging Face checkpoint rather than one of emo's own model directories.
    static bool is_checkpoint_directory(const std::string& dir);

    const EncoderConfig& config() const { return encoder_.config(); }
    bool has_classifier() const { return head_.has_value(); }
    // Labels of the classifier, in logit order ("LABEL_k" where config.json names none).
    const std::vector<std::string>& labels() const { return labels_; }

    // Packed last hidden states, [batch.tokens(), hidden].
    std::vector<float> hidden_states(const TokenBatch& batch) const { return encoder_.forward(batch); }
    // Classifier logits, [batch.size(), labels()]; emo::Error when the checkpoint has no classifier.
    std::vector<float> logits(const TokenBatch& batch) const;
    // Sentence vectors, [batch.size(), hidden].
    std::vector<float> pooled(const TokenBatch& batch, Pooling pooling) const;

private:
    EncoderModel(TransformerEncoder encoder, std::optional<ClassificationHead> head, std::vector<std::string> labels,
                 std::string dir);
    TransformerEncoder encoder_;
    std::optional<ClassificationHead> head_;
    std::vector<std::string> labels_;
    std::string dir_;
};

}  // namespace emo::nn
