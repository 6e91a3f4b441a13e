// The post-processor of a Hugging Face tokenizer.json: the special tokens put around one sequence ([CLS] A [SEP],
// <s> A </s>) or a pair of them ([CLS] A [SEP] B [SEP], <s> A </s></s> B </s>), and each token's segment (type id).
// BertProcessing, RobertaProcessing and TemplateProcessing are read; shared by every checkpoint tokenizer.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace emo::text {

struct TokenIds {
    std::vector<std::int32_t> ids;
    std::vector<std::string> tokens;  // the vocabulary entry of each id ("##ing" for a word's continuation)
    std::vector<std::int32_t> types;  // segment of each token (0 for a single sequence); filled by the post-processor
};

class PostProcessor {
public:
    // One piece of a template: a special token, or the place of sequence A (0) or B (1).
    struct Piece {
        bool sequence = false;
        int which = 0;  // the sequence, when `sequence`
        std::vector<std::int32_t> ids;
        std::vector<std::string> tokens;
        std::int32_t type = 0;
    };

    // No special tokens (a tokenizer.json whose post_processor is null).
    PostProcessor();
    PostProcessor(std::vector<Piece> single, std::vector<Piece> pair);

    // One sequence, or a pair, framed by the special tokens (types filled in).
    TokenIds frame(TokenIds first) const;
    TokenIds frame_pair(TokenIds first, TokenIds second) const;
    // How many tokens frame() (pair false) or frame_pair() (pair true) add.
    std::size_t added(bool pair) const;

private:
    std::vector<Piece> single_, pair_;
};

// Reads tokenizer.json's post_processor (null: no special tokens) against the vocabulary `tokens` (id -> entry):
// BertProcessing, RobertaProcessing (pair: A </s></s> B) or TemplateProcessing; other types, and ids outside the
// vocabulary, throw emo::Error naming `origin`.
PostProcessor post_processor_from_json(const nlohmann::json& post, const std::string& origin,
                                       const std::vector<std::string>& tokens);

}  // namespace emo::text
