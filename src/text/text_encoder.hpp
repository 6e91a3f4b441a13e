// The one text front-end of every text model: hashed TF-IDF n-grams and surface cues (Featurizer), the mean of
// pretrained word vectors, and a checkpoint's sentence embedding (SentenceEncoder), as one sparse row. Conversation
// and single-text models both stand on it.
#pragma once

#include "core/safetensors.hpp"
#include "core/sparse.hpp"
#include "text/featurizer.hpp"
#include "text/sentence_encoder.hpp"
#include "text/word_vectors.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <span>
#include <string>

namespace emo::text {

struct TextEncoder {
    Featurizer featurizer;
    std::shared_ptr<const WordVectors> vectors;  // may be null
    float vector_scale = 1.0f;
    // A checkpoint's pooled embedding as a block of its own: centred on the training texts' mean (pooled vectors
    // of a transformer share a large common direction that would otherwise swamp what tells texts apart), then unit
    // length times `scale`, as the other blocks are.
    struct SentenceBlock {
        std::shared_ptr<const SentenceEncoder> encoder;
        std::vector<float> mean;
        float scale = 1.0f;
    };
    std::optional<SentenceBlock> sentence;

    // Features a row can index: the featurizer's, one per word-vector dimension, one per embedding dimension.
    std::uint32_t dimension() const;
    // The sentence blocks of raw texts, ready for row(); empty vectors when there is no sentence encoder.
    std::vector<std::vector<float>> sentence_blocks(const std::vector<std::string_view>& texts) const;
    // The row of one featurized text and its sentence block (the word-vector block is left out when no token has a
    // vector). A model with a sentence encoder needs the block: emo::Error without it.
    core::SparseRow row(const Featurized& f, std::span<const float> sentence_block = {}) const;
    // The row of one raw text (invalid UTF-8 throws emo::Error); `features`, when given, receives the featurized text
    // with the origins that evidence needs. `sentence_block`: the text's, computed beforehand (empty: computed here).
    core::SparseRow encode(std::string_view text, Featurized* features = nullptr,
                           std::span<const float> sentence_block = {}) const;

    // Adds the "featurizer", "word_vectors" and "sentence_encoder" manifest entries and the idf (and embedding mean)
    // tensors, and writes the vectors file into `dir`.
    void save(nlohmann::ordered_json& manifest, core::TensorFile& weights, const std::string& dir) const;
    // Reads what save() wrote; errors name the manifest or weights file, and the checkpoint when it is missing or is
    // not the one the model was trained on.
    static TextEncoder load(const nlohmann::json& manifest, const core::TensorFile& weights, const std::string& dir,
                            const std::string& manifest_path, const std::string& weights_path);
};

}  // namespace emo::text
