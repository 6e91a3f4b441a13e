// The pre-tokenizers of a Hugging Face tokenizer.json, as a small pipeline the Unigram and WordLevel tokenizers share:
// Sequence, Metaspace, Whitespace, WhitespaceSplit, BertPreTokenizer, Punctuation, Digits, CharDelimiterSplit and
// Split (a string or one of the regular expressions tokenizer_regex knows, with every split behaviour and invert).
// Each cuts the text as the Rust tokenizers crate's pre-tokenizer of the same name does (offsets are not tracked).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace emo::text {

class PreTokenizer {
public:
    // A piece of text on its way through the steps; `at_start` when it begins where the whole input text begins
    // (Metaspace's prepend_scheme "first" prepends only there).
    struct Piece {
        std::string text;
        bool at_start = false;
    };
    struct Step {
        virtual ~Step() = default;
        // Replaces `pieces` by the pieces each one is cut into (empty ones left out).
        virtual void apply(std::vector<Piece>& pieces) const = 0;
    };

    // No pre-tokenizer (tokenizer.json's null): the text is one piece.
    PreTokenizer() = default;
    // Reads a pre_tokenizer object (or null); unknown types and malformed settings throw emo::Error naming `where`
    // and the field.
    static PreTokenizer from_json(const nlohmann::json& j, const std::string& where);

    // Appends the pieces of valid UTF-8 `text` (not empty ones) to `out`; `at_start` as for Piece.
    void split(std::string_view text, bool at_start, std::vector<std::string>& out) const;

private:
    std::vector<std::shared_ptr<const Step>> steps_;
};

}  // namespace emo::text
