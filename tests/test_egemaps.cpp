// The eGeMAPS functionals computed so far: named as openSMILE names them, finite on any input.
#include "speech/egemaps.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <set>

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
        EXPECT_EQ(names.size(), 68u);
        EXPECT_TRUE(names.count("F0semitoneFrom27.5Hz_sma3nz_amean"));
        EXPECT_TRUE(names.count("equivalentSoundLevel_dBp"));
    }
    const auto features = egemaps_functionals(tone);
    for (const auto& [name, value] : features)
        if (name == "F0semitoneFrom27.5Hz_sma3nz_amean") EXPECT_NEAR(value, 12 * std::log2(180 / 27.5), 0.3);
}
