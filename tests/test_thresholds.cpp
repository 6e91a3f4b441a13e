#include "train/thresholds.hpp"

#include <gtest/gtest.h>

using emo::train::best_f1_threshold;

TEST(Thresholds, CutsHalfwayBelowTheLowestKeptScore) {
    // Keeping the top two (both positive) gives F1 = 2*2/(2+2) = 1.
    EXPECT_DOUBLE_EQ(best_f1_threshold({0.9, 0.7, 0.4, 0.1}, {1, 1, 0, 0}), 0.55);
}

TEST(Thresholds, PrefersRecallWhenItPaysInF1) {
    // Scores 0.9 (+), 0.8 (-), 0.6 (+), 0.2 (-): top 1 gives F1 2/3, top 3 gives 2*2/(3+2) = 0.8.
    EXPECT_DOUBLE_EQ(best_f1_threshold({0.9, 0.8, 0.6, 0.2}, {1, 0, 1, 0}), 0.4);
}

TEST(Thresholds, NeverSplitsEqualScores) {
    // Keeping only the positive 0.5 would give F1 1, but no threshold separates it from the other two: the three
    // are kept together (F1 0.5), which beats keeping all four (0.4).
    EXPECT_DOUBLE_EQ(best_f1_threshold({0.5, 0.5, 0.5, 0.1}, {1, 0, 0, 0}), 0.3);
}

TEST(Thresholds, ALabelWithoutPositivesIsNeverPredicted) {
    EXPECT_DOUBLE_EQ(best_f1_threshold({0.9, 0.2}, {0, 0}), 1.0);
    EXPECT_DOUBLE_EQ(best_f1_threshold({}, {}), 1.0);
}
