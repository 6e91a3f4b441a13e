#include "train/sentence_features.hpp"

#include <algorithm>

namespace emo::train {

std::optional<text::TextEncoder::SentenceBlock> fit_sentence_block(const EncoderFeatureOptions& options,
                                                                   const std::vector<std::string_view>& texts,
                                                                   bool verbose, Clock::time_point start) {
    if (options.dir.empty()) return std::nullopt;
    if (!(options.scale > 0 && options.scale <= 100))
        throw Error("encoder scale " + std::to_string(options.scale) + ": expected a length in (0, 100]");
    text::TextEncoder::SentenceBlock block;
    block.encoder = text::SentenceEncoder::shared(options.dir, options.pooling);
    block.scale = options.scale;
    const auto& encoder = *block.encoder;
    progress(verbose, start, "encoder %s: %zu-dimensional embeddings, %s pooling", options.dir.c_str(), encoder.dim(),
             encoder.pooling_name());
    // Kept for the rest of the run: the folds, choices and final fit all read the training texts' rows again.
    encoder.keep_embeddings(true);
    const std::size_t h = encoder.dim(), chunk = 2048;
    std::vector<double> sum(h, 0.0);
    for (std::size_t begin = 0; begin < texts.size(); begin += chunk) {
        const auto end = std::min(texts.size(), begin + chunk);
        const auto pooled = encoder.embed(std::vector<std::string_view>(texts.begin() + begin, texts.begin() + end));
        for (std::size_t i = 0; i < end - begin; ++i)
            for (std::size_t d = 0; d < h; ++d) sum[d] += pooled[i * h + d];
        progress(verbose, start, "sentence embeddings: %zu of %zu texts", end, texts.size());
    }
    block.mean.resize(h);
    for (std::size_t d = 0; d < h; ++d)
        block.mean[d] = texts.empty() ? 0.0f : static_cast<float>(sum[d] / static_cast<double>(texts.size()));
    return block;
}

nlohmann::json describe(const std::optional<text::TextEncoder::SentenceBlock>& block) {
    if (!block) return nullptr;
    return {{"checkpoint", block->encoder->directory()},
            {"pooling", block->encoder->pooling_name()},
            {"dim", block->encoder->dim()},
            {"scale", block->scale}};
}

}  // namespace emo::train
