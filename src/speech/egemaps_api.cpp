// The public face of the eGeMAPS functionals (emo features): names, and values
// per file or speech segment.
#include "speech/egemaps.hpp"
#include "speech/feature_batch.hpp"

#include <emo/emo.hpp>

namespace emo {

const std::vector<std::string>& egemaps_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& [name, value] : speech::egemaps_functionals(std::vector<float>(16000, 0.0f)))
            out.push_back(name);
        return out;
    }();
    return names;
}

std::vector<AcousticFeatures> egemaps_features(const std::vector<std::string>& paths, const AudioOptions& options) {
    std::vector<AudioInput> inputs(paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) inputs[i].path = paths[i];
    speech::FeatureBatchOptions batch;
    batch.compute = [](const std::vector<float>& samples) {
        std::vector<double> values;
        for (const auto& [name, value] : speech::egemaps_functionals(samples)) values.push_back(value);
        return values;
    };
    batch.segments = options.segments;
    batch.max_file_seconds = options.max_file_seconds;
    batch.threads = options.threads;
    std::vector<AcousticFeatures> out;
    for (auto& piece : speech::extract_feature_pieces(inputs, batch))
        out.push_back({paths[piece.input], piece.start, piece.end, std::move(piece.features), std::move(piece.error)});
    return out;
}

}  // namespace emo
