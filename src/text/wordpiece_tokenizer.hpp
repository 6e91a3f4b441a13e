// The WordPiece tokenizer of BERT-family checkpoints (BERT, DistilBERT, MiniLM), read from a Hugging Face
// tokenizer.json: the BertNormalizer, the BertPreTokenizer, the WordPiece model and the [CLS] ... [SEP] post-processor,
// with the checkpoint's added special tokens (matched verbatim: their lstrip / rstrip / single_word flags, false in
// BERT's files, are not applied yet; non-special added tokens are refused). The first of the checkpoint tokenizers of
// issue 14; byte-level BPE (RoBERTa) and Unigram (XLM-R) come beside it. Lowercasing is Unicode's simple mapping
// (utf8proc), where Rust's is the full one: they differ on a few letters such as U+0130.
#pragma once

#include "text/checkpoint_tokenizer.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace emo::text {

struct BertNormalizerConfig {
    bool clean_text = true;            // control characters dropped, every whitespace a space
    bool handle_chinese_chars = true;  // CJK ideographs become words of their own
    bool strip_accents = true;         // NFD, then combining marks dropped (tokenizer.json's null: as lowercase)
    bool lowercase = true;
};

class WordPieceTokenizer : public CheckpointTokenizer {
public:
    // Reads tokenizer.json; a file that is missing, not JSON, or describes anything but this pipeline (another
    // model, normaliser, pre-tokeniser or post-processor type) throws emo::Error naming the file and the field.
    static WordPieceTokenizer load(const std::string& tokenizer_json_path);
    // The same from parsed JSON; `origin` names it in errors.
    static WordPieceTokenizer from_json(const nlohmann::json& config, const std::string& origin);
    // A checkpoint directory: its tokenizer.json, or else (older BERT checkpoints) vocab.txt with the settings of
    // tokenizer_config.json (do_lower_case, strip_accents, tokenize_chinese_chars, unk/cls/sep tokens; BERT's
    // defaults where absent). Neither file: emo::Error naming the directory.
    static WordPieceTokenizer load_directory(const std::string& dir);

    // The tokens of one UTF-8 text (special tokens written in it kept, the post-processor's left out).
    TokenIds encode_plain(std::string_view text) const override;

    // The normalised text (what the pre-tokeniser splits), for tests and debugging.
    std::string normalize(std::string_view text) const;

    std::size_t vocab_size() const override { return vocab_.size(); }

private:
    // The normaliser's output for valid UTF-8, as code points (what the pre-tokeniser walks).
    std::u32string normalized_code_points(std::string_view text) const;
    // Appends the WordPiece pieces of one pre-tokenised word.
    void encode_word(std::string_view word, TokenIds& out) const;
    void append_id(std::int32_t id, TokenIds& out) const;
    std::int32_t id_of(const std::string& token, const std::string& origin) const;

    BertNormalizerConfig normalizer_;
    std::unordered_map<std::string, std::int32_t> vocab_;
    std::vector<std::string> tokens_;  // id -> token
    std::int32_t unk_id_ = 0;
    std::string continuing_prefix_ = "##";
    std::size_t max_input_chars_per_word_ = 100;
    // Added special tokens ("[CLS]", "[MASK]", ...), matched in the raw text before normalisation.
    std::vector<std::pair<std::string, std::int32_t>> special_tokens_;
    // Added tokens marked normalized (most non-special ones), normalised themselves and matched in the normalised
    // text, as the Rust crate does; longest first.
    std::vector<std::pair<std::u32string, std::int32_t>> normalized_tokens_;
};

}  // namespace emo::text
