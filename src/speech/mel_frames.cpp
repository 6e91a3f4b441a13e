#include "speech/mel_frames.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace emo::speech {

namespace {

constexpr int rate = 16000;
constexpr std::size_t fft_size = 512, bins = fft_size / 2 + 1;
constexpr double floor_power = 1e-10;

double mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double hz(double m) { return 700.0 * (std::pow(10.0, m / 2595.0) - 1.0); }

// Triangular filters equally spaced on the mel scale from 20 Hz to 8 kHz: [band][bin].
std::vector<std::array<double, bins>> mel_filters() {
    std::vector<double> edge(mel_bands + 2);
    for (std::size_t i = 0; i < edge.size(); ++i)
        edge[i] = hz(mel(20) + (mel(8000) - mel(20)) * static_cast<double>(i) / (mel_bands + 1));
    std::vector<std::array<double, bins>> filters(mel_bands);
    for (std::size_t b = 0; b < mel_bands; ++b)
        for (std::size_t k = 0; k < bins; ++k) {
            const double f = static_cast<double>(k) * rate / fft_size;
            filters[b][k] = std::max(0.0, std::min((f - edge[b]) / (edge[b + 1] - edge[b]),
                                                   (edge[b + 2] - f) / (edge[b + 2] - edge[b + 1])));
        }
    return filters;
}

}  // namespace

MelFrameAnalyser::MelFrameAnalyser() : hamming_(mel_window), fft_(fft_size) {
    for (std::size_t i = 0; i < mel_window; ++i)
        hamming_[i] = 0.54 - 0.46 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / (mel_window - 1));
}

double MelFrameAnalyser::analyse(const std::vector<float>& samples, std::size_t start, LogMel& log_mel) {
    static const auto filters = mel_filters();
    double energy = 0;
    for (std::size_t i = 0; i < mel_window; ++i) energy += double(samples[start + i]) * samples[start + i];
    fft_.forward_windowed(samples, start, hamming_);
    const fftwf_complex* spectrum = fft_.spectrum();
    std::array<double, bins> power;
    for (std::size_t k = 0; k < bins; ++k)
        power[k] = double(spectrum[k][0]) * spectrum[k][0] + double(spectrum[k][1]) * spectrum[k][1];
    for (std::size_t b = 0; b < mel_bands; ++b) {
        double sum = 0;
        for (std::size_t k = 0; k < bins; ++k) sum += filters[b][k] * power[k];
        log_mel[b] = std::log(sum + floor_power);
    }
    return 10 * std::log10(energy / mel_window + 1e-12);
}

std::size_t mel_frame_count(std::size_t samples) {
    return samples < mel_window ? 0 : (samples - mel_window) / mel_hop + 1;
}

Cepstrum mel_cepstrum(const LogMel& log_mel) {
    Cepstrum cepstrum;
    for (std::size_t c = 0; c < mel_cepstra; ++c) {
        double sum = 0;
        for (std::size_t b = 0; b < mel_bands; ++b)
            sum += log_mel[b] * std::cos(std::numbers::pi * static_cast<double>(c) * (b + 0.5) / mel_bands);
        cepstrum[c] = sum * std::sqrt((c == 0 ? 1.0 : 2.0) / mel_bands);
    }
    return cepstrum;
}

LogMel mel_shape(const LogMel& log_mel) {
    double level = 0;
    for (double v : log_mel) level += v / mel_bands;
    LogMel shape;
    for (std::size_t b = 0; b < mel_bands; ++b) shape[b] = log_mel[b] - level;
    return shape;
}

}  // namespace emo::speech
