// Multinomial logistic regression with L2 regularisation, trained by L-BFGS over sparse rows.
#pragma once

#include "core/linear_model.hpp"
#include "core/sparse.hpp"
#include "train/lbfgs.hpp"

#include <vector>

namespace emo::train {

struct LabelledRows {
    std::vector<const core::SparseRow*> rows;
    std::vector<int> labels;      // class per row, in [0, classes)
    std::vector<double> weights;  // per-row weight; empty = all 1
};

struct LogisticOptions {
    double l2 = 1e-4;       // penalty (l2/2)|W|^2 on the mean weighted log-loss; the bias is not penalised
    unsigned threads = 1;   // workers; the result does not depend on their number or timing
    LbfgsOptions lbfgs{};
};

// Fits a model of `classes` classes over features [0, dim).
core::LinearModel train_logistic(const LabelledRows& data, std::uint32_t classes, std::uint32_t dim,
                                 const LogisticOptions& options = {});

// The training objective and its gradient at packed parameters x ([dim][classes] weights then [classes] bias);
// exposed so that tests can check the gradient against finite differences.
double logistic_objective(const LabelledRows& data, std::uint32_t classes, std::uint32_t dim,
                          const LogisticOptions& options, const std::vector<double>& x, std::vector<double>& grad);

}  // namespace emo::train
