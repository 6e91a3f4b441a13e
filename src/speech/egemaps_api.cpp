// The public face of the eGeMAPS functionals (emo features): names, and values per file or speech segment.
#include "speech/egemaps.hpp"
#include "speech/egemaps_lld.hpp"
#include "speech/feature_batch.hpp"

#include <emo/emo.hpp>

#include <functional>

namespace emo {

const std::vector<std::string>& egemaps_names() { return speech::egemaps_functional_names(); }

namespace {

using Compute = std::function<std::vector<double>(const std::vector<float>&)>;

std::vector<AcousticFeatures> compute_for_files(const std::vector<std::string>& paths, const AudioOptions& options,
                                                Compute compute) {
    std::vector<AudioInput> inputs(paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) inputs[i].path = paths[i];
    speech::FeatureBatchOptions batch;
    batch.compute = std::move(compute);
    batch.segments = options.segments;
    batch.max_file_seconds = options.max_file_seconds;
    batch.threads = options.threads;
    std::vector<AcousticFeatures> out;
    for (auto& piece : speech::extract_feature_pieces(inputs, batch))
        out.push_back({paths[piece.input], piece.start, piece.end, std::move(piece.features), std::move(piece.error)});
    return out;
}

}  // namespace

std::vector<AcousticFeatures> egemaps_features(const std::vector<std::string>& paths, const AudioOptions& options) {
    return compute_for_files(paths, options, [](const std::vector<float>& samples) {
        std::vector<double> values;
        for (const auto& [name, value] : speech::egemaps_functionals(samples)) values.push_back(value);
        return values;
    });
}

const std::vector<std::string>& egemaps_lld_names() { return speech::egemaps_lld_names(); }

std::vector<AcousticFeatures> egemaps_lld(const std::vector<std::string>& paths, const AudioOptions& options) {
    return compute_for_files(paths, options, [](const std::vector<float>& samples) {
        std::vector<double> values;
        for (const auto& frame : speech::egemaps_lld(samples)) values.insert(values.end(), frame.begin(), frame.end());
        return values;
    });
}

}  // namespace emo
