// config.json of a Hugging Face encoder checkpoint (BERT, RoBERTa, XLM-RoBERTa, DistilBERT), read into the one set
// of sizes and settings that emo's transformer runs on.
#pragma once

#include "nn/kernels.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace emo::nn {

// RoBERTa and XLM-RoBERTa share an architecture; they differ in their tokenizers only.
enum class EncoderFamily { bert, roberta, distilbert };

struct EncoderConfig {
    std::string model_type;  // as config.json names it: "bert", "roberta", "xlm-roberta", "distilbert"
    EncoderFamily family = EncoderFamily::bert;
    std::size_t vocab_size = 0, hidden = 0, layers = 0, heads = 0, intermediate = 0;
    std::size_t max_positions = 0;  // rows of the position embedding table
    std::size_t type_vocab_size = 0;
    Activation activation = Activation::gelu;
    float layer_norm_eps = 1e-12f;
    std::int32_t pad_token_id = 0;
    std::vector<std::string> labels;  // id2label in id order; empty for an encoder without a classifier config
    bool multi_label = false;         // problem_type "multi_label_classification": sigmoid scores, else softmax

    // The longest token sequence (special tokens included) the position table covers: RoBERTa numbers positions
    // from pad_token_id + 1.
    std::size_t max_tokens() const;
};

// Parses config.json; a missing file, corrupt JSON, an unsupported model_type or position_embedding_type, or sizes
// that are missing, non-positive or inconsistent (hidden not divisible by heads) throw emo::Error naming the file
// and the field.
EncoderConfig read_encoder_config(const std::string& path);
EncoderConfig encoder_config_from_json(const nlohmann::json& config, const std::string& origin);

}  // namespace emo::nn
