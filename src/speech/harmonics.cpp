#include "speech/harmonics.hpp"

#include "speech/real_fft.hpp"
#include "speech/smoothing.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace emo::speech {

namespace {

constexpr double rate = 16000;
constexpr std::size_t hop = 160, window = 960, fft_size = 2048;

double db(double ratio) { return 20 * std::log10(std::max(ratio, 1e-10)); }

}  // namespace

double harmonic_level(const std::vector<double>& magnitude, double f0_hz, int n, double rate_hz,
                      std::size_t fft_size_points) {
    const double bin_hz = rate_hz / static_cast<double>(fft_size_points);
    const double centre = n * f0_hz / bin_hz, reach = std::max(1.0, 0.25 * f0_hz / bin_hz);
    const auto lo = static_cast<std::size_t>(std::max(0.0, std::floor(centre - reach)));
    const auto hi = std::min(magnitude.size() - 1, static_cast<std::size_t>(std::ceil(centre + reach)));
    double best = 0;
    for (std::size_t k = lo; k <= hi; ++k) best = std::max(best, magnitude[k]);
    return best;
}

std::vector<HarmonicFrame> harmonic_amplitudes(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch,
                                               const std::vector<FormantFrame>& formants) {
    const std::size_t frames = pitch.size();
    std::vector<double> hann(window);
    for (std::size_t i = 0; i < window; ++i)
        hann[i] = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / (window - 1));
    RealFft fft(fft_size);
    float* signal = fft.signal();
    const fftwf_complex* spectrum = fft.spectrum();
    std::vector<double> magnitude(fft.bins()), h1_a3(frames, 0.0);
    std::array<std::vector<double>, 3> amplitude;
    amplitude.fill(std::vector<double>(frames, no_formant_amplitude_db));
    std::vector<bool> voiced(frames), has_a3(frames);
    for (std::size_t t = 0; t < frames; ++t) {
        const double f0 = pitch[t].f0_hz;
        voiced[t] = f0 > 0;
        if (!voiced[t]) continue;
        std::fill(signal, signal + fft_size, 0.0f);
        const std::size_t start = t * hop;
        for (std::size_t i = 0; i < window && start + i < samples.size(); ++i)
            signal[i] = static_cast<float>(samples[start + i] * hann[i]);
        fft.forward();
        for (std::size_t k = 0; k < magnitude.size(); ++k) magnitude[k] = std::hypot(spectrum[k][0], spectrum[k][1]);
        const double h1 = harmonic_level(magnitude, f0, 1, rate, fft_size);
        for (std::size_t k = 0; k < 3; ++k) {
            const double hz = t < formants.size() ? formants[t].frequency[k] : 0.0;
            if (hz <= 0) continue;
            const int n = std::max(1, static_cast<int>(std::lround(hz / f0)));
            amplitude[k][t] = db(harmonic_level(magnitude, f0, n, rate, fft_size) / std::max(h1, 1e-10));
        }
        has_a3[t] = amplitude[2][t] != no_formant_amplitude_db;
        if (has_a3[t]) h1_a3[t] = -amplitude[2][t];
    }
    h1_a3 = smooth3_present(h1_a3, has_a3);
    const std::vector<bool> all(frames, true);
    std::vector<HarmonicFrame> out(frames);
    for (std::size_t k = 0; k < 3; ++k) {
        amplitude[k] = smooth3_present(amplitude[k], all);
        for (std::size_t t = 0; t < frames; ++t) out[t].formant_amplitude_db[k] = amplitude[k][t];
    }
    for (std::size_t t = 0; t < frames; ++t) out[t].h1_a3_db = h1_a3[t];
    return out;
}

}  // namespace emo::speech
