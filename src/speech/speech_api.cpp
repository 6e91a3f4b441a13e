// emo::SpeechModel: the emotion of recordings (or their speech segments) from acoustic features, with speaker baselines
// where several recordings share a speaker.
#include "speech/acoustic_evidence.hpp"
#include "speech/emotion_feature_stream.hpp"
#include "speech/feature_batch.hpp"
#include "speech/speech_emotion_model.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>

namespace emo {

namespace {

// The model was trained on RAVDESS clips, which have silence around the speech; a segment cut tight to its speech
// looks less like them. 0.3 s is as much as is certain to have been read when the segment closes.
constexpr double segment_context_seconds = 0.3;

}  // namespace

struct SpeechModel::Impl {
    speech::SpeechEmotionModel model;
};

SpeechModel::SpeechModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SpeechModel::SpeechModel(SpeechModel&&) noexcept = default;
SpeechModel& SpeechModel::operator=(SpeechModel&&) noexcept = default;
SpeechModel::~SpeechModel() = default;

SpeechModel SpeechModel::load(const std::string& directory) {
    auto impl = std::make_unique<Impl>();
    impl->model = speech::load_speech_model(directory);
    return SpeechModel(std::move(impl));
}

std::string SpeechModel::default_directory() {
    if (const char* env = std::getenv("EMO_SPEECH_MODEL_DIR"); env && *env) return env;
#ifdef EMO_MODELS_DIR
    return std::string(EMO_MODELS_DIR) + "/speech-ravdess";
#else
    return "models/speech-ravdess";
#endif
}

const std::vector<std::string>& SpeechModel::labels() const { return impl_->model.labels; }
std::size_t SpeechModel::min_baseline_recordings() const { return impl_->model.min_baseline_recordings; }

std::vector<AudioResult> SpeechModel::analyze(const std::vector<AudioInput>& inputs,
                                              const AudioOptions& options) const {
    const auto& model = impl_->model;
    speech::FeatureBatchOptions batch;
    batch.segments = options.segments;
    batch.segment_context_seconds = segment_context_seconds;
    batch.max_file_seconds = options.max_file_seconds;
    batch.streamed = [] { return std::make_unique<speech::EmotionFeatureStream>(); };
    batch.threads = options.threads;
    const auto pieces = speech::extract_feature_pieces(inputs, batch);

    // Speaker baselines: every analysed piece of a speaker counts as one of their recordings.
    std::map<std::string, std::vector<std::vector<double>>> by_speaker;
    if (options.speaker_baseline)
        for (const auto& p : pieces)
            if (p.error.empty() && !inputs[p.input].speaker.empty())
                by_speaker[inputs[p.input].speaker].push_back(p.features);
    std::map<std::string, speech::SpeakerBaseline> baselines;
    for (const auto& [speaker, rows] : by_speaker)
        if (rows.size() >= model.min_baseline_recordings) baselines[speaker] = speech::FeatureScaling::fit(rows);

    std::vector<AudioResult> results;
    results.reserve(pieces.size());
    for (const auto& p : pieces) {
        const AudioInput& input = inputs[p.input];
        AudioResult r;
        r.file = input.path;
        r.start = p.start;
        r.end = p.end;
        r.speaker = input.speaker;
        r.gold = input.label;
        if (!p.error.empty()) {
            r.error = input.source.empty() || p.error.find(input.path) != std::string::npos
                          ? p.error
                          : input.source + ": " + p.error;
            results.push_back(std::move(r));
            continue;
        }
        const auto found = baselines.find(input.speaker);
        const speech::SpeakerBaseline* baseline = found == baselines.end() ? nullptr : &found->second;
        const auto probabilities = baseline ? model.speaker.probabilities(baseline->apply(p.features))
                                            : model.population.probabilities(p.features);
        const auto best = static_cast<std::size_t>(std::max_element(probabilities.begin(), probabilities.end()) -
                                                   probabilities.begin());
        r.emotion = model.labels[best];
        bool placed = true;
        double valence = 0, arousal = 0;
        for (std::size_t k = 0; k < model.labels.size(); ++k) {
            r.scores[model.labels[k]] = probabilities[k];
            const auto point = model.circumplex.find(model.labels[k]);
            if (point == model.circumplex.end()) {
                placed = false;
                continue;
            }
            valence += probabilities[k] * point->second.first;
            arousal += probabilities[k] * point->second.second;
        }
        if (placed) r.vad = {{"valence", valence}, {"arousal", arousal}};
        r.baseline = baseline ? "speaker" : "population";
        r.evidence = speech::acoustic_evidence(model, p.features, baseline, best, options.max_evidence);
        results.push_back(std::move(r));
    }
    return results;
}

}  // namespace emo
