// The speech emotion model: a multinomial logistic regression over standardised acoustic features
// (speech/emotion_features.hpp). It comes in two halves trained on the same recordings: `population` reads the features
// as they are; `speaker` reads them after z-scoring by the statistics of the speaker's own recordings (several
// recordings of one speaker, unlabelled), which removes much of what differs between voices and is worth about ten
// points of unweighted recall on RAVDESS (docs/speech.md: and what it assumes).
#pragma once

#include "core/linear_model.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace emo::speech {

// Per-feature shift and scale: z = (x - mean) / scale.
struct FeatureScaling {
    std::vector<double> mean, scale;

    // The scaling that gives `rows` zero mean and unit variance (a constant feature keeps scale 1).
    static FeatureScaling fit(const std::vector<std::vector<double>>& rows);
    std::vector<double> apply(const std::vector<double>& x) const;
};

// What the speaker half normalises by: the mean and spread of each feature over one speaker's recordings.
using SpeakerBaseline = FeatureScaling;

struct ScaledClassifier {
    FeatureScaling scaling;    // learnt on the training rows
    core::LinearModel linear;  // over the scaled features

    // Softmax probabilities of one feature row.
    std::vector<double> probabilities(const std::vector<double>& x) const;
};

struct SpeechEmotionModel {
    std::vector<std::string> labels;
    std::vector<std::string> feature_names;
    ScaledClassifier population, speaker;
    std::size_t min_baseline_recordings = 10;  // fewer recordings of a speaker: the population half decides
    std::map<std::string, std::pair<double, double>> circumplex;  // label -> (valence, arousal), for derived VAD
    // The features of reference_signal() when the model was trained (speech/emotion_features.hpp); empty in models
    // that predate them.
    std::vector<double> reference_features;
    nlohmann::json info = nlohmann::json::object();  // training data and figures: copied into the manifest
};

// Writes manifest.json and weights.safetensors into `dir` (created if needed).
void save_speech_model(const SpeechEmotionModel& model, const std::string& dir);
// Reads a directory written by save_speech_model; missing or corrupt files, and features that this build does not
// compute, throw emo::Error naming the file.
SpeechEmotionModel load_speech_model(const std::string& dir);

}  // namespace emo::speech
