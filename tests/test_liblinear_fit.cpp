#include "train/liblinear_fit.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using emo::core::SparseRow;
using emo::train::FitOptions;
using emo::train::LabelledRows;
using emo::train::Loss;

namespace {

// Two binary outputs over noisy rows: output 0 is "feature 0 is large", output 1 a noisy mix of features 1 and 2.
struct Toy {
    std::vector<SparseRow> rows;
    LabelledRows data;
};

Toy make_toy(std::size_t n, unsigned seed) {
    Toy toy;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (std::size_t i = 0; i < n; ++i) {
        const float a = u(rng), b = u(rng), c = u(rng);
        toy.rows.push_back({{0, a}, {1, b}, {2, c}, {7, 1.0f}});
        toy.data.targets.push_back(a + 0.3f * (u(rng) - 0.5f) > 0.5f);
        toy.data.targets.push_back(b - c + 0.5f * (u(rng) - 0.5f) > 0.2f);
    }
    for (auto& r : toy.rows) toy.data.rows.push_back(&r);
    return toy;
}

FitOptions sigmoid(double l2) {
    FitOptions o;
    o.loss = Loss::sigmoid;
    o.l2 = l2;
    return o;
}

std::vector<double> flatten(const emo::core::LinearModel& m) {
    std::vector<double> x(m.weights.begin(), m.weights.end());
    x.insert(x.end(), m.bias.begin(), m.bias.end());
    return x;
}

}  // namespace

TEST(LiblinearFit, TakesOnlyUnweightedZeroOneTargets) {
    Toy toy = make_toy(20, 1);
    EXPECT_TRUE(emo::train::liblinear_can_fit(toy.data, sigmoid(1e-2)));
    EXPECT_FALSE(emo::train::liblinear_can_fit(toy.data, FitOptions{}));  // softmax
    auto weighted = toy.data;
    weighted.weights.assign(20, 1.0);
    EXPECT_FALSE(emo::train::liblinear_can_fit(weighted, sigmoid(1e-2)));
    auto soft = toy.data;
    soft.targets[5] = 0.4f;
    EXPECT_FALSE(emo::train::liblinear_can_fit(soft, sigmoid(1e-2)));
    auto missing = toy.data;
    missing.targets[5] = NAN;
    EXPECT_FALSE(emo::train::liblinear_can_fit(missing, sigmoid(1e-2)));
}

// The same objective minimised by L-BFGS (all-one row weights keep fit_linear off liblinear): liblinear's model is as
// good under fit_linear's own objective, and predicts the same probabilities.
TEST(LiblinearFit, ReachesTheMinimumThatLbfgsFinds) {
    Toy toy = make_toy(400, 2);
    FitOptions options = sigmoid(1e-3);
    options.newton_tolerance = 1e-6;
    const auto by_newton = emo::train::fit_linear(toy.data, 2, 8, options);

    auto weighted = toy.data;
    weighted.weights.assign(toy.rows.size(), 1.0);
    FitOptions exact = options;
    exact.lbfgs.relative_tolerance = 0;
    exact.lbfgs.gradient_tolerance = 1e-9;
    const auto by_lbfgs = emo::train::fit_linear(weighted, 2, 8, exact);

    std::vector<double> grad;
    const double f_newton = emo::train::linear_objective(toy.data, 2, 8, options, flatten(by_newton), grad);
    const double f_lbfgs = emo::train::linear_objective(toy.data, 2, 8, options, flatten(by_lbfgs), grad);
    EXPECT_NEAR(f_newton, f_lbfgs, 1e-4 * f_lbfgs);
    for (std::size_t i = 0; i < toy.rows.size(); ++i)
        for (std::size_t k = 0; k < 2; ++k)
            EXPECT_NEAR(by_newton.probabilities(toy.rows[i])[k], by_lbfgs.probabilities(toy.rows[i])[k], 0.01)
                << "row " << i << " output " << k;
}

// liblinear numbers classes by their first appearance; which one comes first must not flip the model.
TEST(LiblinearFit, TheFirstRowsClassDoesNotMatter) {
    Toy toy = make_toy(200, 3);
    std::size_t first_positive = 0;
    while (toy.data.targets[first_positive * 2] != 1.0f) ++first_positive;
    std::size_t first_negative = 0;
    while (toy.data.targets[first_negative * 2] != 0.0f) ++first_negative;
    auto positive_first = toy.data, negative_first = toy.data;
    std::swap(positive_first.rows[0], positive_first.rows[first_positive]);
    std::swap(positive_first.targets[0], positive_first.targets[first_positive * 2]);
    std::swap(positive_first.targets[1], positive_first.targets[first_positive * 2 + 1]);
    std::swap(negative_first.rows[0], negative_first.rows[first_negative]);
    std::swap(negative_first.targets[0], negative_first.targets[first_negative * 2]);
    std::swap(negative_first.targets[1], negative_first.targets[first_negative * 2 + 1]);
    const auto a = emo::train::fit_linear(positive_first, 2, 8, sigmoid(1e-2));
    const auto b = emo::train::fit_linear(negative_first, 2, 8, sigmoid(1e-2));
    EXPECT_GT(a.weights[0 * 2 + 0], 1.0);  // output 0 rises with feature 0
    for (std::size_t j = 0; j < a.weights.size(); ++j) EXPECT_NEAR(a.weights[j], b.weights[j], 1e-3) << j;
}

TEST(LiblinearFit, AnOutputWithOneClassGetsNoWeightsAndTheOthersAreUntouched) {
    Toy toy = make_toy(100, 4);
    auto never = toy.data;
    for (std::size_t i = 0; i < toy.rows.size(); ++i) never.targets[i * 2 + 1] = 0.0f;
    const auto m = emo::train::fit_linear(never, 2, 8, sigmoid(1e-2));
    const auto both = emo::train::fit_linear(toy.data, 2, 8, sigmoid(1e-2));
    for (std::size_t j = 0; j < 8; ++j) {
        EXPECT_EQ(m.weights[j * 2 + 1], 0.0f) << j;
        EXPECT_EQ(m.weights[j * 2], both.weights[j * 2]) << j;
    }
    EXPECT_LT(m.probabilities(toy.rows[0])[1], 1e-6);
}

TEST(LiblinearFit, ThreadCountDoesNotChangeTheModelAndAWarmStartReachesTheSameOne) {
    Toy toy = make_toy(300, 5);
    FitOptions one = sigmoid(1e-3), three = sigmoid(1e-3);
    three.threads = 3;
    const auto cold = emo::train::fit_linear(toy.data, 2, 8, one);
    EXPECT_EQ(cold.weights, emo::train::fit_linear(toy.data, 2, 8, three).weights);
    EXPECT_EQ(cold.bias, emo::train::fit_linear(toy.data, 2, 8, three).bias);

    FitOptions tight = sigmoid(1e-3);
    tight.newton_tolerance = 1e-8;
    const auto exact = emo::train::fit_linear(toy.data, 2, 8, tight);
    const auto neighbour = emo::train::fit_linear(toy.data, 2, 8, sigmoid(1e-1));
    FitOptions warm = tight;
    warm.start = &neighbour;
    const auto from_neighbour = emo::train::fit_linear(toy.data, 2, 8, warm);
    for (std::size_t j = 0; j < exact.weights.size(); ++j)
        EXPECT_NEAR(from_neighbour.weights[j], exact.weights[j], 1e-4) << j;
    for (std::size_t k = 0; k < 2; ++k) EXPECT_NEAR(from_neighbour.bias[k], exact.bias[k], 1e-4) << k;
}
