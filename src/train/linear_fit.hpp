// Linear models over sparse rows with L2 regularisation, trained by L-BFGS: multinomial logistic regression
// (softmax), independent binary logistic regressions (sigmoid, for multi-label tasks) and ridge regression (squared).
#pragma once

#include "core/linear_model.hpp"
#include "core/sparse.hpp"
#include "train/lbfgs.hpp"

#include <vector>

namespace emo::train {

enum class Loss { softmax, sigmoid, squared };

struct LabelledRows {
    std::vector<const core::SparseRow*> rows;
    std::vector<int> labels;      // softmax: class per row, in [0, outputs)
    std::vector<float> targets;   // sigmoid (0/1) and squared: [rows][outputs]; NaN = missing, left out of the loss
    std::vector<double> weights;  // per-row weight; empty = all 1
};

struct FitOptions {
    Loss loss = Loss::softmax;
    double l2 = 1e-4;              // penalty (l2/2)|W|^2 on the mean weighted loss; the bias is not penalised
    std::vector<double> l2_per_output;  // when not empty, output k's weights get l2_per_output[k] instead of l2
    unsigned threads = 1;          // workers; the result does not depend on their number or timing
    const core::LinearModel* start = nullptr;  // warm start: a model of the same shape (e.g. at a nearby penalty)
    LbfgsOptions lbfgs{};
    // Sigmoid fits by liblinear's Newton method (liblinear_fit.hpp): stop when the gradient's norm falls below this
    // share of its norm at the start (scaled by the minority class's share, as liblinear does).
    double newton_tolerance = 1e-3;
};

// Fits a model of `outputs` outputs (classes for softmax) over features [0, dim).
core::LinearModel fit_linear(const LabelledRows& data, std::uint32_t outputs, std::uint32_t dim,
                             const FitOptions& options = {});

// The training objective and its gradient at packed parameters x ([dim][outputs] weights then [outputs] bias);
// exposed so that tests can check the gradient against finite differences.
double linear_objective(const LabelledRows& data, std::uint32_t outputs, std::uint32_t dim, const FitOptions& options,
                        const std::vector<double>& x, std::vector<double>& grad);

}  // namespace emo::train
