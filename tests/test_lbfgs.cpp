#include "train/lbfgs.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

// An ill-conditioned quadratic with a log term: sum c_i (x_i - 1)^2 / 2 + log(1 + (x_i - 1)^2) / 10, minimum at 1.
double bumpy_bowl(const std::vector<double>& x, std::vector<double>& g) {
    double value = 0;
    g.resize(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double c = 1.0 + static_cast<double>(i % 50) * 2.0, d = x[i] - 1.0;
        value += 0.5 * c * d * d + 0.1 * std::log1p(d * d);
        g[i] = c * d + 0.2 * d / (1 + d * d);
    }
    return value;
}

}  // namespace

TEST(Lbfgs, FindsTheMinimumAfterTheHistoryHasWrappedManyTimes) {
    std::vector<double> x(500, -3.0);
    emo::train::LbfgsOptions options;
    options.history = 4;  // far fewer pairs than iterations: the ring of stored pairs is reused again and again
    options.gradient_tolerance = 1e-9;
    options.relative_tolerance = 0;
    const auto result = emo::train::minimize_lbfgs(bumpy_bowl, x, options);
    EXPECT_GT(result.iterations, 3 * options.history);
    for (double v : x) EXPECT_NEAR(v, 1.0, 1e-6);
    EXPECT_NEAR(result.value, 0.0, 1e-10);
}

TEST(Lbfgs, StopsByTheRelativeRuleBeforeTheIterationLimit) {
    std::vector<double> x(200, 5.0);
    emo::train::LbfgsOptions options;
    options.gradient_tolerance = 0;  // only the objective's gain can stop it
    options.relative_tolerance = 1e-7;
    options.max_iterations = 10000;
    const auto result = emo::train::minimize_lbfgs(bumpy_bowl, x, options);
    EXPECT_LT(result.iterations, options.max_iterations);
    EXPECT_LT(result.value, 1e-5);
}

TEST(Lbfgs, AStartAtTheMinimumStaysThere) {
    std::vector<double> x(10, 1.0);
    const auto result = emo::train::minimize_lbfgs(bumpy_bowl, x);
    EXPECT_EQ(result.iterations, 1);
    for (double v : x) EXPECT_EQ(v, 1.0);
}
