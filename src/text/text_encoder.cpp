#include "text/text_encoder.hpp"

#include <emo/emo.hpp>

#include <cmath>
#include <filesystem>

namespace emo::text {

namespace fs = std::filesystem;

std::uint32_t TextEncoder::dimension() const {
    return featurizer.dimension() + static_cast<std::uint32_t>(vectors ? vectors->dim() : 0);
}

core::SparseRow TextEncoder::row(const Featurized& f) const {
    core::SparseRow row = f.row;
    if (vectors && vectors->dim() > 0) {
        std::vector<std::string_view> words(f.tokens.begin(), f.tokens.end());
        std::vector<float> mean(vectors->dim());
        if (vectors->average(words, mean.data()) > 0) {
            // Unit length, then scaled, so the dense block weighs like the L2-normalised n-gram block.
            double norm = 0;
            for (float v : mean) norm += static_cast<double>(v) * v;
            float inv = norm > 0 ? static_cast<float>(vector_scale / std::sqrt(norm)) : 0.0f;
            for (std::uint32_t i = 0; i < mean.size(); ++i)
                row.push_back({featurizer.dimension() + i, mean[i] * inv});
        }
    }
    return row;
}

void TextEncoder::save(nlohmann::ordered_json& manifest, core::TensorFile& weights, const std::string& dir) const {
    weights.tensors["featurizer.idf"] = {{static_cast<std::int64_t>(featurizer.idf().size())}, featurizer.idf()};
    if (vectors) vectors->save((fs::path(dir) / "vectors.safetensors").string());
    const auto& fc = featurizer.config();
    manifest["featurizer"] = {{"hash_bits", fc.hash_bits},
                              {"char_ngrams", {fc.char_min, fc.char_max}},
                              {"word_bigrams", fc.word_bigrams}};
    if (fc.balanced_blocks) {
        manifest["featurizer"]["balanced_blocks"] = true;
        manifest["featurizer"]["block_norm"] = fc.block_norm;
    }
    if (fc.ngram_tokens == FeaturizerConfig::NgramTokens::words_and_marks)
        manifest["featurizer"]["ngram_tokens"] = "words_and_marks";
    manifest["word_vectors"] = vectors ? nlohmann::ordered_json{{"file", "vectors.safetensors"},
                                                                {"dim", vectors->dim()},
                                                                {"scale", vector_scale}}
                                       : nlohmann::ordered_json(nullptr);
}

TextEncoder TextEncoder::load(const nlohmann::json& manifest, const core::TensorFile& weights, const std::string& dir,
                              const std::string& manifest_path, const std::string& weights_path) {
    TextEncoder e;
    try {
        FeaturizerConfig fc;
        const auto& fj = manifest.at("featurizer");
        fc.hash_bits = fj.at("hash_bits").get<unsigned>();
        fc.char_min = fj.at("char_ngrams").at(0).get<unsigned>();
        fc.char_max = fj.at("char_ngrams").at(1).get<unsigned>();
        fc.word_bigrams = fj.at("word_bigrams").get<bool>();
        fc.balanced_blocks = fj.value("balanced_blocks", false);
        fc.block_norm = fj.value("block_norm", fc.block_norm);
        const auto ngram_tokens = fj.value("ngram_tokens", std::string("all_tokens"));
        if (ngram_tokens == "words_and_marks") fc.ngram_tokens = FeaturizerConfig::NgramTokens::words_and_marks;
        else if (ngram_tokens != "all_tokens")
            throw Error(manifest_path + ": unknown featurizer.ngram_tokens \"" + ngram_tokens +
                        "\" (all_tokens or words_and_marks)");
        if (!(fc.block_norm > 0 && fc.block_norm <= 10)) throw Error(manifest_path + ": invalid block_norm");
        if (fc.char_min < 1 || fc.char_max > 8 || fc.char_min > fc.char_max)
            throw Error(manifest_path + ": invalid char_ngrams");
        try {
            e.featurizer = Featurizer(fc);
        } catch (const Error& err) {
            throw Error(manifest_path + ": " + err.what());
        }
        if (!manifest.at("word_vectors").is_null()) {
            const auto& wv = manifest.at("word_vectors");
            auto vectors = WordVectors::load((fs::path(dir) / wv.at("file").get<std::string>()).string());
            if (vectors.dim() != wv.at("dim").get<std::size_t>())
                throw Error(manifest_path + ": word vector dimension disagrees with the vectors file");
            e.vectors = std::make_shared<const WordVectors>(std::move(vectors));
            e.vector_scale = wv.at("scale").get<float>();
        }
    } catch (const nlohmann::json::exception& err) {
        throw Error(manifest_path + ": invalid manifest: " + err.what());
    }
    const auto idf_size = static_cast<std::int64_t>(e.featurizer.idf().size());
    e.featurizer.set_idf(weights.get("featurizer.idf", {idf_size}, weights_path).data);
    return e;
}

}  // namespace emo::text
