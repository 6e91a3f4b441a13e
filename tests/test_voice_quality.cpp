// Voice quality: harmonics-to-noise ratio and H1-H2 on tones with known structure, and against openSMILE's
// frame-level output on the five reference files.
#include "eval/correlation.hpp"
#include "speech/pitch.hpp"
#include "speech/voice_quality.hpp"

#include "egemaps_reference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

using namespace emo::speech;

namespace {

// 150 Hz with harmonics of amplitude 1/n (the level at 2 F0 is 3/2 of that at 3 F0: +3.5 dB), plus white noise of the
// given deviation.
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

TEST(VoiceQuality, CleanVoiceReachesTheWindowsLimitAndNoiseLowersHnr) {
    const auto clean = voice(0.0), noisy = voice(0.05);
    const auto clean_pitch = track_pitch(clean, 80), noisy_pitch = track_pitch(noisy, 80);
    const auto a = voice_quality(clean, clean_pitch), b = voice_quality(noisy, noisy_pitch);
    ASSERT_GT(clean_pitch[40].f0_hz, 0);
    ASSERT_GT(noisy_pitch[40].f0_hz, 0);
    // The window's taper stays in the autocorrelation (openSMILE's convention): a perfectly periodic 150 Hz tone
    // reaches the Gaussian window's own autocorrelation at its period, exp(-(106.7 / (2 * 191.8))^2) = 0.926,
    // 10.9 dB, rather than 1.
    EXPECT_NEAR(a[40].hnr_db, 10.9, 0.5);
    EXPECT_LT(b[40].hnr_db, a[40].hnr_db - 2);
    // "H1-H2" as openSMILE computes it: the levels at 2 F0 and 3 F0.
    EXPECT_NEAR(a[40].h1_h2_db, 20 * std::log10(1.5), 0.3);
}

TEST(VoiceQuality, UnvoicedFramesStayZero) {
    const auto silence = std::vector<float>(16000, 0.0f);
    const auto quality = voice_quality(silence, track_pitch(silence, 50));
    for (const auto& q : quality) {
        EXPECT_EQ(q.hnr_db, 0);
        EXPECT_EQ(q.h1_h2_db, 0);
    }
}

// Frame by frame, on the frames both call voiced, with our own pitch track: HNR depends only on the voicing, H1-H2 on
// F0 as well.
TEST(VoiceQuality, FollowsOpenSmileOnFiveRavdessFiles) {
    const auto references = emo_test::reference_llds();
    if (references.empty()) GTEST_SKIP() << "the eGeMAPS reference is absent";
    for (const auto& file : references) {
        const auto& hnr = file.columns.at("HNRdBACF_sma3nz");
        const auto& h1_h2 = file.columns.at("logRelF0-H1-H2_sma3nz");
        const auto pitch = track_pitch(file.samples, hnr.size());
        const auto quality = voice_quality(file.samples, pitch);
        std::vector<double> our_hnr, their_hnr, our_h1_h2, their_h1_h2;
        double hnr_difference = 0;
        for (std::size_t t = 0; t < hnr.size(); ++t) {
            if (hnr[t] == 0 || pitch[t].f0_hz <= 0) continue;
            our_hnr.push_back(quality[t].hnr_db), their_hnr.push_back(hnr[t]);
            our_h1_h2.push_back(quality[t].h1_h2_db), their_h1_h2.push_back(h1_h2[t]);
            hnr_difference += std::fabs(quality[t].hnr_db - hnr[t]);
        }
        ASSERT_GT(our_hnr.size(), 50u) << file.id;
        const double r_hnr = emo::eval::pearson(our_hnr, their_hnr), r_h1_h2 = emo::eval::pearson(our_h1_h2, their_h1_h2);
        hnr_difference /= static_cast<double>(our_hnr.size());
        std::printf("%s HNR r %.3f mean |difference| %.2f dB, H1-H2 r %.3f\n", file.id.c_str(), r_hnr, hnr_difference,
                    r_h1_h2);
        EXPECT_GT(r_hnr, 0.97) << file.id;  // 0.980-0.996
        EXPECT_LT(hnr_difference, 0.3) << file.id;  // 0.07-0.18 dB
        EXPECT_GT(r_h1_h2, 0.9) << file.id;  // 0.942-0.994
    }
}
