#include "speech/spectral_descriptors.hpp"

#include "speech/real_fft.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <type_traits>

namespace emo::speech {

namespace {

constexpr std::size_t fft_size = 512;
constexpr std::size_t bins = fft_size / 2 + 1;
constexpr double bin_hz = static_cast<double>(spectral_rate) / fft_size;  // 31.25 Hz
constexpr std::size_t mel_bands = 26;
constexpr std::size_t bark_bands = 22;
constexpr double floor_power = 1e-12;  // keeps the ratios of silent frames finite
// Brings the summed auditory spectrum to openSMILE's loudness scale (fitted on the five reference files).
constexpr double loudness_scale = 1.0 / 14.2;
// HTK floors filterbank energies at 1 in 16-bit sample units: 2^-30 in our units (samples in [-1, 1]).
constexpr double filterbank_floor = 1.0 / (32768.0 * 32768.0);
// Bins of the bands, as fitted to openSMILE's frame-level output (docs/speech.md): [0, 1 kHz) and [1, 5 kHz] for the
// alpha ratio, [0, 2 kHz) and [2, 5 kHz] for the Hammarberg index, [0, 5 kHz) for the spectral flux.
constexpr std::size_t bin_500 = 16, bin_1k = 32, bin_1500 = 48, bin_2k = 64, bin_5k = 160;
// The filterbanks use the bins HTK uses between 20 Hz and 8 kHz: from round(20 / 31.25) + 1 = 2 (DC and 31.25 Hz
// left out) up to the last below Nyquist.
constexpr std::size_t first_filter_bin = 2, last_filter_bin = bins - 2;

double mel(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }
// Traunmüller's (1990) critical-band rate.
double bark(double hz) { return 26.81 * hz / (1960.0 + hz) - 0.53; }
double bark_to_hz(double z) { return 1960.0 * (z + 0.53) / (26.28 - z); }

// Equal-loudness weighting of Hermansky's PLP (1990): the ear's sensitivity at about 40 dB.
double equal_loudness(double hz) {
    const double w2 = std::pow(2 * std::numbers::pi * hz, 2);
    return (w2 + 56.8e6) * w2 * w2 / (std::pow(w2 + 6.3e6, 2) * (w2 + 0.38e9));
}

// A filterbank as HTK builds it: `bands` triangles equally spaced on a warped frequency scale between 20 Hz and
// 8 kHz, each bin weighted by where its warped frequency falls (triangles straight on the warped scale): [band][bin].
template <class Warp>
std::vector<std::array<double, bins>> triangular_filters(std::size_t bands, Warp warp) {
    const double lo = warp(20.0), hi = warp(8000.0);
    std::vector<double> centre(bands + 2);
    for (std::size_t i = 0; i < centre.size(); ++i)
        centre[i] = lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(bands + 1);
    std::vector<std::array<double, bins>> filters(bands);
    for (std::size_t b = 0; b < bands; ++b) {
        filters[b].fill(0.0);
        for (std::size_t k = first_filter_bin; k <= last_filter_bin; ++k) {
            const double w = warp(static_cast<double>(k) * bin_hz);
            filters[b][k] = std::max(0.0, std::min((w - centre[b]) / (centre[b + 1] - centre[b]),
                                                   (centre[b + 2] - w) / (centre[b + 2] - centre[b + 1])));
        }
    }
    return filters;
}

// Sparse form of a filterbank row: the first bin and the weights from it.
struct Filter {
    std::size_t first = 0;
    std::vector<double> weights;
};

std::vector<Filter> sparse(const std::vector<std::array<double, bins>>& dense, const std::vector<double>& gain) {
    std::vector<Filter> out(dense.size());
    for (std::size_t b = 0; b < dense.size(); ++b) {
        std::size_t lo = bins, hi = 0;
        for (std::size_t k = 0; k < bins; ++k)
            if (dense[b][k] > 0) lo = std::min(lo, k), hi = k;
        if (lo > hi) continue;
        out[b].first = lo;
        for (std::size_t k = lo; k <= hi; ++k) out[b].weights.push_back(dense[b][k] * gain[b]);
    }
    return out;
}

std::vector<Filter> mel_filters() {
    return sparse(triangular_filters(mel_bands, mel), std::vector<double>(mel_bands, 1.0));
}

// Critical bands (Bark), each weighted by the equal-loudness curve at its centre frequency.
std::vector<Filter> loudness_filters() {
    std::vector<double> gain(bark_bands);
    const double lo = bark(20.0), hi = bark(8000.0);
    for (std::size_t b = 0; b < bark_bands; ++b)
        gain[b] = equal_loudness(bark_to_hz(lo + (hi - lo) * static_cast<double>(b + 1) / (bark_bands + 1)));
    return sparse(triangular_filters(bark_bands, bark), gain);
}

double apply(const Filter& f, const std::vector<double>& power) {
    double e = 0;
    for (std::size_t i = 0; i < f.weights.size(); ++i) e += f.weights[i] * power[f.first + i];
    return e;
}

// Slope of dB power against frequency over bins first..last (0-500 Hz: 0..16, 500-1500 Hz: 16..48). It is the
// least-squares formula (n Sxy - Sx Sy) / (n Sxx - Sx^2) with n one less than the number of bins: that reproduces
// openSMILE's values to 1e-6 (docs/speech.md), where the plain regression slope correlates only 0.88-0.93 with them.
double log_spectrum_slope(const std::vector<double>& power, std::size_t first, std::size_t last) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t k = first; k <= last; ++k) {
        const double f = static_cast<double>(k) * bin_hz;
        const double y = 10 * std::log10(std::max(power[k], 1e-30));
        sx += f, sy += y, sxx += f * f, sxy += f * y;
    }
    const double n = static_cast<double>(last - first);
    const double d = n * sxx - sx * sx;
    return d != 0 ? (n * sxy - sx * sy) / d : 0.0;
}

// HTK's MFCC 1-4: orthonormal DCT-II over the mel bands and the sinusoidal lifter (L = 22).
struct MfccTransform {
    std::array<std::array<double, mel_bands>, 4> basis{};
    std::array<double, 4> scale{};
};

MfccTransform mfcc_transform() {
    MfccTransform m;
    constexpr double lifter = 22;
    for (std::size_t c = 1; c <= 4; ++c) {
        for (std::size_t b = 0; b < mel_bands; ++b)
            m.basis[c - 1][b] = std::cos(std::numbers::pi * static_cast<double>(c) * (b + 0.5) / mel_bands);
        m.scale[c - 1] = std::sqrt(2.0 / mel_bands) *
                         (1 + lifter / 2 * std::sin(std::numbers::pi * static_cast<double>(c) / lifter));
    }
    return m;
}

}  // namespace

std::size_t egemaps_frame_count(std::size_t samples) {
    // Every frame whose 60 ms window starts at least 50 ms before the end: the count openSMILE 3.0.2 gives for
    // each of the reference RAVDESS files (it lets the last window run up to one hop past the end).
    constexpr std::size_t longest = 960, slack = 160;
    return samples < longest ? 0 : (samples - (longest - slack)) / spectral_hop + 1;
}

std::size_t spectral_frame_count(std::size_t samples) {
    return samples < spectral_window ? 0 : (samples - spectral_window) / spectral_hop + 1;
}

std::vector<SpectralFrame> raw_spectral_descriptors(const std::vector<float>& samples, std::size_t frames) {
    static const auto mel_bank = mel_filters();
    static const auto loudness_bank = loudness_filters();
    static const auto mfcc = mfcc_transform();
    std::vector<double> window(spectral_window);
    for (std::size_t i = 0; i < spectral_window; ++i)
        window[i] = 0.54 - 0.46 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / (spectral_window - 1));

    RealFft fft(fft_size);
    const fftwf_complex* out = fft.spectrum();
    std::vector<SpectralFrame> raw(frames);
    std::vector<double> power(bins), magnitude(bins), previous(bins, 0.0);
    for (std::size_t t = 0; t < frames; ++t) {
        fft.forward_windowed(samples, t * spectral_hop, window);
        for (std::size_t k = 0; k < bins; ++k) {
            power[k] = double(out[k][0]) * out[k][0] + double(out[k][1]) * out[k][1];
            magnitude[k] = std::sqrt(power[k]);
        }
        SpectralFrame& f = raw[t];
        double low = 0, high = 0, peak_low = 0, peak_high = 0, flux = 0;
        for (std::size_t k = 0; k <= bin_5k; ++k) {
            (k < bin_1k ? low : high) += power[k];
            double& peak = k < bin_2k ? peak_low : peak_high;
            peak = std::max(peak, power[k]);
            if (k < bin_5k) {
                const double change = magnitude[k] - previous[k];
                flux += change * change;
            }
        }
        f.alpha_ratio = static_cast<float>(10 * std::log10((high + floor_power) / (low + floor_power)));
        f.hammarberg = static_cast<float>(10 * std::log10((peak_low + floor_power) / (peak_high + floor_power)));
        f.slope_0_500 = static_cast<float>(log_spectrum_slope(power, 0, bin_500));
        f.slope_500_1500 = static_cast<float>(log_spectrum_slope(power, bin_500, bin_1500));
        // The root of the summed squared change, over the root of the number of bins: openSMILE's scale.
        f.spectral_flux = t == 0 ? 0.0f : static_cast<float>(std::sqrt(flux / bin_5k));
        previous = magnitude;

        // Loudness: the auditory spectrum (critical bands, equal-loudness weighting, cube-root compression as in
        // Hermansky's PLP), summed over the bands.
        double loudness = 0;
        for (const auto& filter : loudness_bank) loudness += std::pow(apply(filter, power), 0.33);
        f.loudness = static_cast<float>(loudness * loudness_scale);

        std::array<double, mel_bands> log_band{};
        for (std::size_t b = 0; b < mel_bands; ++b)
            log_band[b] = std::log(std::max(apply(mel_bank[b], power), filterbank_floor));
        for (std::size_t c = 0; c < 4; ++c) {
            double sum = 0;
            for (std::size_t b = 0; b < mel_bands; ++b) sum += log_band[b] * mfcc.basis[c][b];
            f.mfcc[c] = static_cast<float>(sum * mfcc.scale[c]);
        }
    }
    return raw;
}

SpectralFrame smooth_spectral_frame(const SpectralFrame& before, const SpectralFrame& frame,
                                    const SpectralFrame& after) {
    auto fields = [](auto& f) {
        using Field = std::conditional_t<std::is_const_v<std::remove_reference_t<decltype(f)>>, const float*, float*>;
        return std::array<Field, 10>{&f.loudness,      &f.alpha_ratio, &f.hammarberg, &f.slope_0_500, &f.slope_500_1500,
                                     &f.spectral_flux, &f.mfcc[0],     &f.mfcc[1],    &f.mfcc[2],     &f.mfcc[3]};
    };
    SpectralFrame smoothed;
    auto target = fields(smoothed);
    const auto a = fields(before), b = fields(frame), c = fields(after);
    for (std::size_t i = 0; i < target.size(); ++i)
        *target[i] = static_cast<float>((double(*a[i]) + *b[i] + *c[i]) / 3.0);
    return smoothed;
}

std::vector<SpectralFrame> smooth_spectral_descriptors(const std::vector<SpectralFrame>& raw) {
    // 3-frame moving average; at the edges the edge frame stands in for its missing neighbour.
    const std::size_t frames = raw.size();
    std::vector<SpectralFrame> smoothed(frames);
    for (std::size_t t = 0; t < frames; ++t)
        smoothed[t] = smooth_spectral_frame(raw[t == 0 ? 0 : t - 1], raw[t], raw[std::min(frames - 1, t + 1)]);
    return smoothed;
}

std::vector<SpectralFrame> spectral_descriptors(const std::vector<float>& samples, std::size_t frames) {
    return smooth_spectral_descriptors(raw_spectral_descriptors(samples, frames));
}

}  // namespace emo::speech
