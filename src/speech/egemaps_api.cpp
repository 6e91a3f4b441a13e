// The public face of the eGeMAPS functionals (emo features): names, and values per file or speech segment.
#include "speech/egemaps.hpp"
#include "speech/egemaps_lld.hpp"
#include "speech/egemaps_stream.hpp"
#include "speech/feature_batch.hpp"

#include <emo/emo.hpp>

#include <functional>
#include <memory>

namespace emo {

const std::vector<std::string>& egemaps_names() { return speech::egemaps_functional_names(); }

namespace {

using Descriptors = speech::EgemapsDescriptors;
using FromDescriptors = std::function<std::vector<double>(const Descriptors&)>;

// Recordings up to this long are analysed at once, as they always were; longer ones are streamed
// (speech/egemaps_stream), which gives the same frames in bounded memory.
constexpr double whole_file_seconds = 600;

class StreamedEgemaps : public speech::StreamedFeatures {
public:
    explicit StreamedEgemaps(FromDescriptors values) : values_(std::move(values)) {}
    void push(const float* samples, std::size_t count) override { stream_.push(samples, count); }
    std::vector<double> finish() override { return values_(stream_.finish()); }

private:
    speech::EgemapsStream stream_;
    FromDescriptors values_;
};

std::vector<AudioInput> inputs_of(const std::vector<std::string>& paths) {
    std::vector<AudioInput> inputs(paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) inputs[i].path = paths[i];
    return inputs;
}

std::vector<AcousticFeatures> compute_for_inputs(const std::vector<AudioInput>& inputs, const AudioOptions& options,
                                                 const FromDescriptors& values) {
    speech::FeatureBatchOptions batch;
    batch.compute = [&](const std::vector<float>& samples) { return values(speech::egemaps_descriptors(samples)); };
    batch.streamed = [&] { return std::make_unique<StreamedEgemaps>(values); };
    batch.segments = options.segments;
    batch.max_file_seconds = whole_file_seconds;
    batch.threads = options.threads;
    std::vector<AcousticFeatures> out;
    for (auto& piece : speech::extract_feature_pieces(inputs, batch))
        out.push_back({inputs[piece.input].path, piece.start, piece.end, std::move(piece.features),
                       std::move(piece.error), std::move(piece.warning)});
    return out;
}

}  // namespace

std::vector<AcousticFeatures> egemaps_features(const std::vector<AudioInput>& inputs, const AudioOptions& options) {
    return compute_for_inputs(inputs, options, [](const Descriptors& d) {
        std::vector<double> values;
        for (const auto& [name, value] : speech::egemaps_functionals(d)) values.push_back(value);
        return values;
    });
}

std::vector<AcousticFeatures> egemaps_features(const std::vector<std::string>& paths, const AudioOptions& options) {
    return egemaps_features(inputs_of(paths), options);
}

const std::vector<std::string>& egemaps_lld_names() { return speech::egemaps_lld_names(); }

std::vector<AcousticFeatures> egemaps_lld(const std::vector<AudioInput>& inputs, const AudioOptions& options) {
    return compute_for_inputs(inputs, options, [](const Descriptors& d) {
        std::vector<double> values;
        for (const auto& frame : speech::egemaps_lld(d)) values.insert(values.end(), frame.begin(), frame.end());
        return values;
    });
}

std::vector<AcousticFeatures> egemaps_lld(const std::vector<std::string>& paths, const AudioOptions& options) {
    return egemaps_lld(inputs_of(paths), options);
}

}  // namespace emo
