// Limited-memory BFGS minimisation, the optimiser behind our logistic regressions (deterministic, no tuning of a
// learning rate, converges in a few hundred full-batch passes on problems of our size).
#pragma once

#include <functional>
#include <vector>

namespace emo::train {

// f(x, grad) returns the objective at x and writes its gradient into grad (same size as x).
using Objective = std::function<double(const std::vector<double>& x, std::vector<double>& grad)>;

struct LbfgsOptions {
    int max_iterations = 1000;
    int history = 10;
    double gradient_tolerance = 1e-6;  // stop when max |grad| falls below this
    // or when the objective gains less than this fraction of itself (at least of 1) per iteration, averaged over
    // the last four: on text features the predictions stop changing well before (scikit-learn's lbfgs, whose own
    // rule stops at a similar point, reaches the same held-out accuracy; bench/trainer_peers.py)
    double relative_tolerance = 1e-7;
};

struct LbfgsResult {
    double value = 0;
    int iterations = 0;
};

// Minimises f starting from x (updated in place).
LbfgsResult minimize_lbfgs(const Objective& f, std::vector<double>& x, const LbfgsOptions& options = {});

}  // namespace emo::train
