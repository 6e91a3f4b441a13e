// Formants by linear prediction: polynomial roots, and a synthetic vowel with known resonances.
#include "speech/formants.hpp"
#include "speech/pitch.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace emo::speech;

TEST(PolynomialRoots, FindsRealAndComplexRoots) {
    // (z - 2)(z + 1)(z^2 + 1) = z^4 - z^3 - z^2 - z - 2
    const auto roots = polynomial_roots({-1, -1, -1, -2});
    ASSERT_EQ(roots.size(), 4u);
    int found = 0;
    for (auto expected : {std::complex<double>(2, 0), std::complex<double>(-1, 0), std::complex<double>(0, 1),
                          std::complex<double>(0, -1)})
        for (const auto& z : roots) found += std::abs(z - expected) < 1e-8;
    EXPECT_EQ(found, 4);
}

namespace {

const double vowel_formants[] = {700, 1200, 2600};

// One second of a 120 Hz pulse train through resonators at 700, 1200 and 2600 Hz (an /a/-like vowel).
std::vector<float> synthetic_vowel() {
    const double rate = 16000, bandwidths[] = {80, 90, 120};
    std::vector<double> x(16000, 0.0);
    for (std::size_t i = 0; i < x.size(); i += static_cast<std::size_t>(rate / 120)) x[i] = 1;
    for (int k = 0; k < 3; ++k) {
        const double r = std::exp(-std::numbers::pi * bandwidths[k] / rate);
        const double c = 2 * r * std::cos(2 * std::numbers::pi * vowel_formants[k] / rate), d = -r * r;
        std::vector<double> y(x.size());
        for (std::size_t i = 0; i < x.size(); ++i)
            y[i] = x[i] + (i >= 1 ? c * y[i - 1] : 0) + (i >= 2 ? d * y[i - 2] : 0);
        double peak = 0;
        for (double v : y) peak = std::max(peak, std::fabs(v));
        for (std::size_t i = 0; i < y.size(); ++i) x[i] = y[i] / peak;
    }
    std::vector<float> samples(x.begin(), x.end());
    for (auto& s : samples) s *= 0.5f;
    return samples;
}

}  // namespace

TEST(Formants, FindTheResonancesOfASyntheticVowel) {
    const auto samples = synthetic_vowel();
    const auto pitch = track_pitch(samples, 90);
    ASSERT_GT(pitch[45].f0_hz, 0);
    const auto found = track_formants(samples, pitch);
    for (int k = 0; k < 3; ++k)
        EXPECT_NEAR(found[45].frequency[k], vowel_formants[k], 0.1 * vowel_formants[k]) << "F" << k + 1;
    EXPECT_GT(found[45].bandwidth[0], 0);
}

// The signal is resampled over each run of voiced frames alone; a run that starts earlier (and so on another sample
// of the resampling grid) gives the same formants, as resampling the whole signal would.
TEST(Formants, DoNotDependOnWhereTheResampledRunStarts) {
    const auto samples = synthetic_vowel();
    std::vector<PitchFrame> short_run(90), long_run(90);
    for (std::size_t t = 40; t < 60; ++t) short_run[t].f0_hz = 120;
    for (std::size_t t = 7; t < 60; ++t) long_run[t].f0_hz = 120;
    const auto a = track_formants(samples, short_run), b = track_formants(samples, long_run);
    // Frames 41-58: their neighbours are voiced in both, so the smoothing over 3 reads the same frames.
    for (std::size_t t = 41; t < 59; ++t)
        for (int k = 0; k < 3; ++k) {
            ASSERT_GT(a[t].frequency[k], 0) << "frame " << t;
            EXPECT_NEAR(a[t].frequency[k], b[t].frequency[k], 1e-6 * a[t].frequency[k])
                << "frame " << t << " F" << k + 1;
            EXPECT_NEAR(a[t].bandwidth[k], b[t].bandwidth[k], 1e-6 * a[t].bandwidth[k])
                << "frame " << t << " B" << k + 1;
        }
}
