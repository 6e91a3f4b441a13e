// Voice quality: harmonics-to-noise ratio and H1-H2 on tones with known structure.
#include "speech/pitch.hpp"
#include "speech/voice_quality.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

using namespace emo::speech;

namespace {

// 150 Hz with harmonics of amplitude 1/n (H1 twice H2: +6 dB), plus white noise of the given deviation.
std::vector<float> voice(double noise_deviation) {
    std::mt19937 rng(5);
    std::normal_distribution<double> noise(0.0, noise_deviation);
    std::vector<float> x(16000);
    for (std::size_t i = 0; i < x.size(); ++i) {
        double v = noise(rng);
        for (int n = 1; n * 150 < 7000; ++n)
            v += 0.2 / n * std::sin(2 * std::numbers::pi * n * 150 * static_cast<double>(i) / 16000);
        x[i] = static_cast<float>(v);
    }
    return x;
}

}  // namespace

TEST(VoiceQuality, CleanVoiceHasHighHnrAndNoiseLowersIt) {
    const auto clean = voice(0.0), noisy = voice(0.05);
    const auto clean_pitch = track_pitch(clean, 80), noisy_pitch = track_pitch(noisy, 80);
    const auto a = voice_quality(clean, clean_pitch), b = voice_quality(noisy, noisy_pitch);
    ASSERT_GT(clean_pitch[40].f0_hz, 0);
    ASSERT_GT(noisy_pitch[40].f0_hz, 0);
    EXPECT_GT(a[40].hnr_db, 20);
    EXPECT_LT(b[40].hnr_db, a[40].hnr_db - 5);
    EXPECT_NEAR(a[40].h1_h2_db, 20 * std::log10(2.0), 1.0);
}

TEST(VoiceQuality, UnvoicedFramesStayZero) {
    const auto silence = std::vector<float>(16000, 0.0f);
    const auto quality = voice_quality(silence, track_pitch(silence, 50));
    for (const auto& q : quality) {
        EXPECT_EQ(q.hnr_db, 0);
        EXPECT_EQ(q.h1_h2_db, 0);
    }
}
