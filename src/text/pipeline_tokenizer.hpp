// What the Unigram and WordLevel tokenizers share: the Rust tokenizers crate's pipeline around a model. Added tokens
// are cut out of the raw text (those marked normalized out of the normalised text; lstrip / rstrip / single_word
// honoured as the BPE tokenizer does), the rest goes through the normalizer and pre-tokenizer of normalizers.hpp and
// pre_tokenizers.hpp, each pre-token through the model, and the post-processor frames the result.
#pragma once

#include "text/bpe_tokenizer.hpp"  // AddedToken
#include "text/checkpoint_tokenizer.hpp"
#include "text/normalizers.hpp"
#include "text/pre_tokenizers.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace emo::text {

class PipelineTokenizer : public CheckpointTokenizer {
public:
    // The tokens of one UTF-8 text (added tokens written in it kept, the post-processor's left out); invalid UTF-8
    // throws emo::Error.
    TokenIds encode_plain(std::string_view text) const override;
    // Model vocabulary plus any added tokens beyond it: one more than the largest id.
    std::size_t vocab_size() const override { return tokens_.size(); }

    // The pre-tokens of a text without added tokens (normalised, then pre-tokenised): what the model runs on; for
    // tests and debugging.
    std::vector<std::string> pre_tokenize(std::string_view text) const;

protected:
    // Reads normalizer, pre_tokenizer, added_tokens and post_processor of `config`, once the model has filled
    // vocab_ and tokens_; errors name `origin` and the field.
    void read_pipeline(const nlohmann::json& config, const std::string& origin);
    // Appends the model's tokens for one pre-token.
    virtual void encode_word(const std::string& word, TokenIds& out) const = 0;
    void append_id(std::int32_t id, TokenIds& out) const;

    std::unordered_map<std::string, std::int32_t> vocab_;  // the model's vocabulary
    std::vector<std::string> tokens_;                      // id -> token, added tokens included

private:
    struct Segment {
        std::string text;
        std::int32_t id = -1;   // an added token's id, or -1 for plain text
        bool at_start = false;  // plain text that begins where the input begins
    };
    // Cuts the plain segments at the added tokens of one kind (normalized or not).
    std::vector<Segment> split_added(std::vector<Segment> segments, bool normalized) const;

    Normalizer normalizer_;
    PreTokenizer pre_tokenizer_;
    std::vector<AddedToken> added_;
};

}  // namespace emo::text
