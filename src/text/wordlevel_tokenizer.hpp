// The WordLevel tokenizer of a Hugging Face tokenizer.json: model {"type": "WordLevel", "vocab": {token: id},
// "unk_token"} in the pipeline of pipeline_tokenizer.hpp. Each pre-token is one token: its id, or unk_token's when it
// is not in the vocabulary (an error when unk_token is not there either, as in the Rust crate).
#pragma once

#include "text/pipeline_tokenizer.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

namespace emo::text {

class WordLevelTokenizer : public PipelineTokenizer {
public:
    // Reads tokenizer.json; a missing file, bad JSON, or a setting not described here throws emo::Error naming the
    // file and the field.
    static WordLevelTokenizer load(const std::string& tokenizer_json_path);
    // The same from parsed JSON; `origin` names it in errors.
    static WordLevelTokenizer from_json(const nlohmann::json& config, const std::string& origin);

private:
    void encode_word(const std::string& word, TokenIds& out) const override;

    std::string unk_token_;
    std::int32_t unk_id_ = -1;  // -1: unk_token is not in the vocabulary
};

}  // namespace emo::text
