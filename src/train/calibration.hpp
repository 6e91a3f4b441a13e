// Per-class logit offsets that maximise weighted-F1: a linear model trained for log-loss under-predicts the rare
// classes, and weighted-F1 rewards recovering some of them.
#pragma once

#include <vector>

namespace emo::train {

// Weighted-F1 of argmax(logits + offsets) against gold.
double weighted_f1_with_offsets(const std::vector<std::vector<double>>& logits, const std::vector<int>& gold,
                                const std::vector<double>& offsets);

// Coordinate ascent over a grid of offsets in [-range, range]; starts at zero and only moves when weighted-F1 rises
// by more than `min_gain`, so that noise does not drive the offsets.
std::vector<double> fit_offsets(const std::vector<std::vector<double>>& logits, const std::vector<int>& gold,
                                unsigned classes, double range = 1.5, double step = 0.1, int rounds = 3,
                                double min_gain = 1e-4);

}  // namespace emo::train
