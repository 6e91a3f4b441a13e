// The training and dev texts of `emo train text`, read and checked against the task.
#pragma once

#include "core/sparse.hpp"
#include "text/linear_text_model.hpp"
#include "train/progress.hpp"

#include <emo/emo.hpp>

#include <string>
#include <vector>

namespace emo::train {

struct TextData {
    std::vector<std::string> texts;
    std::vector<std::vector<std::size_t>> label_sets;  // multilabel: label indices per text
    std::vector<int> labels;                           // multiclass: the label of each text
    std::vector<float> targets;                        // regression: [text][output], NaN where not rated
};

// Reads the train split (`dev` false; sets m.outputs and, for classifiers, m.ekman and m.sentiment) or the dev split
// of the files that `options` names. Unreadable records and records without labels or targets are errors under
// ErrorPolicy::fail and are left out (with a count on stderr) under skip.
TextData load_text_data(const TextTrainOptions& options, text::LinearTextModel& m, bool dev);

// The head rows of texts (invalid UTF-8 was refused by the reader); progress on stderr (times from `start`) when
// `verbose` and a checkpoint embeds the texts.
std::vector<core::SparseRow> encode_all(const text::LinearTextModel& m, const std::vector<std::string>& texts,
                                        bool verbose = false, Clock::time_point start = Clock::now());

}  // namespace emo::train
