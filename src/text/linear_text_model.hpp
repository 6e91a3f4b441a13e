// A model of single texts: the shared TextEncoder and one linear head, for three tasks
//   multilabel: independent sigmoid per label, each with its own probability threshold (GoEmotions);
//   multiclass: softmax over the labels;
//   regression: one real output per target (EmoBank's V, A, D, per perspective).
// A model may be stacked on a base classifier: it then sees the base's probabilities after its own encoder's
// features (how the EmoBank regressor profits from GoEmotions).
#pragma once

#include "core/linear_model.hpp"
#include "text/text_encoder.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace emo::text {

enum class TextTask { multilabel, multiclass, regression };

// "multilabel", "multiclass", "regression"; parse_text_task throws emo::Error for anything else.
const char* task_name(TextTask task);
TextTask parse_text_task(std::string_view name);

struct LinearTextModel {
    TextTask task = TextTask::multilabel;
    std::vector<std::string> outputs;            // label names, or target names for regression
    std::shared_ptr<const TextEncoder> encoder;  // fitted on this model's own training texts
    core::LinearModel head;                      // over row(): encoder features, then the base's probabilities
    std::vector<double> thresholds;              // multilabel: the probability each label must reach
    // multilabel: how the labels that reach their thresholds become the text's labels. The trainer chooses both on
    // out-of-fold probabilities; models saved before that choice have both.
    struct LabelRule {
        bool neutral_alone = true;  // "neutral" only when no other label reaches its threshold
        bool at_least_one = true;   // when none does, the label nearest its threshold (highest probability / threshold)
    } label_rule;
    // Label groups of the classifier's labels (GoEmotions' ekman_mapping.json and sentiment_dict.json); may be empty.
    std::map<std::string, std::vector<std::string>> ekman, sentiment;
    std::shared_ptr<const LinearTextModel> base;     // stacked: the classifier whose probabilities this model reads
    std::string base_path;                           // stacked: the base's directory, relative to this model's
    std::string fingerprint;                         // of the weights file, so that a stacked model knows its base
    nlohmann::json info = nlohmann::json::object();  // training data and metrics: copied into the manifest

    // Features a head row can index.
    std::uint32_t dimension() const;
    // The head's row for an encoded text; `base_probs` (the base's outputs for the same row) when stacked.
    core::SparseRow row(const core::SparseRow& encoded, const std::vector<double>& base_probs) const;
    // The head row of a raw text (invalid UTF-8 throws emo::Error). `features`, when given, receives the featurized
    // text with the origins that evidence needs.
    // `sentence_block`: the text's block for a model on a checkpoint's embeddings, computed beforehand (empty:
    // computed here).
    core::SparseRow head_row(std::string_view text, Featurized* features = nullptr,
                             std::span<const float> sentence_block = {}) const;
    // head_row of each text, with the sentence encoder (if any) run over them all in length-sorted batches.
    std::vector<core::SparseRow> head_rows(const std::vector<std::string_view>& texts) const;
    // Probabilities (classifiers: sigmoid per label or softmax) or values (regression) of a head row.
    std::vector<double> predict(const core::SparseRow& head_row) const;
    // The predicted labels (indices into outputs) from predict()'s probabilities. multilabel: every label that
    // reaches its threshold, as label_rule says; multiclass: the argmax.
    std::vector<std::size_t> decide(const std::vector<double>& probs) const;
};

// Writes manifest.json, weights.safetensors and (unless stacked) the vectors into `dir`, created if needed.
void save_text_model(LinearTextModel& model, const std::string& dir);
// Reads a model directory written by save_text_model, with its base. Errors name the file.
// `known_base`, when given and carrying the fingerprint that the manifest asks for, serves as the base instead of
// reading the base directory again (emo::TextModel loads the emotion model first).
LinearTextModel load_text_model(const std::string& dir, std::shared_ptr<const LinearTextModel> known_base = nullptr);

}  // namespace emo::text
