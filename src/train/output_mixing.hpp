// Output mixing for multi-output ridge regression: each target's final prediction is a least-squares combination of
// every output's out-of-fold prediction (plus a constant). EmoBank's dominance is rated noisily but leans on valence,
// which is predicted far better; mixing lets one target borrow another's signal. Since the head is linear, the
// mixture folds back into one linear head: the model format and the evidence stay as they are.
#pragma once

#include "core/linear_model.hpp"

#include <vector>

namespace emo::train {

struct TargetMixing {
    bool used = false;                 // true when mixing raised the cross-validated Pearson r
    std::vector<double> coefficients;  // one per output, then the constant
    double r_alone = 0, r_mixed = 0;   // cross-validated Pearson r of the target without and with mixing
};

// For each target t: the least-squares fit of targets[i][t] on the out-of-fold outputs oof[i][*], judged by a second
// cross-validation over the same folds; rows whose target is NaN are left out. targets is [rows][outputs].
std::vector<TargetMixing> fit_output_mixing(const std::vector<std::vector<double>>& oof,
                                            const std::vector<float>& targets, const std::vector<unsigned>& fold_of,
                                            unsigned folds);

// Replaces the head of every target that uses mixing by the mixture of the heads (weights and bias).
void apply_output_mixing(core::LinearModel& head, const std::vector<TargetMixing>& mixing);

}  // namespace emo::train
