#include "speech/spectral_descriptors.hpp"

#include "speech/real_fft.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace emo::speech {

namespace {

constexpr std::size_t fft_size = 512;
constexpr std::size_t bins = fft_size / 2 + 1;
constexpr std::size_t mel_bands = 26;
constexpr double floor_power = 1e-12;

double hz_of_bin(std::size_t k) { return static_cast<double>(k) * spectral_rate / fft_size; }
double mel(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }

// Triangular filters equally spaced on the mel scale between 20 Hz and 8 kHz: [band][bin].
std::vector<std::array<double, bins>> mel_filters() {
    std::vector<double> centre(mel_bands + 2);
    for (std::size_t i = 0; i < centre.size(); ++i) {
        const double m = mel(20) + (mel(8000) - mel(20)) * static_cast<double>(i) / (mel_bands + 1);
        centre[i] = 700.0 * (std::exp(m / 1127.0) - 1.0);
    }
    std::vector<std::array<double, bins>> filters(mel_bands);
    for (std::size_t b = 0; b < mel_bands; ++b)
        for (std::size_t k = 0; k < bins; ++k) {
            const double f = hz_of_bin(k), lo = centre[b], mid = centre[b + 1], hi = centre[b + 2];
            filters[b][k] = std::max(0.0, std::min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
        }
    return filters;
}

// Least-squares slope of dB power against frequency over the bins in [lo, hi] Hz.
double log_spectrum_slope(const std::vector<double>& power, double lo, double hi) {
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t k = 0; k < bins; ++k) {
        const double f = hz_of_bin(k);
        if (f < lo || f > hi) continue;
        const double y = 10 * std::log10(power[k] + floor_power);
        n += 1, sx += f, sy += y, sxx += f * f, sxy += f * y;
    }
    const double d = n * sxx - sx * sx;
    return d > 0 ? (n * sxy - sx * sy) / d : 0.0;
}


}  // namespace

std::size_t egemaps_frame_count(std::size_t samples) {
    // Every frame whose 60 ms window starts at least 50 ms before the end: the count openSMILE 3.0.2 gives for
    // each of the reference RAVDESS files (it lets the last window run up to one hop past the end).
    constexpr std::size_t longest = 960, slack = 160;
    return samples < longest ? 0 : (samples - (longest - slack)) / spectral_hop + 1;
}

std::vector<SpectralFrame> spectral_descriptors(const std::vector<float>& samples, std::size_t frames) {
    static const auto filters = mel_filters();
    std::vector<double> window(spectral_window);
    for (std::size_t i = 0; i < spectral_window; ++i)
        window[i] = 0.54 - 0.46 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / (spectral_window - 1));

    RealFft fft(fft_size);
    float* in = fft.signal();
    const fftwf_complex* out = fft.spectrum();
    std::vector<SpectralFrame> raw(frames);
    std::vector<double> power(bins), magnitude(bins), previous(bins, 0.0);
    for (std::size_t t = 0; t < frames; ++t) {
        std::fill(in, in + fft_size, 0.0f);
        const std::size_t start = t * spectral_hop;
        for (std::size_t i = 0; i < spectral_window && start + i < samples.size(); ++i)
            in[i] = static_cast<float>(samples[start + i] * window[i]);
        fft.forward();
        for (std::size_t k = 0; k < bins; ++k) {
            power[k] = double(out[k][0]) * out[k][0] + double(out[k][1]) * out[k][1];
            magnitude[k] = std::sqrt(power[k]);
        }
        SpectralFrame& f = raw[t];
        double low = 0, high = 0, peak_low = 0, peak_high = 0, flux = 0;
        for (std::size_t k = 0; k < bins; ++k) {
            const double hz = hz_of_bin(k);
            if (hz >= 50 && hz < 1000) low += power[k];
            if (hz >= 1000 && hz < 5000) high += power[k];
            if (hz < 2000) peak_low = std::max(peak_low, power[k]);
            if (hz >= 2000 && hz < 5000) peak_high = std::max(peak_high, power[k]);
            const double change = magnitude[k] - previous[k];
            flux += change * change;
        }
        f.alpha_ratio = static_cast<float>(10 * std::log10((high + floor_power) / (low + floor_power)));
        f.hammarberg = static_cast<float>(10 * std::log10((peak_low + floor_power) / (peak_high + floor_power)));
        f.slope_0_500 = static_cast<float>(log_spectrum_slope(power, 0, 500));
        f.slope_500_1500 = static_cast<float>(log_spectrum_slope(power, 500, 1500));
        f.spectral_flux = t == 0 ? 0.0f : static_cast<float>(flux);
        previous = magnitude;

        std::array<double, mel_bands> log_band{};
        double total = 0;
        for (std::size_t b = 0; b < mel_bands; ++b) {
            double e = 0;
            for (std::size_t k = 0; k < bins; ++k) e += filters[b][k] * power[k];
            total += e;
            log_band[b] = std::log(std::max(e, 1e-8));
        }
        f.loudness = static_cast<float>(std::pow(total, 0.33));
        // Orthonormal DCT-II scaling and HTK's sinusoidal lifter (L = 22), which bring the values to openSMILE's.
        constexpr double lifter = 22;
        for (std::size_t c = 1; c <= 4; ++c) {
            double sum = 0;
            for (std::size_t b = 0; b < mel_bands; ++b)
                sum += log_band[b] * std::cos(std::numbers::pi * static_cast<double>(c) * (b + 0.5) / mel_bands);
            const double lift = 1 + lifter / 2 * std::sin(std::numbers::pi * static_cast<double>(c) / lifter);
            f.mfcc[c - 1] = static_cast<float>(sum * std::sqrt(2.0 / mel_bands) * lift);
        }
    }
    // 3-frame moving average (2 frames at the edges).
    std::vector<SpectralFrame> smoothed(frames);
    auto fields = [](SpectralFrame& f) {
        return std::array<float*, 10>{&f.loudness,    &f.alpha_ratio,    &f.hammarberg, &f.slope_0_500,
                                      &f.slope_500_1500, &f.spectral_flux, &f.mfcc[0],   &f.mfcc[1],
                                      &f.mfcc[2],     &f.mfcc[3]};
    };
    for (std::size_t t = 0; t < frames; ++t) {
        const std::size_t lo = t == 0 ? 0 : t - 1, hi = std::min(frames - 1, t + 1);
        auto target = fields(smoothed[t]);
        for (std::size_t i = 0; i < target.size(); ++i) {
            double sum = 0;
            for (std::size_t u = lo; u <= hi; ++u) sum += *fields(raw[u])[i];
            *target[i] = static_cast<float>(sum / static_cast<double>(hi - lo + 1));
        }
    }
    return smoothed;
}

}  // namespace emo::speech
