#include "train/folds.hpp"
#include "train/output_mixing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

using namespace emo;

namespace {

// Two targets: a well-predicted one (A) and a noisily predicted one (B) that shares most of A's signal.
struct TwoTargets {
    std::vector<std::vector<double>> oof;
    std::vector<float> targets;
};

TwoTargets make_two_targets(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> g(0.0, 1.0);
    TwoTargets d;
    for (std::size_t i = 0; i < n; ++i) {
        const double shared = g(rng), own = g(rng);
        const double a = shared, b = 0.8 * shared + 0.6 * own;
        d.targets.push_back(static_cast<float>(a));
        d.targets.push_back(static_cast<float>(b));
        d.oof.push_back({a + 0.3 * g(rng), b + 3.0 * g(rng)});
    }
    return d;
}

}  // namespace

TEST(OutputMixing, BorrowsFromABetterPredictedCorrelatedTarget) {
    const auto d = make_two_targets(4000, 1);
    const auto folds = train::assign_folds(d.oof.size(), 5, 1);
    const auto mixing = train::fit_output_mixing(d.oof, d.targets, folds, 5);
    ASSERT_EQ(mixing.size(), 2u);
    EXPECT_TRUE(mixing[1].used);
    EXPECT_GT(mixing[1].r_mixed, mixing[1].r_alone + 0.2);  // B alone r ~0.3; through A's prediction ~0.8
    ASSERT_EQ(mixing[1].coefficients.size(), 3u);           // one per output, then the constant
    EXPECT_GT(mixing[1].coefficients[0], mixing[1].coefficients[1]);
    EXPECT_NEAR(mixing[0].r_alone, 0.957, 0.02);  // 1 / sqrt(1 + 0.3^2)
}

TEST(OutputMixing, SkipsRowsWithoutARating) {
    auto d = make_two_targets(2000, 2);
    for (std::size_t i = 0; i < d.oof.size(); i += 3) d.targets[i * 2 + 1] = std::numeric_limits<float>::quiet_NaN();
    const auto mixing = train::fit_output_mixing(d.oof, d.targets, train::assign_folds(d.oof.size(), 5, 2), 5);
    EXPECT_TRUE(std::isfinite(mixing[1].r_alone));
    EXPECT_TRUE(std::isfinite(mixing[1].r_mixed));
    EXPECT_TRUE(mixing[1].used);
    for (double c : mixing[1].coefficients) EXPECT_TRUE(std::isfinite(c));
}

TEST(OutputMixing, MixedHeadPredictsTheMixtureOfTheOriginalOutputs) {
    core::LinearModel head;
    head.classes = 2;
    head.dim = 3;
    head.weights = {1.0f, 0.5f, -2.0f, 1.0f, 0.25f, 3.0f};  // [feature][output]
    head.bias = {0.1f, -0.2f};
    std::vector<train::TargetMixing> mixing(2);
    mixing[1].used = true;
    mixing[1].coefficients = {0.7, 0.2, 1.5};  // 0.7 * out0 + 0.2 * out1 + 1.5
    const core::SparseRow row{{0, 1.0f}, {2, 2.0f}};
    const auto before = head.logits(row);
    train::apply_output_mixing(head, mixing);
    const auto after = head.logits(row);
    EXPECT_NEAR(after[0], before[0], 1e-6);  // not mixed: unchanged
    EXPECT_NEAR(after[1], 0.7 * before[0] + 0.2 * before[1] + 1.5, 1e-5);
}
