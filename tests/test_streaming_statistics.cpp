// Statistics of values one at a time: the moments of all values at once, percentiles within a bin, far from 0 too.
#include "speech/streaming_statistics.hpp"

#include "speech/functionals.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using emo::speech::StreamingStatistics;

TEST(StreamingStatistics, MomentsAsAtOnceAndPercentilesWithinABinEvenFarFromZero) {
    std::mt19937 random(7);
    std::gamma_distribution<double> skewed(2.0, 1.5);
    std::vector<double> values;
    for (int i = 0; i < 200000; ++i) values.push_back(1e4 + skewed(random));  // far from 0: power sums would fail
    const double lowest = *std::min_element(values.begin(), values.end());
    const double highest = *std::max_element(values.begin(), values.end());
    StreamingStatistics statistics(lowest - 1, highest + 1);
    for (double v : values) statistics.add(v);
    std::vector<double> got;
    statistics.append_to(got);
    ASSERT_EQ(got.size(), 7u);

    const double n = static_cast<double>(values.size());
    double mean = 0, m2 = 0, m3 = 0, m4 = 0;
    for (double v : values) mean += v / n;
    for (double v : values) {
        const double d = v - mean;
        m2 += d * d / n, m3 += d * d * d / n, m4 += d * d * d * d / n;
    }
    std::sort(values.begin(), values.end());
    EXPECT_NEAR(got[0], mean, 1e-9 * mean);
    EXPECT_NEAR(got[1], std::sqrt(m2), 1e-7 * std::sqrt(m2));
    EXPECT_NEAR(got[5], m3 / std::pow(m2, 1.5), 1e-6);
    EXPECT_NEAR(got[6], m4 / (m2 * m2) - 3, 1e-6);
    const double bin = (highest - lowest + 2) / StreamingStatistics::histogram_bins;
    EXPECT_NEAR(got[2], emo::speech::percentile(values, 0.1), bin);
    EXPECT_NEAR(got[3], emo::speech::percentile(values, 0.5), bin);
    EXPECT_NEAR(got[4], emo::speech::percentile(values, 0.9), bin);
}

TEST(StreamingStatistics, OneValueAndValuesOutsideTheRange) {
    StreamingStatistics one(0, 1);
    one.add(0.25);
    std::vector<double> got;
    one.append_to(got);
    EXPECT_EQ(got, (std::vector<double>{0.25, 0, 0.25, 0.25, 0.25, 0, 0}));

    StreamingStatistics outside(0, 1);  // the extremes are kept exactly even outside the range
    for (double v : {-5.0, 0.5, 9.0}) outside.add(v);
    got.clear();
    outside.append_to(got);
    EXPECT_NEAR(got[3], 0.5, 1e-4);
    EXPECT_NEAR(got[2], -5 + 0.2 * (0.5 + 5), 1e-3);
    EXPECT_NEAR(got[4], 0.5 + 0.8 * (9 - 0.5), 1e-3);

    StreamingStatistics none(0, 1);
    got.clear();
    none.append_to(got);
    EXPECT_EQ(got, std::vector<double>(7, 0.0));
}
