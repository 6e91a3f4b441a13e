// The emotion-cause model: a logistic regression over (target, candidate) pair rows decides which utterances caused
// a target's emotion (probability >= threshold), and a second one scores the candidate spans of each cause
// utterance (runs of clauses), of which the best is reported. Both are linear over hashed features
// (dialog/cause_features.hpp).
#pragma once

#include "core/linear_model.hpp"
#include "dialog/cause_features.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace emo::dialog {

struct CauseModel {
    core::LinearModel pair;  // one output: the log-odds that the candidate is a cause
    core::LinearModel span;  // one output: how well a candidate span matches the annotated span
    double threshold = 0.5;  // pair probability from which a candidate is reported as a cause
    nlohmann::json info = nlohmann::json::object();  // training data and figures: copied into the manifest

    // P(candidate is a cause of target) for candidates 0..target, in order.
    std::vector<double> pair_probabilities(const std::vector<CauseTurn>& turns, std::size_t target) const;
    // The best-scoring span of `candidate`'s text as a cause of `target`: a byte range [begin, end) of that text.
    // An utterance without clauses gives {0, 0}.
    Clause best_span(const std::vector<CauseTurn>& turns, std::size_t target, std::size_t candidate,
                     std::string_view candidate_text) const;
};

// Writes manifest.json and weights.safetensors into `dir` (created if needed).
void save_cause_model(const CauseModel& model, const std::string& dir);
// Reads a directory written by save_cause_model; missing or corrupt files throw emo::Error naming the file.
CauseModel load_cause_model(const std::string& dir);

}  // namespace emo::dialog

namespace emo {

// Behind the public emo::CauseModel (defined here so that evaluation and training reach the model).
struct CauseModel::Impl {
    dialog::CauseModel model;
};

}  // namespace emo
