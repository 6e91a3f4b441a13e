// The eGeMAPS functionals: all 88, named and ordered as openSMILE names and orders them, finite on any input.
#include "speech/egemaps.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <set>
#include <sstream>

using emo::speech::egemaps_functionals;

TEST(Egemaps, NamedOnceEachAndFiniteOnToneSilenceAndEmptyInput) {
    std::vector<float> tone(32000);
    for (std::size_t i = 0; i < tone.size(); ++i)
        for (int n = 1; n < 20; ++n)
            tone[i] += static_cast<float>(0.1 / n * std::sin(2 * std::numbers::pi * 180 * n * static_cast<double>(i) / 16000));
    for (const auto& samples : {tone, std::vector<float>(16000, 0.0f), std::vector<float>{}}) {
        const auto features = egemaps_functionals(samples);
        std::set<std::string> names;
        for (const auto& [name, value] : features) {
            EXPECT_TRUE(names.insert(name).second) << name << " twice";
            EXPECT_TRUE(std::isfinite(value)) << name;
        }
        EXPECT_EQ(names.size(), 88u);
        EXPECT_TRUE(names.count("F0semitoneFrom27.5Hz_sma3nz_amean"));
        EXPECT_TRUE(names.count("equivalentSoundLevel_dBp"));
    }
    const auto features = egemaps_functionals(tone);
    for (const auto& [name, value] : features) {
        if (name == "F0semitoneFrom27.5Hz_sma3nz_amean") {
            EXPECT_NEAR(value, 12 * std::log2(180 / 27.5), 0.3);
        }
    }
}

TEST(Egemaps, InTheOrderOfOpenSmilesColumns) {
    const std::string reference = EMO_SOURCE_DIR "/../shared/reference/egemaps/ravdess_functionals.csv";
    if (!std::filesystem::exists(reference)) GTEST_SKIP() << "the eGeMAPS reference is absent";
    std::ifstream in(reference);
    std::string header;
    std::getline(in, header);
    std::vector<std::string> columns;
    std::stringstream cells(header);
    for (std::string c; std::getline(cells, c, ',');)
        if (c != "file") columns.push_back(c);
    const auto features = egemaps_functionals(std::vector<float>(8000, 0.0f));
    ASSERT_EQ(features.size(), columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) EXPECT_EQ(features[i].first, columns[i]) << "position " << i;
}
