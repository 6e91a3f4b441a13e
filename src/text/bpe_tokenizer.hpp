// The byte-level BPE tokenizer of RoBERTa-family checkpoints (RoBERTa, DistilRoBERTa, GPT-2 style vocabularies), read
// from a Hugging Face tokenizer.json or from the older vocab.json + merges.txt pair. The pipeline is the Rust
// tokenizers crate's: added tokens cut out of the raw text (lstrip / rstrip / single_word honoured), an optional
// Unicode normaliser (NFC, NFD, NFKC, NFKD), the ByteLevel pre-tokeniser (GPT-2's split pattern, then every byte
// mapped to a printable character), BPE merges by rank, and the post-processor (<s> A </s>, <s> A </s></s> B </s>).
// Settings that change the result in ways not written here (dropout, byte_fallback, other pre-tokenisers) are
// refused with an error naming the field rather than approximated.
#pragma once

#include "text/checkpoint_tokenizer.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace emo::text {

// One entry of tokenizer.json's "added_tokens" (the checkpoint's <s>, </s>, <mask>, ...), as it is matched.
struct AddedToken {
    std::string content;
    std::int32_t id = 0;
    bool single_word = false;  // only where no word character (\w) touches it on either side
    bool lstrip = false;       // takes the white space before it (RoBERTa's <mask>)
    bool rstrip = false;       // takes the white space after it
    bool normalized = false;   // matched in the normalised text rather than the raw one
};

class BpeTokenizer : public CheckpointTokenizer {
public:
    // Reads tokenizer.json; a file that is missing, not JSON, or describes anything but this pipeline throws
    // emo::Error naming the file and the field.
    static BpeTokenizer load(const std::string& tokenizer_json_path);
    // The same from parsed JSON; `origin` names it in errors.
    static BpeTokenizer from_json(const nlohmann::json& config, const std::string& origin);
    // A checkpoint directory: its tokenizer.json, or else (older RoBERTa checkpoints) vocab.json + merges.txt with
    // tokenizer_config.json's add_prefix_space (default false) and special tokens (RoBERTa's names by default).
    static BpeTokenizer load_directory(const std::string& dir);

    // The tokens of one UTF-8 text (added tokens written in it kept, the post-processor's left out).
    TokenIds encode_plain(std::string_view text) const override;
    // Model vocabulary plus any added tokens beyond it: one more than the largest id.
    std::size_t vocab_size() const override { return tokens_.size(); }

    // The byte-level pre-tokens of a text without added tokens (add_prefix_space, the split, the byte mapping):
    // what the BPE merges run on; for tests and debugging. Invalid UTF-8 throws emo::Error.
    std::vector<std::string> pre_tokenize(std::string_view text) const;

private:
    struct Piece {
        std::string text;
        std::int32_t id = -1;  // an added token's id, or -1 for plain text
    };

    std::string normalize(std::string_view text) const;
    // Cuts `pieces`' plain texts at the added tokens of one kind (normalized or not).
    std::vector<Piece> split_added(std::vector<Piece> pieces, bool normalized) const;
    void pre_tokenize_into(std::string_view text, std::vector<std::string>& out) const;
    // Appends the BPE tokens of one byte-mapped pre-token.
    void encode_word(const std::string& word, TokenIds& out) const;
    void append_id(std::int32_t id, TokenIds& out) const;

    std::unordered_map<std::string, std::int32_t> vocab_;  // the model's vocabulary
    std::vector<std::string> tokens_;                      // id -> token, added tokens included
    // (left id << 32 | right id) -> (rank, merged id)
    std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::int32_t>> merges_;
    std::int32_t unk_id_ = -1;  // -1: unknown characters are dropped, as the Rust crate does without unk_token
    bool fuse_unk_ = false;
    bool ignore_merges_ = false;
    std::string continuing_prefix_, end_of_word_suffix_;
    std::vector<int> normalizer_options_;  // utf8proc option sets applied in order (empty: no normaliser)
    bool add_prefix_space_ = false;
    bool use_regex_ = true;
    std::vector<AddedToken> added_;
};

// The pieces GPT-2's pattern ('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+) cuts
// valid UTF-8 into, with Unicode's letters, numbers and White_Space.
std::vector<std::string_view> split_gpt2(std::string_view text);

// GPT-2's byte-to-character mapping of every byte of `bytes` ("Ġ" for a space, "Ċ" for a newline), as UTF-8.
std::string byte_level_map(std::string_view bytes);

}  // namespace emo::text
