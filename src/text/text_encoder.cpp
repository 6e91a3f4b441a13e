#include "text/text_encoder.hpp"

#include <emo/emo.hpp>

#include <cmath>
#include <filesystem>

namespace emo::text {

namespace fs = std::filesystem;

std::uint32_t TextEncoder::dimension() const {
    return featurizer.dimension() + static_cast<std::uint32_t>(vectors ? vectors->dim() : 0) +
           static_cast<std::uint32_t>(sentence ? sentence->mean.size() : 0);
}

std::vector<std::vector<float>> TextEncoder::sentence_blocks(const std::vector<std::string_view>& texts) const {
    std::vector<std::vector<float>> out(texts.size());
    if (!sentence) return out;
    const std::size_t h = sentence->mean.size();
    const auto pooled = sentence->encoder->embed(texts);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        auto& block = out[i];
        block.assign(pooled.begin() + i * h, pooled.begin() + (i + 1) * h);
        double norm = 0;
        for (std::size_t d = 0; d < h; ++d) {
            block[d] -= sentence->mean[d];
            norm += static_cast<double>(block[d]) * block[d];
        }
        const auto inv = norm > 0 ? static_cast<float>(sentence->scale / std::sqrt(norm)) : 0.0f;
        for (auto& v : block) v *= inv;
    }
    return out;
}

core::SparseRow TextEncoder::encode(std::string_view text, Featurized* features,
                                    std::span<const float> sentence_block) const {
    Featurized f = featurizer.transform(text, features != nullptr);
    const auto computed =
        sentence && sentence_block.empty() ? sentence_blocks({text}) : std::vector<std::vector<float>>{};
    auto r = row(f, computed.empty() ? sentence_block : std::span<const float>(computed[0]));
    if (features) *features = std::move(f);
    return r;
}

core::SparseRow TextEncoder::row(const Featurized& f, std::span<const float> sentence_block) const {
    core::SparseRow row = f.row;
    if (vectors && vectors->dim() > 0) {
        std::vector<std::string_view> words(f.tokens.begin(), f.tokens.end());
        std::vector<float> mean(vectors->dim());
        if (vectors->average(words, mean.data()) > 0) {
            // Unit length, then scaled, so the dense block weighs like the L2-normalised n-gram block.
            double norm = 0;
            for (float v : mean) norm += static_cast<double>(v) * v;
            float inv = norm > 0 ? static_cast<float>(vector_scale / std::sqrt(norm)) : 0.0f;
            for (std::uint32_t i = 0; i < mean.size(); ++i) row.push_back({featurizer.dimension() + i, mean[i] * inv});
        }
    }
    if (sentence) {
        if (sentence_block.size() != sentence->mean.size())
            throw Error("a text row needs its sentence embedding (" + std::to_string(sentence->mean.size()) +
                        " values, got " + std::to_string(sentence_block.size()) + ")");
        const std::uint32_t offset = featurizer.dimension() + static_cast<std::uint32_t>(vectors ? vectors->dim() : 0);
        for (std::uint32_t i = 0; i < sentence_block.size(); ++i)
            if (sentence_block[i] != 0.0f) row.push_back({offset + i, sentence_block[i]});
    }
    return row;
}

void TextEncoder::save(nlohmann::ordered_json& manifest, core::TensorFile& weights, const std::string& dir) const {
    weights.tensors["featurizer.idf"] = {{static_cast<std::int64_t>(featurizer.idf().size())}, featurizer.idf()};
    if (vectors) vectors->save((fs::path(dir) / "vectors.safetensors").string());
    const auto& fc = featurizer.config();
    manifest["featurizer"] = {
        {"hash_bits", fc.hash_bits}, {"char_ngrams", {fc.char_min, fc.char_max}}, {"word_bigrams", fc.word_bigrams}};
    if (fc.balanced_blocks) {
        manifest["featurizer"]["balanced_blocks"] = true;
        manifest["featurizer"]["block_norm"] = fc.block_norm;
    }
    if (fc.ngram_tokens == FeaturizerConfig::NgramTokens::words_and_marks)
        manifest["featurizer"]["ngram_tokens"] = "words_and_marks";
    manifest["word_vectors"] =
        vectors
            ? nlohmann::ordered_json{{"file", "vectors.safetensors"}, {"dim", vectors->dim()}, {"scale", vector_scale}}
            : nlohmann::ordered_json(nullptr);
    if (sentence) {
        const auto& e = *sentence->encoder;
        weights.tensors["sentence_encoder.mean"] = {{static_cast<std::int64_t>(sentence->mean.size())}, sentence->mean};
        manifest["sentence_encoder"] = {{"checkpoint", fs::absolute(e.directory()).lexically_normal().string()},
                                        {"pooling", e.pooling_name()},
                                        {"dim", e.dim()},
                                        {"scale", sentence->scale},
                                        {"weights_sha256", e.weights_sha256()}};
    }
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
        if (ngram_tokens == "words_and_marks")
            fc.ngram_tokens = FeaturizerConfig::NgramTokens::words_and_marks;
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
        if (manifest.contains("sentence_encoder") && !manifest.at("sentence_encoder").is_null()) {
            const auto& se = manifest.at("sentence_encoder");
            const auto checkpoint = se.at("checkpoint").get<std::string>();
            const auto dim = se.at("dim").get<std::size_t>();
            std::error_code ec;
            if (!fs::is_directory(checkpoint, ec))
                throw Error(manifest_path + ": the model's sentence encoder, the checkpoint " + checkpoint +
                            ", is not there (put it back, or train the model again with --encoder)");
            SentenceBlock block;
            try {
                block.encoder = SentenceEncoder::shared(checkpoint, se.at("pooling").get<std::string>());
            } catch (const Error& err) {
                throw Error(manifest_path + ": its sentence encoder: " + err.what());
            }
            if (block.encoder->dim() != dim)
                throw Error(manifest_path + ": the checkpoint " + checkpoint + " gives " +
                            std::to_string(block.encoder->dim()) + "-dimensional embeddings, the model expects " +
                            std::to_string(dim));
            const auto expected = se.at("weights_sha256").get<std::string>();
            if (block.encoder->weights_sha256() != expected)
                throw Error(manifest_path + ": the checkpoint " + checkpoint +
                            " is not the one the model was trained on (its weights' SHA-256 is " +
                            block.encoder->weights_sha256() + ", the model's " + expected + ")");
            block.scale = se.at("scale").get<float>();
            block.mean = weights.get("sentence_encoder.mean", {static_cast<std::int64_t>(dim)}, weights_path).data;
            e.sentence = std::move(block);
        }
    } catch (const nlohmann::json::exception& err) {
        throw Error(manifest_path + ": invalid manifest: " + err.what());
    }
    const auto idf_size = static_cast<std::int64_t>(e.featurizer.idf().size());
    e.featurizer.set_idf(weights.get("featurizer.idf", {idf_size}, weights_path).data);
    return e;
}

}  // namespace emo::text
