// Independent binary logistic regressions (one per output) by Debian's liblinear: its trust-region Newton method
// (L2R_LR, liblinear's "-s 0") needs about ten Newton steps where L-BFGS needs hundreds of gradient passes on sparse
// text, which is what makes cross-validating a multi-label model's C affordable (docs/training.md has the figures).
#pragma once

#include "train/linear_fit.hpp"
#include "train/packed_rows.hpp"

namespace emo::train {

// Whether fit_sigmoid_liblinear can fit this problem exactly as fit_linear defines it: sigmoid loss, one penalty for
// all outputs, no row weights, targets all 0 or 1.
bool liblinear_can_fit(const LabelledRows& data, const FitOptions& options);

// One logistic regression per output over packed rows, outputs in parallel on options.threads threads (each fit is
// single-threaded and deterministic, so the model does not depend on the thread count). Warm-starts from
// options.start when given. Unlike fit_linear's, the intercept is penalised, by a hundredth of a weight's penalty
// (liblinear_fit.cpp).
core::LinearModel fit_sigmoid_liblinear(const PackedRows& rows, const LabelledRows& data, std::uint32_t outputs,
                                        std::uint32_t dim, const FitOptions& options);

}  // namespace emo::train
