#include "speech/harmonics.hpp"

#include "speech/real_fft.hpp"
#include "speech/smoothing.hpp"

#include <algorithm>
#include <cmath>

namespace emo::speech {

namespace {

constexpr double rate = 16000;
constexpr std::size_t hop = 160, window = 960, fft_size = 2048;

double db(double ratio) { return 20 * std::log10(std::max(ratio, 1e-10)); }

// The spectrum's peak within `half_width_hz` of `hz`.
double band_peak(const std::vector<double>& magnitude, double hz, double half_width_hz) {
    const double bin_hz = rate / static_cast<double>(fft_size);
    const auto lo = static_cast<std::size_t>(std::max(0.0, (hz - half_width_hz) / bin_hz));
    const auto hi = std::min(magnitude.size() - 1, static_cast<std::size_t>((hz + half_width_hz) / bin_hz) + 1);
    double best = 0;
    for (std::size_t k = lo; k <= hi; ++k) best = std::max(best, magnitude[k]);
    return best;
}

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
    // The pitch tracker's window, as for H1-H2 (speech/voice_quality).
    const std::vector<double> gauss = gaussian_window(window);
    RealFft fft(fft_size);
    std::vector<double> magnitude(fft.bins()), h1_a3(frames, 0.0);
    std::array<std::vector<double>, 3> amplitude;
    amplitude.fill(std::vector<double>(frames, no_formant_amplitude_db));
    std::vector<bool> voiced(frames), has_a3(frames);
    for (std::size_t t = 0; t < frames; ++t) {
        const double f0 = pitch[t].f0_hz;
        voiced[t] = f0 > 0;
        if (!voiced[t]) continue;
        fft.forward_windowed(samples, t * hop, gauss);
        for (std::size_t k = 0; k < magnitude.size(); ++k) magnitude[k] = fft.magnitude(k);
        const double h1 = harmonic_level(magnitude, f0, 1, rate, fft_size);
        for (std::size_t k = 0; k < 3; ++k) {
            const double hz = t < formants.size() ? formants[t].frequency[k] : 0.0;
            if (hz <= 0) continue;
            // F2 and F3: the harmonic nearest the formant. F1: the spectrum's peak within a quarter of the formant's
            // bandwidth either side, which followed openSMILE's F1 amplitude better over the 1,200 files (r 0.88
            // against 0.84), while for F2 and F3 it did a little worse (0.948 against 0.952).
            const double level = k == 0 ? band_peak(magnitude, hz, formants[t].bandwidth[k] / 4)
                                        : harmonic_level(magnitude, f0, std::max(1, static_cast<int>(std::lround(hz / f0))),
                                                         rate, fft_size);
            amplitude[k][t] = db(level / std::max(h1, 1e-10));
        }
        has_a3[t] = amplitude[2][t] != no_formant_amplitude_db;
        if (!has_a3[t]) continue;
        // H1-A3 as openSMILE's frame-level output shows it (five reference files, its own F0 and formants): "H1" is
        // the level at 2 F0, as in its H1-H2 (speech/voice_quality), and A3 the spectrum's peak within half F3's
        // bandwidth of F3 (r 0.88-0.96 frame by frame, against 0.55-0.72 for the harmonic nearest F3 over the level
        // at F0).
        const double overtone = harmonic_level(magnitude, f0, 2, rate, fft_size);
        h1_a3[t] = db(overtone / std::max(band_peak(magnitude, formants[t].frequency[2], formants[t].bandwidth[2] / 2),
                                          1e-10));
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
