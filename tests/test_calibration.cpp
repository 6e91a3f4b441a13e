// Tests for src/train/calibration: weighted-F1 under per-class logit offsets and the offset search.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "train/calibration.hpp"

namespace {

using emo::train::fit_offsets;
using emo::train::weighted_f1_with_offsets;
using Logits = std::vector<std::vector<double>>;

int argmax_with(const std::vector<double>& z, const std::vector<double>& offsets) {
    int best = 0;
    for (std::size_t c = 1; c < z.size(); ++c)
        if (z[c] + offsets[c] > z[best] + offsets[best]) best = static_cast<int>(c);
    return best;
}

double recall_of(const Logits& logits, const std::vector<int>& gold, const std::vector<double>& offsets, int cls) {
    int hit = 0, support = 0;
    for (std::size_t i = 0; i < gold.size(); ++i) {
        if (gold[i] != cls) continue;
        ++support;
        hit += argmax_with(logits[i], offsets) == cls;
    }
    return support ? double(hit) / support : 0.0;
}

// Three classes, class 2 rare (about 10%), with logits biased against it: a log-loss model's typical mistake.
struct Biased {
    Logits logits;
    std::vector<int> gold;
};

Biased biased_against_rare(unsigned seed, std::size_t n = 600) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::normal_distribution<double> noise(0, 1);
    Biased b;
    for (std::size_t i = 0; i < n; ++i) {
        const double r = u(rng);
        const int y = r < 0.45 ? 0 : r < 0.9 ? 1 : 2;
        std::vector<double> z = {noise(rng), noise(rng), noise(rng)};
        z[y] += 2.0;
        z[2] -= 1.8;
        b.logits.push_back(z);
        b.gold.push_back(y);
    }
    return b;
}

TEST(WeightedF1WithOffsets, MatchesHandComputationWithoutOffsets) {
    // Predictions 0, 1, 1, 1 against gold 0, 0, 1, 1:
    //   class 0: P = 1/1, R = 1/2, F1 = 2/3; class 1: P = 2/3, R = 2/2, F1 = 4/5; weighted by support 2 and 2.
    const Logits logits = {{2, 0}, {0.5, 1}, {0, 1}, {0, 3}};
    const std::vector<int> gold = {0, 0, 1, 1};
    EXPECT_NEAR(weighted_f1_with_offsets(logits, gold, {0, 0}), (2.0 / 3 * 2 + 0.8 * 2) / 4, 1e-12);
}

TEST(WeightedF1WithOffsets, OffsetsShiftTheArgmax) {
    const Logits logits = {{2, 0}, {0.5, 1}, {0, 1}, {0, 3}};
    const std::vector<int> gold = {0, 0, 1, 1};
    // +0.6 on class 0 flips the second sample only: all four right.
    EXPECT_NEAR(weighted_f1_with_offsets(logits, gold, {0.6, 0}), 1.0, 1e-12);
    // A huge offset predicts class 0 everywhere: class 0 F1 = 2 * 0.5 * 1 / 1.5 = 2/3, class 1 F1 = 0.
    EXPECT_NEAR(weighted_f1_with_offsets(logits, gold, {5, 0}), (2.0 / 3 * 2) / 4, 1e-12);
}

TEST(WeightedF1WithOffsets, ClassesWithoutSupportAddNothingButTheirFalsePositivesCost) {
    // Predictions 0, 2, 1 against gold 0, 0, 1: class 0 F1 = 2/3 (support 2), class 1 F1 = 1 (support 1), class 2
    // has no support and is left out of the weighted mean.
    const Logits logits = {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}};
    const std::vector<int> gold = {0, 0, 1};
    EXPECT_NEAR(weighted_f1_with_offsets(logits, gold, {0, 0, 0}), (2.0 / 3 * 2 + 1.0) / 3, 1e-12);
}

TEST(WeightedF1WithOffsets, TiesGoToTheLowerClass) {
    const Logits logits = {{1, 1}, {1, 1}};
    EXPECT_NEAR(weighted_f1_with_offsets(logits, {0, 0}, {0, 0}), 1.0, 1e-12);
    EXPECT_NEAR(weighted_f1_with_offsets(logits, {1, 1}, {0, 0}), 0.0, 1e-12);
}

TEST(WeightedF1WithOffsets, EmptyInputScoresZero) { EXPECT_EQ(weighted_f1_with_offsets({}, {}, {0, 0, 0}), 0.0); }

TEST(FitOffsets, ReturnsOneOffsetPerClassWithinRange) {
    auto b = biased_against_rare(1);
    auto offsets = fit_offsets(b.logits, b.gold, 3, 1.5, 0.1);
    ASSERT_EQ(offsets.size(), 3u);
    for (double o : offsets) {
        EXPECT_GE(o, -1.5 - 1e-9);
        EXPECT_LE(o, 1.5 + 1e-9);
    }
}

TEST(FitOffsets, NeverLowersWeightedF1) {
    for (unsigned seed = 1; seed <= 8; ++seed) {
        std::mt19937 rng(seed);
        std::normal_distribution<double> noise(0, 1);
        std::uniform_int_distribution<int> cls(0, 3);
        Logits logits;
        std::vector<int> gold;
        for (int i = 0; i < 200; ++i) {
            std::vector<double> z(4);
            for (auto& v : z) v = noise(rng);
            int y = cls(rng);
            z[y] += 0.5 * (seed % 3);  // from pure noise to moderately informative logits
            logits.push_back(z);
            gold.push_back(y);
        }
        const double before = weighted_f1_with_offsets(logits, gold, std::vector<double>(4, 0.0));
        const auto offsets = fit_offsets(logits, gold, 4);
        EXPECT_GE(weighted_f1_with_offsets(logits, gold, offsets), before) << "seed " << seed;
    }
}

TEST(FitOffsets, LeavesPerfectPredictionsAlone) {
    const Logits logits = {{3, 0, 0}, {0, 3, 0}, {0, 0, 3}, {3, 0, 0}};
    const std::vector<int> gold = {0, 1, 2, 0};
    EXPECT_EQ(fit_offsets(logits, gold, 3), (std::vector<double>{0, 0, 0}));
}

TEST(FitOffsets, RecoversARareClassThatBiasedLogitsUnderPredict) {
    auto b = biased_against_rare(7);
    const std::vector<double> zero(3, 0.0);
    const double recall_before = recall_of(b.logits, b.gold, zero, 2);
    const double f1_before = weighted_f1_with_offsets(b.logits, b.gold, zero);
    ASSERT_LT(recall_before, 0.5) << "the fixture should under-predict class 2";

    const auto offsets = fit_offsets(b.logits, b.gold, 3);
    const double recall_after = recall_of(b.logits, b.gold, offsets, 2);
    const double f1_after = weighted_f1_with_offsets(b.logits, b.gold, offsets);
    EXPECT_GT(offsets[2], offsets[0]);
    EXPECT_GT(offsets[2], offsets[1]);
    EXPECT_GT(recall_after, recall_before + 0.2);
    EXPECT_GT(f1_after, f1_before);
}

TEST(FitOffsets, OffsetsFittedOnOneSampleHelpAnotherFromTheSameBias) {
    auto train = biased_against_rare(11), test = biased_against_rare(12);
    const auto offsets = fit_offsets(train.logits, train.gold, 3);
    EXPECT_GT(weighted_f1_with_offsets(test.logits, test.gold, offsets),
              weighted_f1_with_offsets(test.logits, test.gold, std::vector<double>(3, 0.0)));
}

}  // namespace
