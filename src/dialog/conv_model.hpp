// The built-in conversation model: a stacked pair of linear models.
//   stage 1: each utterance alone -> emotion (and sentiment) probabilities from hashed TF-IDF n-grams, surface cues
//            and averaged pretrained word vectors;
//   stage 2: those probabilities for the utterance and its context (neighbours by same/other speaker, the speaker's
//            last turn, the dialogue so far and, offline, ahead) -> the final emotion and sentiment, with per-class
//            logit offsets calibrated for weighted-F1.
// One stage-2 model is trained for offline use (past and future) and one for online use (past only).
#pragma once

#include "core/linear_model.hpp"
#include "dialog/context_features.hpp"
#include "text/text_encoder.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace emo::dialog {

struct StageTwo {
    core::LinearModel emotion;
    core::LinearModel sentiment;          // classes == 0 when the model has no sentiment head
    std::vector<double> emotion_offsets;  // added to the emotion logits before the softmax

    // Calibrated emotion logits of one context row: the linear model's logits plus the offsets.
    std::vector<double> emotion_logits(const core::SparseRow& context_row) const;
};

struct ConvModel {
    std::vector<std::string> labels;
    std::vector<std::string> sentiment_labels;  // empty: sentiment is derived from the emotions
    text::TextEncoder encoder;  // the stage-1 row of an utterance
    core::LinearModel stage1_emotion;
    core::LinearModel stage1_sentiment;
    ContextLayout layout{0};
    StageTwo offline, online;
    nlohmann::json info = nlohmann::json::object();  // training data, metrics: copied into the manifest

    // Stage-1 probabilities: emotion then sentiment, concatenated (layout.per_utterance values).
    std::vector<double> stage1_probs(const core::SparseRow& row) const;
};

// Writes manifest.json, weights.safetensors and (when present) vectors.safetensors into `dir` (created if needed).
void save_conv_model(const ConvModel& model, const std::string& dir);
// Reads a model directory written by save_conv_model. Missing or corrupt files throw emo::Error naming the file.
ConvModel load_conv_model(const std::string& dir);

}  // namespace emo::dialog
