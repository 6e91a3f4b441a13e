#include "train/linear_fit.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using emo::core::SparseRow;
using emo::train::LabelledRows;

namespace {

struct Toy {
    std::vector<SparseRow> rows;
    LabelledRows data;
};

// Three classes, each signalled by its own feature, with noise features shared by all.
Toy make_toy(std::size_t n, unsigned seed) {
    Toy toy;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (std::size_t i = 0; i < n; ++i) {
        int y = static_cast<int>(i % 3);
        toy.rows.push_back({{static_cast<std::uint32_t>(y), 1.0f + u(rng)}, {3, u(rng)}, {4, u(rng)}});
        toy.data.labels.push_back(y);
        toy.data.weights.push_back(i % 2 ? 1.0 : 2.0);
    }
    for (auto& r : toy.rows) toy.data.rows.push_back(&r);
    return toy;
}

}  // namespace

namespace {

// Checks linear_objective's gradient against central finite differences at a random point.
void expect_gradient_matches(const LabelledRows& data, const emo::train::FitOptions& options, std::uint32_t outputs,
                             std::uint32_t dim) {
    std::mt19937 rng(7);
    std::normal_distribution<double> nd(0.0, 0.5);
    std::vector<double> x(dim * outputs + outputs), grad, scratch;
    for (auto& v : x) v = nd(rng);
    emo::train::linear_objective(data, outputs, dim, options, x, grad);
    const double h = 1e-6;
    for (std::size_t j = 0; j < x.size(); ++j) {
        auto xp = x, xm = x;
        xp[j] += h;
        xm[j] -= h;
        double numeric = (emo::train::linear_objective(data, outputs, dim, options, xp, scratch) -
                          emo::train::linear_objective(data, outputs, dim, options, xm, scratch)) /
                         (2 * h);
        EXPECT_NEAR(grad[j], numeric, 1e-6) << "parameter " << j;
    }
}

// Targets for the sigmoid and squared losses: two outputs driven by features 0 and 1, one value missing.
void add_targets(Toy& toy, emo::train::Loss loss) {
    for (std::size_t i = 0; i < toy.rows.size(); ++i) {
        const int y = toy.data.labels[i];
        if (loss == emo::train::Loss::sigmoid) {
            toy.data.targets.push_back(y == 0);
            toy.data.targets.push_back(y != 1);
        } else {
            toy.data.targets.push_back(2.0f * toy.rows[i][0].value - 1.0f);
            toy.data.targets.push_back(y == 1 ? 3.0f : -1.0f);
        }
    }
    toy.data.targets[3] = NAN;
}

}  // namespace

TEST(LinearFit, GradientMatchesFiniteDifferences) {
    Toy toy = make_toy(30, 3);
    emo::train::FitOptions options;
    options.l2 = 0.05;
    options.threads = 2;
    expect_gradient_matches(toy.data, options, 3, 5);
}

TEST(LinearFit, SigmoidAndSquaredGradientsMatchFiniteDifferences) {
    for (auto loss : {emo::train::Loss::sigmoid, emo::train::Loss::squared}) {
        Toy toy = make_toy(30, 4);
        add_targets(toy, loss);
        emo::train::FitOptions options;
        options.loss = loss;
        options.l2_per_output = {0.05, 0.2};
        options.threads = 2;
        expect_gradient_matches(toy.data, options, 2, 5);
    }
}

TEST(LinearFit, MultiLabelAndRidgeFitTheirTargets) {
    Toy toy = make_toy(90, 6);
    add_targets(toy, emo::train::Loss::sigmoid);
    emo::train::FitOptions options;
    options.loss = emo::train::Loss::sigmoid;
    options.l2 = 1e-3;
    auto multi = emo::train::fit_linear(toy.data, 2, 5, options);
    for (std::size_t i = 0; i < toy.rows.size(); ++i) {
        auto z = multi.logits(toy.rows[i]);
        if (i != 1) {  // row 1's second target is missing
            EXPECT_EQ(z[1] > 0, toy.data.labels[i] != 1) << i;
        }
        EXPECT_EQ(z[0] > 0, toy.data.labels[i] == 0) << i;
    }

    Toy reg = make_toy(90, 6);
    add_targets(reg, emo::train::Loss::squared);
    options.loss = emo::train::Loss::squared;
    options.l2 = 1e-6;
    auto ridge = emo::train::fit_linear(reg.data, 2, 5, options);
    for (std::size_t i = 0; i < reg.rows.size(); ++i)  // output 0 is exactly linear in the features
        EXPECT_NEAR(ridge.logits(reg.rows[i])[0], reg.data.targets[i * 2], 0.02) << i;
}

TEST(LinearFit, LearnsSeparableClassesAndIsDeterministic) {
    Toy toy = make_toy(90, 5);
    emo::train::FitOptions options;
    options.l2 = 1e-3;
    options.threads = 2;
    auto a = emo::train::fit_linear(toy.data, 3, 5, options);
    auto b = emo::train::fit_linear(toy.data, 3, 5, options);
    EXPECT_EQ(a.weights, b.weights);
    int correct = 0;
    for (std::size_t i = 0; i < toy.rows.size(); ++i) {
        auto p = a.probabilities(toy.rows[i]);
        EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-9);
        int best = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
        correct += best == toy.data.labels[i];
    }
    EXPECT_EQ(correct, 90);
}

TEST(LinearFit, RejectsASingleClass) {
    Toy toy = make_toy(6, 1);
    EXPECT_THROW(emo::train::fit_linear(toy.data, 1, 5), emo::Error);
}

TEST(LinearFit, ThreadCountDoesNotChangeTheModel) {
    Toy toy = make_toy(200, 11);
    emo::train::FitOptions one, three;
    one.threads = 1;
    three.threads = 3;
    EXPECT_EQ(emo::train::fit_linear(toy.data, 3, 5, one).weights,
              emo::train::fit_linear(toy.data, 3, 5, three).weights);
}

TEST(LinearFit, AWarmStartReachesTheSameModel) {
    Toy toy = make_toy(300, 12);
    emo::train::FitOptions cold;
    cold.l2 = 1e-3;
    cold.lbfgs.relative_tolerance = 0;
    cold.lbfgs.gradient_tolerance = 1e-10;
    const auto from_zero = emo::train::fit_linear(toy.data, 3, 5, cold);
    emo::train::FitOptions stronger = cold;
    stronger.l2 = 1e-1;
    const auto neighbour = emo::train::fit_linear(toy.data, 3, 5, stronger);
    emo::train::FitOptions warm = cold;
    warm.start = &neighbour;
    const auto from_neighbour = emo::train::fit_linear(toy.data, 3, 5, warm);
    for (std::size_t j = 0; j < from_zero.weights.size(); ++j)
        EXPECT_NEAR(from_neighbour.weights[j], from_zero.weights[j], 1e-4) << j;
    auto wrong_shape = neighbour;
    wrong_shape.dim = 4;
    warm.start = &wrong_shape;
    EXPECT_THROW(emo::train::fit_linear(toy.data, 3, 5, warm), emo::Error);
}
