#include "speech/voice_quality.hpp"

#include "speech/real_fft.hpp"
#include "speech/smoothing.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace emo::speech {

namespace {

constexpr double rate = 16000;
constexpr std::size_t hop = 160, window = 960, fft_size = 2048, bins = fft_size / 2 + 1;

// The largest magnitude within 10% of `hz`.
double peak_near(const std::vector<double>& magnitude, double hz) {
    const auto lo = static_cast<std::size_t>(hz * 0.9 * fft_size / rate);
    const auto hi = std::min(bins - 1, static_cast<std::size_t>(std::ceil(hz * 1.1 * fft_size / rate)));
    double best = 0;
    for (std::size_t k = lo; k <= hi; ++k) best = std::max(best, magnitude[k]);
    return best;
}

}  // namespace

std::vector<VoiceQualityFrame> voice_quality(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch) {
    const std::size_t frames = pitch.size();
    std::vector<double> hann(window);
    for (std::size_t i = 0; i < window; ++i)
        hann[i] = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / (window - 1));

    RealFft fft(fft_size);
    float* signal = fft.signal();
    fftwf_complex* spectrum = fft.spectrum();
    // The window's own autocorrelation, which the signal's is divided by (Boersma 1993), so that a perfectly
    // periodic signal scores 1 at its period.
    std::fill(signal, signal + fft_size, 0.0f);
    for (std::size_t i = 0; i < window; ++i) signal[i] = static_cast<float>(hann[i]);
    fft.forward();
    for (std::size_t k = 0; k < bins; ++k)
        spectrum[k][0] = spectrum[k][0] * spectrum[k][0] + spectrum[k][1] * spectrum[k][1], spectrum[k][1] = 0;
    fft.backward();
    std::vector<double> window_acf(window);
    for (std::size_t i = 0; i < window; ++i) window_acf[i] = signal[i] / signal[0];

    std::vector<double> hnr(frames, 0.0), h1_h2(frames, 0.0), magnitude(bins);
    std::vector<bool> voiced(frames);
    for (std::size_t t = 0; t < frames; ++t) {
        const double f0 = pitch[t].f0_hz;
        voiced[t] = f0 > 0;
        if (!voiced[t]) continue;
        std::fill(signal, signal + fft_size, 0.0f);
        const std::size_t start = t * hop;
        for (std::size_t i = 0; i < window && start + i < samples.size(); ++i)
            signal[i] = static_cast<float>(samples[start + i] * hann[i]);
        fft.forward();
        for (std::size_t k = 0; k < bins; ++k) magnitude[k] = std::hypot(spectrum[k][0], spectrum[k][1]);
        const double h1 = peak_near(magnitude, f0), h2 = peak_near(magnitude, 2 * f0);
        h1_h2[t] = 20 * std::log10((h1 + 1e-12) / (h2 + 1e-12));

        for (std::size_t k = 0; k < bins; ++k) spectrum[k][0] = magnitude[k] * magnitude[k], spectrum[k][1] = 0;
        fft.backward();
        const double zero_lag = signal[0];
        if (zero_lag <= 0) continue;
        // The highest normalised autocorrelation within 10% of the period.
        const double period = rate / f0;
        const auto lo = static_cast<std::size_t>(period * 0.9);
        const auto hi = std::min(window / 2, static_cast<std::size_t>(std::ceil(period * 1.1)));
        double r = 0;
        for (std::size_t lag = std::max<std::size_t>(lo, 1); lag <= hi; ++lag)
            r = std::max(r, signal[lag] / zero_lag / window_acf[lag]);
        r = std::clamp(r, 1e-4, 1 - 1e-4);
        hnr[t] = 10 * std::log10(r / (1 - r));
    }
    hnr = smooth3_present(hnr, voiced);
    h1_h2 = smooth3_present(h1_h2, voiced);
    std::vector<VoiceQualityFrame> out(frames);
    for (std::size_t t = 0; t < frames; ++t) out[t] = {hnr[t], h1_h2[t]};
    return out;
}

}  // namespace emo::speech
