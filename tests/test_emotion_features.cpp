// The speech emotion model's features: one value per name, always finite, and sensitive to what they describe.
#include "speech/emotion_features.hpp"

#include "synthetic_voice.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

using emo::speech::emotion_feature_names;
using emo::speech::emotion_features;

namespace {

double feature(const std::vector<double>& values, const std::string& name) {
    const auto& names = emotion_feature_names();
    const auto it = std::find(names.begin(), names.end(), name);
    EXPECT_NE(it, names.end()) << name;
    return values[static_cast<std::size_t>(it - names.begin())];
}

bool all_finite(const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

}  // namespace

TEST(EmotionFeatures, MelMfccAndDeltaStatisticsThenTheEgemapsFunctionals) {
    const auto& names = emotion_feature_names();
    // 7 statistics of 40 mel bands, their shapes, 20 MFCCs, their changes over 10 and 30 ms, then the 88 eGeMAPS
    // functionals.
    EXPECT_EQ(names.size(), 7u * (40 + 40 + 20 + 20 + 20) + 88);
    EXPECT_EQ(names.front(), "mel00_mean");
    EXPECT_EQ(names[7], "mel01_mean");
    EXPECT_EQ(names[6], "mel00_kurt");
    EXPECT_EQ(names[7 * 40], "melshape00_mean");
    EXPECT_EQ(names[7 * 80], "mfcc00_mean");
    EXPECT_EQ(names[7 * 120], "d3mfcc00_mean");
    EXPECT_EQ(names.back(), "equivalentSoundLevel_dBp");
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
}

TEST(EmotionFeatures, SilenceShortAndEmptyInputsGiveFiniteValues) {
    for (const auto& samples : {std::vector<float>{}, std::vector<float>(100, 0.1f), std::vector<float>(16000, 0.0f),
                                std::vector<float>(16000, 1.0f)}) {
        const auto values = emotion_features(samples);
        EXPECT_EQ(values.size(), emotion_feature_names().size());
        EXPECT_TRUE(all_finite(values)) << samples.size() << " samples";
    }
    EXPECT_DOUBLE_EQ(feature(emotion_features({}), "mel10_mean"), 0.0);
}

TEST(EmotionFeatures, FollowPitchAndLevel) {
    const auto low = emotion_features(emo_test::voiced_syllables(120, 6));
    const auto high = emotion_features(emo_test::voiced_syllables(240, 6));
    const auto loud = emotion_features(emo_test::voiced_syllables(120, 6, 0.6));
    ASSERT_TRUE(all_finite(low) && all_finite(high) && all_finite(loud));
    // An octave is 12 semitones.
    EXPECT_NEAR(feature(high, "F0semitoneFrom27.5Hz_sma3nz_amean") - feature(low, "F0semitoneFrom27.5Hz_sma3nz_amean"),
                12.0, 1.0);
    // Twice the amplitude: 6 dB more sound level, and log mel energies up by ln(4).
    EXPECT_NEAR(feature(loud, "equivalentSoundLevel_dBp") - feature(low, "equivalentSoundLevel_dBp"), 6.0, 0.5);
    EXPECT_NEAR(feature(loud, "mel10_p90") - feature(low, "mel10_p90"), std::log(4.0), 0.2);
}

TEST(EmotionFeatures, SpectralShapeAndMfccSpreadIgnoreTheRecordingLevel) {
    const auto quiet_samples = emo_test::voiced_syllables(150, 5);
    auto louder_samples = quiet_samples;
    for (float& x : louder_samples) x *= 2;  // the same recording 6 dB louder, noise and all
    const auto quiet = emotion_features(quiet_samples), louder = emotion_features(louder_samples);
    EXPECT_NEAR(feature(louder, "mel10_mean") - feature(quiet, "mel10_mean"), std::log(4.0), 1e-3);
    for (const char* name : {"melshape10_p90", "melshape30_mean", "mfcc03_skew", "mfcc05_std", "dmfcc02_kurt"})
        EXPECT_NEAR(feature(louder, name), feature(quiet, name), 1e-3) << name;
}
