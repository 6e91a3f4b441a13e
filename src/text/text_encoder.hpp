// The one text front-end of every text model: hashed TF-IDF n-grams and surface cues (Featurizer) followed by the
// mean of pretrained word vectors, as one sparse row. Conversation and single-text models both stand on it.
#pragma once

#include "core/safetensors.hpp"
#include "core/sparse.hpp"
#include "text/featurizer.hpp"
#include "text/word_vectors.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace emo::text {

struct TextEncoder {
    Featurizer featurizer;
    std::shared_ptr<const WordVectors> vectors;  // may be null
    float vector_scale = 1.0f;

    // Features a row can index: the featurizer's, then one per word-vector dimension.
    std::uint32_t dimension() const;
    // The row of one featurized text (the dense block is left out when no token has a vector).
    core::SparseRow row(const Featurized& f) const;

    // Adds the "featurizer" and "word_vectors" manifest entries and the idf tensor, and writes the vectors file
    // into `dir`.
    void save(nlohmann::ordered_json& manifest, core::TensorFile& weights, const std::string& dir) const;
    // Reads what save() wrote; errors name the manifest or weights file.
    static TextEncoder load(const nlohmann::json& manifest, const core::TensorFile& weights, const std::string& dir,
                            const std::string& manifest_path, const std::string& weights_path);
};

}  // namespace emo::text
