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
// The autocorrelation's peak is sought from 1 ms (1,000 Hz) to half the window: fitted to openSMILE's HNRdBACF,
// which follows the highest peak over these lags whatever F0 the pitch tracker chose.
constexpr std::size_t min_lag = 16, max_lag = window / 2;

// The largest magnitude within a tenth of `hz` (at least one bin either side).
double peak_near(const std::vector<double>& magnitude, double hz) {
    const double bin_hz = rate / fft_size, centre = hz / bin_hz, reach = std::max(1.0, 0.1 * hz / bin_hz);
    const auto lo = static_cast<std::size_t>(std::max(0.0, std::floor(centre - reach)));
    const auto hi = std::min(bins - 1, static_cast<std::size_t>(std::ceil(centre + reach)));
    double best = 0;
    for (std::size_t k = lo; k <= hi; ++k) best = std::max(best, magnitude[k]);
    return best;
}

}  // namespace

std::vector<VoiceQualityFrame> voice_quality(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch) {
    const std::size_t frames = pitch.size();
    // The pitch tracker's window.
    const std::vector<double> gauss = gaussian_window(window);

    RealFft fft(fft_size);
    float* signal = fft.signal();
    fftwf_complex* spectrum = fft.spectrum();
    std::vector<double> hnr(frames, 0.0), h1_h2(frames, 0.0), magnitude(bins);
    std::vector<bool> voiced(frames);
    for (std::size_t t = 0; t < frames; ++t) {
        const double f0 = pitch[t].f0_hz;
        voiced[t] = f0 > 0;
        if (!voiced[t]) continue;
        fft.forward_windowed(samples, t * hop, gauss);
        for (std::size_t k = 0; k < bins; ++k) magnitude[k] = fft.magnitude(k);
        // openSMILE's "H1-H2" follows the levels at 2 F0 and 3 F0 (r 0.94-0.996 frame by frame on the five
        // reference files, against -0.5-0.35 for the levels at F0 and 2 F0): its harmonics count from the first
        // overtone.
        const double h1 = peak_near(magnitude, 2 * f0), h2 = peak_near(magnitude, 3 * f0);
        h1_h2[t] = 20 * std::log10((h1 + 1e-12) / (h2 + 1e-12));

        // The autocorrelation of the windowed frame (the FFT is more than twice the window: no wrap-around), not
        // divided by the window's own (openSMILE's HNR leaves the window's taper in: a clean vowel scores about
        // 10 dB, not 40).
        for (std::size_t k = 0; k < bins; ++k) spectrum[k][0] = magnitude[k] * magnitude[k], spectrum[k][1] = 0;
        fft.backward();
        const double zero_lag = signal[0];
        if (zero_lag <= 0) continue;
        double r = 0;
        for (std::size_t lag = min_lag; lag < max_lag; ++lag) r = std::max(r, signal[lag] / zero_lag);
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
