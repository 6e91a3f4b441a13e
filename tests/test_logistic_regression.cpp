#include "train/logistic_regression.hpp"

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

TEST(LogisticRegression, GradientMatchesFiniteDifferences) {
    Toy toy = make_toy(30, 3);
    emo::train::LogisticOptions options;
    options.l2 = 0.05;
    options.threads = 2;
    const std::uint32_t classes = 3, dim = 5;
    std::mt19937 rng(7);
    std::normal_distribution<double> nd(0.0, 0.5);
    std::vector<double> x(dim * classes + classes), grad, scratch;
    for (auto& v : x) v = nd(rng);
    emo::train::logistic_objective(toy.data, classes, dim, options, x, grad);
    const double h = 1e-6;
    for (std::size_t j = 0; j < x.size(); ++j) {
        auto xp = x, xm = x;
        xp[j] += h;
        xm[j] -= h;
        double numeric = (emo::train::logistic_objective(toy.data, classes, dim, options, xp, scratch) -
                          emo::train::logistic_objective(toy.data, classes, dim, options, xm, scratch)) /
                         (2 * h);
        EXPECT_NEAR(grad[j], numeric, 1e-6) << "parameter " << j;
    }
}

TEST(LogisticRegression, LearnsSeparableClassesAndIsDeterministic) {
    Toy toy = make_toy(90, 5);
    emo::train::LogisticOptions options;
    options.l2 = 1e-3;
    options.threads = 2;
    auto a = emo::train::train_logistic(toy.data, 3, 5, options);
    auto b = emo::train::train_logistic(toy.data, 3, 5, options);
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

TEST(LogisticRegression, RejectsASingleClass) {
    Toy toy = make_toy(6, 1);
    EXPECT_THROW(emo::train::train_logistic(toy.data, 1, 5), emo::Error);
}

TEST(LogisticRegression, ThreadCountDoesNotChangeTheModel) {
    Toy toy = make_toy(200, 11);
    emo::train::LogisticOptions one, three;
    one.threads = 1;
    three.threads = 3;
    EXPECT_EQ(emo::train::train_logistic(toy.data, 3, 5, one).weights,
              emo::train::train_logistic(toy.data, 3, 5, three).weights);
}
