// eGeMAPS functionals: mean, signed coefficient of variation, interpolated percentiles.
#include "speech/functionals.hpp"

#include <gtest/gtest.h>

#include <cmath>

using emo::speech::functionals;

TEST(Functionals, MeanSpreadAndPercentiles) {
    const auto f = functionals({4, 1, 3, 2, 5});
    EXPECT_DOUBLE_EQ(f.amean, 3);
    EXPECT_NEAR(f.stddev_norm, std::sqrt(2.0) / 3, 1e-12);  // population standard deviation sqrt(2)
    EXPECT_DOUBLE_EQ(f.percentile20, 1.8);                   // 0.2 * 4 = position 0.8 between 1 and 2
    EXPECT_DOUBLE_EQ(f.percentile50, 3);
    EXPECT_DOUBLE_EQ(f.percentile80, 4.2);
    EXPECT_DOUBLE_EQ(f.pctlrange, 2.4);
}

TEST(Functionals, SignedSpreadEmptyAndSingleValues) {
    EXPECT_LT(functionals({-1, -3}).stddev_norm, 0);  // openSMILE divides by the signed mean
    EXPECT_EQ(functionals({}).amean, 0);
    EXPECT_EQ(functionals({-1, 1}).stddev_norm, 0);   // zero mean: defined as 0, never inf
    const auto one = functionals({7});
    EXPECT_EQ(one.percentile20, 7);
    EXPECT_EQ(one.pctlrange, 0);
}
