// Harmonic levels relative to H1: exact on a tone with known harmonic amplitudes, openSMILE's -201 for unvoiced
// frames, and following openSMILE's formant amplitudes on the five reference files.
#include "eval/correlation.hpp"
#include "speech/harmonics.hpp"

#include "egemaps_reference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace emo::speech;

namespace {

// 200 Hz with harmonic n at amplitude 0.3 / n (harmonic n is 20 log10(n) dB below the first).
std::vector<float> tone(std::size_t length) {
    std::vector<float> x(length);
    for (std::size_t i = 0; i < length; ++i) {
        double v = 0;
        for (int n = 1; n * 200 < 7500; ++n)
            v += 0.3 / n * std::sin(2 * std::numbers::pi * n * 200 * static_cast<double>(i) / 16000);
        x[i] = static_cast<float>(v);
    }
    return x;
}

}  // namespace

// F2 and F3 amplitudes: the harmonic nearest the formant over H1; F1's: the peak within a quarter of its bandwidth;
// H1-A3: the level at 2 F0 over the peak within half F3's bandwidth (openSMILE's conventions, docs/speech.md).
TEST(Harmonics, FormantAmplitudesAndH1A3FollowOpenSmilesDefinitions) {
    const auto x = tone(16000);
    std::vector<PitchFrame> pitch(90);
    std::vector<FormantFrame> formants(90);
    for (std::size_t t = 0; t < 90; ++t) {
        pitch[t].f0_hz = 200;
        formants[t].frequency = {620, 1390, 2610};  // nearest harmonics 3, 7, 13
        formants[t].bandwidth = {200, 300, 200};    // F1 +-50 Hz and F3 +-100 Hz hold harmonics 3 and 13 only
    }
    const auto frames = harmonic_amplitudes(x, pitch, formants);
    ASSERT_EQ(frames.size(), 90u);
    EXPECT_NEAR(frames[40].formant_amplitude_db[0], -20 * std::log10(3.0), 0.2);
    EXPECT_NEAR(frames[40].formant_amplitude_db[1], -20 * std::log10(7.0), 0.2);
    EXPECT_NEAR(frames[40].formant_amplitude_db[2], -20 * std::log10(13.0), 0.2);
    EXPECT_NEAR(frames[40].h1_a3_db, 20 * std::log10(13.0 / 2), 0.2);
}

TEST(Harmonics, UnvoicedFramesHoldOpenSmilesNoAmplitudeValueAndNoH1A3) {
    const auto x = tone(16000);
    std::vector<PitchFrame> pitch(90);
    std::vector<FormantFrame> formants(90);
    for (std::size_t t = 50; t < 90; ++t)
        pitch[t].f0_hz = 200, formants[t].frequency = {620, 1390, 2610}, formants[t].bandwidth = {200, 300, 200};
    const auto frames = harmonic_amplitudes(x, pitch, formants);
    for (std::size_t t = 0; t < 49; ++t) {
        EXPECT_EQ(frames[t].h1_a3_db, 0) << t;
        for (double a : frames[t].formant_amplitude_db) EXPECT_EQ(a, no_formant_amplitude_db) << t;
    }
    // The first voiced frame is smoothed with its unvoiced neighbour, as openSMILE's is.
    EXPECT_LT(frames[50].formant_amplitude_db[0], -60);
    // H1-A3 is smoothed over the voiced frames only.
    EXPECT_NEAR(frames[50].h1_a3_db, 20 * std::log10(13.0 / 2), 0.2);
}

TEST(Harmonics, FollowOpenSmilesFormantAmplitudesOnFiveRavdessFiles) {
    const auto references = emo_test::reference_llds();
    if (references.empty()) GTEST_SKIP() << "the eGeMAPS reference is absent";
    for (const auto& file : references) {
        const std::size_t n = file.columns.at("F1amplitudeLogRelF0_sma3nz").size();
        const auto pitch = track_pitch(file.samples, n);
        const auto frames = harmonic_amplitudes(file.samples, pitch, track_formants(file.samples, pitch));
        for (int k = 0; k < 3; ++k) {
            const auto& theirs = file.columns.at("F" + std::to_string(k + 1) + "amplitudeLogRelF0_sma3nz");
            std::vector<double> ours(n);
            for (std::size_t t = 0; t < n; ++t) ours[t] = frames[t].formant_amplitude_db[k];
            const double r = emo::eval::pearson(ours, theirs);
            std::printf("%s F%d amplitude r %.3f\n", file.id.c_str(), k + 1, r);
            EXPECT_GT(r, 0.85) << file.id << " F" << k + 1;  // 0.885-0.964; mostly which frames are voiced (-201 or not)
        }
    }
}
