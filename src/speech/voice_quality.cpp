#include "speech/voice_quality.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>

namespace emo::speech {

namespace {

constexpr double rate = 16000;
constexpr std::size_t hop = 160, window = 960, fft_size = 2048, bins = fft_size / 2 + 1;

std::mutex planner_lock;  // FFTW's planner is not thread-safe

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

    float* signal = fftwf_alloc_real(fft_size);
    fftwf_complex* spectrum = fftwf_alloc_complex(bins);
    fftwf_plan forward, backward;
    {
        std::lock_guard lock(planner_lock);
        forward = fftwf_plan_dft_r2c_1d(static_cast<int>(fft_size), signal, spectrum, FFTW_ESTIMATE);
        backward = fftwf_plan_dft_c2r_1d(static_cast<int>(fft_size), spectrum, signal, FFTW_ESTIMATE);
    }
    // The window's own autocorrelation, which the signal's is divided by (Boersma 1993), so that a perfectly
    // periodic signal scores 1 at its period.
    std::fill(signal, signal + fft_size, 0.0f);
    for (std::size_t i = 0; i < window; ++i) signal[i] = static_cast<float>(hann[i]);
    fftwf_execute(forward);
    for (std::size_t k = 0; k < bins; ++k)
        spectrum[k][0] = spectrum[k][0] * spectrum[k][0] + spectrum[k][1] * spectrum[k][1], spectrum[k][1] = 0;
    fftwf_execute(backward);
    std::vector<double> window_acf(window);
    for (std::size_t i = 0; i < window; ++i) window_acf[i] = signal[i] / signal[0];

    std::vector<VoiceQualityFrame> out(frames);
    std::vector<double> magnitude(bins);
    for (std::size_t t = 0; t < frames; ++t) {
        const double f0 = pitch[t].f0_hz;
        if (f0 <= 0) continue;
        std::fill(signal, signal + fft_size, 0.0f);
        const std::size_t start = t * hop;
        for (std::size_t i = 0; i < window && start + i < samples.size(); ++i)
            signal[i] = static_cast<float>(samples[start + i] * hann[i]);
        fftwf_execute(forward);
        for (std::size_t k = 0; k < bins; ++k) magnitude[k] = std::hypot(spectrum[k][0], spectrum[k][1]);
        const double h1 = peak_near(magnitude, f0), h2 = peak_near(magnitude, 2 * f0);
        out[t].h1_h2_db = 20 * std::log10((h1 + 1e-12) / (h2 + 1e-12));

        for (std::size_t k = 0; k < bins; ++k) spectrum[k][0] = magnitude[k] * magnitude[k], spectrum[k][1] = 0;
        fftwf_execute(backward);
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
        out[t].hnr_db = 10 * std::log10(r / (1 - r));
    }
    // Smoothed over the voiced frames among 3, as eGeMAPS' "_sma3nz".
    const auto raw = out;
    for (std::size_t t = 0; t < frames; ++t) {
        if (pitch[t].f0_hz <= 0) continue;
        double hnr = 0, h1_h2 = 0;
        int count = 0;
        for (std::size_t u = t == 0 ? 0 : t - 1; u <= std::min(frames - 1, t + 1); ++u)
            if (pitch[u].f0_hz > 0) hnr += raw[u].hnr_db, h1_h2 += raw[u].h1_h2_db, ++count;
        out[t] = {hnr / count, h1_h2 / count};
    }
    {
        std::lock_guard lock(planner_lock);
        fftwf_destroy_plan(forward);
        fftwf_destroy_plan(backward);
    }
    fftwf_free(signal);
    fftwf_free(spectrum);
    return out;
}

}  // namespace emo::speech
