#include "speech/acoustic_evidence.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace emo::speech {

namespace {

struct NamedCue {
    const char* feature;
    const char* words;
    const char* unit;  // "" for features without a natural unit: described in
                       // standard deviations
    int decimals;
};

const NamedCue named_cues[] = {
    {"F0semitoneFrom27.5Hz_sma3nz_amean", "pitch", "semitones", 1},
    {"F0semitoneFrom27.5Hz_sma3nz_pctlrange0-2", "pitch range", "semitones", 1},
    {"F0semitoneFrom27.5Hz_sma3nz_meanRisingSlope", "speed of pitch rises", "semitones/s", 0},
    {"F0semitoneFrom27.5Hz_sma3nz_meanFallingSlope", "speed of pitch falls", "semitones/s", 0},
    {"loudness_sma3_amean", "loudness", "", 1},
    {"loudness_sma3_pctlrange0-2", "loudness range", "", 1},
    {"equivalentSoundLevel_dBp", "sound level", "dB", 1},
    {"VoicedSegmentsPerSec", "voiced stretches per second", "", 1},
    {"MeanVoicedSegmentLengthSec", "length of voiced stretches", "s", 2},
    {"MeanUnvoicedSegmentLength", "length of pauses", "s", 2},
    {"HNRdBACF_sma3nz_amean", "harmonics-to-noise ratio", "dB", 1},
    {"jitterLocal_sma3nz_amean", "jitter", "", 1},
    {"shimmerLocaldB_sma3nz_amean", "shimmer", "dB", 2},
    {"alphaRatioV_sma3nz_amean", "alpha ratio (energy above 1 kHz)", "dB", 1},
    {"hammarbergIndexV_sma3nz_amean", "Hammarberg index", "dB", 1},
    {"spectralFlux_sma3_amean", "spectral flux", "", 1},
    {"F1frequency_sma3nz_amean", "first formant", "Hz", 0},
};

std::string describe(const NamedCue& cue, double difference, double z, bool speaker) {
    const char* reference = speaker ? "the speaker's average" : "the training voices' average";
    char text[200];
    if (*cue.unit)
        std::snprintf(text, sizeof text, "%s %.*f %s %s %s", cue.words, cue.decimals, std::fabs(difference), cue.unit,
                      difference >= 0 ? "above" : "below", reference);
    else
        std::snprintf(text, sizeof text, "%s %s than %s (%+.1f SD)", cue.words, difference >= 0 ? "higher" : "lower",
                      reference, z);
    return text;
}

}  // namespace

std::vector<EvidenceItem> acoustic_evidence(const SpeechEmotionModel& model, const std::vector<double>& features,
                                            const SpeakerBaseline* baseline, std::size_t label, std::size_t max) {
    if (max == 0) return {};
    const ScaledClassifier& half = baseline ? model.speaker : model.population;
    const std::vector<double> seen = baseline ? baseline->apply(features) : features;
    const FeatureScaling& reference = baseline ? *baseline : model.population.scaling;
    std::vector<EvidenceItem> cues;
    for (const auto& cue : named_cues) {
        const auto it = std::find(model.feature_names.begin(), model.feature_names.end(), cue.feature);
        if (it == model.feature_names.end()) continue;
        const auto j = static_cast<std::size_t>(it - model.feature_names.begin());
        const double z = (seen[j] - half.scaling.mean[j]) / half.scaling.scale[j];
        const double weight =
            z * half.linear.centred_weight(static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(label));
        if (weight <= 0) continue;
        const double difference = features[j] - reference.mean[j];
        cues.push_back({describe(cue, difference, difference / reference.scale[j], baseline != nullptr), weight,
                        model.labels[label]});
    }
    std::stable_sort(cues.begin(), cues.end(), [](const auto& a, const auto& b) { return a.weight > b.weight; });
    if (cues.size() > max) cues.resize(max);
    return cues;
}

}  // namespace emo::speech
