// Rising / falling slopes and peaks of a contour: exact on zigzags, blind to ripples below the hysteresis, and close
// to openSMILE's loudness slopes and peak rate when applied to openSMILE's own loudness contour.
#include "speech/slopes.hpp"

#include "egemaps_reference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace emo::speech;

namespace {

// A zigzag at 100 frames per second: up by 2 over 4 frames (50 / s), down by 2 over 10 frames (20 / s), repeated.
std::vector<double> zigzag(int cycles) {
    std::vector<double> v;
    for (int c = 0; c < cycles; ++c) {
        for (int i = 0; i < 4; ++i) v.push_back(0.5 * i);
        for (int i = 0; i < 10; ++i) v.push_back(2 - 0.2 * i);
    }
    v.push_back(0);
    return v;
}

// openSMILE's functionals of `file` (e.g. 03-01-01-01-02-01-19); empty when the reference is absent.
std::map<std::string, double> reference_functionals(const std::string& file) {
    std::map<std::string, double> out;
    std::ifstream in(emo_test::egemaps_reference_dir + "/ravdess_functionals.csv");
    std::string line;
    std::getline(in, line);
    std::vector<std::string> names;
    std::stringstream header(line);
    for (std::string c; std::getline(header, c, ',');) names.push_back(c);
    while (std::getline(in, line)) {
        if (line.find(file) == std::string::npos) continue;
        std::stringstream row(line);
        std::string cell;
        for (std::size_t c = 0; std::getline(row, cell, ','); ++c)
            if (c > 0) out[names[c]] = std::stod(cell);
    }
    return out;
}

}  // namespace

TEST(Slopes, ZigzagGivesItsRisingAndFallingRates) {
    const auto s = rising_falling_slopes(zigzag(5), 0.5, 100);
    EXPECT_NEAR(s.mean_rising, 2 / 0.04, 1e-9);  // 2 units in 4 frames of 10 ms
    EXPECT_NEAR(s.mean_falling, 2 / 0.10, 1e-9);
    EXPECT_NEAR(s.stddev_rising, 0, 1e-9);
    EXPECT_NEAR(s.stddev_falling, 0, 1e-9);
    EXPECT_EQ(s.peaks, 5u);
}

TEST(Slopes, RipplesBelowTheHysteresisAreNotTurningPoints) {
    auto v = zigzag(3);
    // Wiggles of 0.3 on every other frame: the falls go down and up by turns, so plain local extrema are everywhere.
    for (std::size_t t = 0; t < v.size(); ++t) v[t] += t % 2 ? 0.3 : 0.0;
    const auto points = turning_points(v, 0.5);
    ASSERT_EQ(points.size(), 6u);  // min, max, min, max, min, max: the last minimum is never confirmed
    for (std::size_t i = 0; i < points.size(); ++i) EXPECT_EQ(points[i].peak, i % 2 == 1);
    EXPECT_EQ(points[1].frame, 5u);  // the wiggle on the first frame of the fall tops the corner (2.1 against 2)
    EXPECT_DOUBLE_EQ(points[1].value, 2.1);
    EXPECT_GT(turning_points(v, 0.0).size(), 20u);  // without hysteresis every wiggle turns
    // Slopes of different sizes: a steep and a shallow rise, mean and population standard deviation.
    const std::vector<double> two_rises{0, 1, 0, 0, 0, 2, 2, 2, 2, 2, 0};
    const auto s = rising_falling_slopes(two_rises, 0.5, 100);
    EXPECT_NEAR(s.mean_rising, (100 + 2 / 0.03) / 2, 1e-9);
    EXPECT_NEAR(s.stddev_rising, std::fabs(100 - 2 / 0.03) / 2, 1e-9);
}

TEST(Slopes, FlatShortAndEmptyContoursHaveNoSlopes) {
    for (const auto& v : {std::vector<double>{}, std::vector<double>{1.0}, std::vector<double>(50, 3.0)}) {
        const auto s = rising_falling_slopes_relative(v, 0.1, 100);
        EXPECT_EQ(s.peaks, 0u);
        EXPECT_EQ(s.mean_rising, 0);
        EXPECT_EQ(s.mean_falling, 0);
    }
}

TEST(Slopes, OnOpenSmilesLoudnessTheyComeCloseToItsOwnFunctionals) {
    const auto references = emo_test::reference_llds();
    if (references.empty()) GTEST_SKIP() << "the eGeMAPS reference is absent";
    for (const auto& file : references) {
        const auto theirs = reference_functionals(file.id);
        ASSERT_FALSE(theirs.empty()) << file.id;
        const auto& loudness = file.columns.at("Loudness_sma3");
        const auto s = rising_falling_slopes_relative(loudness, 0.1, 100);
        const double peaks_per_second = static_cast<double>(s.peaks) / (loudness.size() / 100.0);
        // Measured: peaks within 10%, slopes within 4-24% (openSMILE's run higher than its own contour's extremes
        // suggest, by a factor that varies little between files).
        EXPECT_NEAR(peaks_per_second / theirs.at("loudnessPeaksPerSec"), 1, 0.15) << file.id;
        EXPECT_NEAR(s.mean_rising / theirs.at("loudness_sma3_meanRisingSlope"), 1.12, 0.1) << file.id;
        EXPECT_NEAR(s.mean_falling / theirs.at("loudness_sma3_meanFallingSlope"), 1.12, 0.15) << file.id;
        EXPECT_NEAR(s.stddev_rising / theirs.at("loudness_sma3_stddevRisingSlope"), 1, 0.15) << file.id;
    }
}
