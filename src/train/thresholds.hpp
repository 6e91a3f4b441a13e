// Per-label decision thresholds for multi-label classifiers.
#pragma once

#include <vector>

namespace emo::train {

// The probability cut that maximises F1 of one label, given scores and 0/1 gold of the same texts: halfway between
// the lowest score kept and the next one below it (1.0 when the label never occurs, so that it is never predicted
// by a threshold learnt from no positives).
double best_f1_threshold(const std::vector<double>& scores, const std::vector<char>& gold);

}  // namespace emo::train
