// The Unigram tokenizer of sentencepiece-converted checkpoints (XLM-RoBERTa, ALBERT, T5 style vocabularies), read from
// a Hugging Face tokenizer.json: model {"type": "Unigram", "unk_id", "vocab": [[piece, score], ...], "byte_fallback"}
// in the pipeline of pipeline_tokenizer.hpp. Each pre-token is cut by Viterbi into the pieces whose scores sum
// highest, as the Rust tokenizers crate does: a character no piece starts with becomes the unknown piece, scored 10
// below the lowest score; runs of unknown pieces are fused into one; with byte_fallback an unknown run becomes its
// UTF-8 bytes' <0xXX> pieces when the vocabulary has all of them. Ties go to the path found first (its last piece
// starting earliest). The pieces are found by walking a byte trie, so the work per character is bounded by the
// longest piece.
#pragma once

#include "text/pipeline_tokenizer.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace emo::text {

class UnigramTokenizer : public PipelineTokenizer {
public:
    // Reads tokenizer.json; a missing file, bad JSON, or a setting not described here throws emo::Error naming the
    // file and the field.
    static UnigramTokenizer load(const std::string& tokenizer_json_path);
    // The same from parsed JSON; `origin` names it in errors.
    static UnigramTokenizer from_json(const nlohmann::json& config, const std::string& origin);

private:
    void encode_word(const std::string& word, TokenIds& out) const override;
    void build_trie(const std::string& origin);
    // The trie node reached from `node` by `byte`, or -1.
    std::int32_t child(std::int32_t node, unsigned char byte) const;

    struct TrieNode {
        std::uint32_t first_edge = 0;  // its edges, sorted by byte: edge_bytes_ / edge_nodes_ [first, first + count)
        std::uint16_t edge_count = 0;
        std::int32_t piece = -1;  // the id of the piece that ends here, or -1
    };

    std::vector<double> scores_;  // by id
    std::int32_t unk_id_ = -1;    // -1: none (an unknown character is then an error, as in the crate)
    double unk_score_ = 0;
    bool byte_fallback_ = false;
    std::vector<TrieNode> nodes_;  // nodes_[0] is the root
    std::vector<unsigned char> edge_bytes_;
    std::vector<std::int32_t> edge_nodes_;
};

}  // namespace emo::text
