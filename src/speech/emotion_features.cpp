#include "speech/emotion_features.hpp"

#include "speech/egemaps.hpp"
#include "speech/functionals.hpp"
#include "speech/real_fft.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace emo::speech {

namespace {

constexpr int rate = 16000;
constexpr std::size_t window = 400, hop = 160, fft_size = 512,
                      bins = fft_size / 2 + 1;  // 25 ms every 10 ms
constexpr std::size_t mel_bands = 40, cepstra = 20;
// Frames more than 40 dB below the loudest frame of the recording are pauses and leading / trailing silence: their
// spectra say nothing about the voice.
constexpr double voice_range_db = 40;
constexpr double floor_power = 1e-10;
constexpr double stddev_norm_limit = 1000;
const char* const statistic_names[] = {"mean", "std", "p10", "p50", "p90", "skew", "kurt"};
constexpr std::size_t statistics = 7;
constexpr std::size_t slow_delta_frames = 3;  // the second delta block: change over 30 ms

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

// Mean, standard deviation, percentiles 10 / 50 / 90, skewness and excess kurtosis of each column of `rows`
// ([frame][column]), column by column.
void append_statistics(const std::vector<std::vector<double>>& rows, std::size_t columns, std::vector<double>& out) {
    std::vector<double> column(rows.size());
    for (std::size_t c = 0; c < columns; ++c) {
        if (rows.empty()) {
            out.insert(out.end(), statistics, 0.0);
            continue;
        }
        const double n = static_cast<double>(rows.size());
        double mean = 0, m2 = 0, m3 = 0, m4 = 0;
        for (std::size_t t = 0; t < rows.size(); ++t) column[t] = rows[t][c], mean += column[t] / n;
        for (double v : column) {
            const double d = v - mean;
            m2 += d * d / n, m3 += d * d * d / n, m4 += d * d * d * d / n;
        }
        std::sort(column.begin(), column.end());
        out.push_back(mean);
        out.push_back(std::sqrt(m2));
        out.push_back(percentile(column, 0.1));
        out.push_back(percentile(column, 0.5));
        out.push_back(percentile(column, 0.9));
        out.push_back(m2 > 1e-12 ? m3 / std::pow(m2, 1.5) : 0.0);
        out.push_back(m2 > 1e-12 ? m4 / (m2 * m2) - 3 : 0.0);
    }
}

// The frames that carry the voice: their log mel spectrum, its shape (each frame less its mean over the bands, so
// that level drops out), MFCCs and the MFCCs' change from the previous frame and from 3 frames before.
struct Frames {
    std::vector<std::vector<double>> log_mel, mel_shape, mfcc, delta_mfcc, slow_delta_mfcc;
};

Frames voice_frames(const std::vector<float>& samples) {
    static const auto filters = mel_filters();
    Frames frames;
    if (samples.size() < window) return frames;
    const std::size_t count = (samples.size() - window) / hop + 1;
    std::vector<double> hamming(window);
    for (std::size_t i = 0; i < window; ++i)
        hamming[i] = 0.54 - 0.46 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / (window - 1));
    RealFft fft(fft_size);
    std::vector<std::vector<double>> log_mel(count, std::vector<double>(mel_bands));
    std::vector<double> level(count);
    for (std::size_t t = 0; t < count; ++t) {
        double energy = 0;
        for (std::size_t i = 0; i < window; ++i) energy += double(samples[t * hop + i]) * samples[t * hop + i];
        level[t] = 10 * std::log10(energy / window + 1e-12);
        fft.forward_windowed(samples, t * hop, hamming);
        const fftwf_complex* spectrum = fft.spectrum();
        std::array<double, bins> power;
        for (std::size_t k = 0; k < bins; ++k)
            power[k] = double(spectrum[k][0]) * spectrum[k][0] + double(spectrum[k][1]) * spectrum[k][1];
        for (std::size_t b = 0; b < mel_bands; ++b) {
            double sum = 0;
            for (std::size_t k = 0; k < bins; ++k) sum += filters[b][k] * power[k];
            log_mel[t][b] = std::log(sum + floor_power);
        }
    }
    const double loudest = *std::max_element(level.begin(), level.end());
    for (std::size_t t = 0; t < count; ++t) {
        if (level[t] <= loudest - voice_range_db) continue;
        std::vector<double> cepstrum(cepstra);
        // Orthonormal DCT-II of the log mel spectrum.
        for (std::size_t c = 0; c < cepstra; ++c) {
            double sum = 0;
            for (std::size_t b = 0; b < mel_bands; ++b)
                sum += log_mel[t][b] * std::cos(std::numbers::pi * static_cast<double>(c) * (b + 0.5) / mel_bands);
            cepstrum[c] = sum * std::sqrt((c == 0 ? 1.0 : 2.0) / mel_bands);
        }
        const auto change_since = [&](std::size_t back) {
            std::vector<double> delta(cepstra);
            const auto& before = frames.mfcc[frames.mfcc.size() - back];
            for (std::size_t c = 0; c < cepstra; ++c) delta[c] = cepstrum[c] - before[c];
            return delta;
        };
        if (!frames.mfcc.empty()) frames.delta_mfcc.push_back(change_since(1));
        if (frames.mfcc.size() >= slow_delta_frames) frames.slow_delta_mfcc.push_back(change_since(slow_delta_frames));
        double level_of_frame = 0;
        for (double v : log_mel[t]) level_of_frame += v / mel_bands;
        std::vector<double> shape(mel_bands);
        for (std::size_t b = 0; b < mel_bands; ++b) shape[b] = log_mel[t][b] - level_of_frame;
        frames.mel_shape.push_back(std::move(shape));
        frames.log_mel.push_back(log_mel[t]);
        frames.mfcc.push_back(std::move(cepstrum));
    }
    return frames;
}

std::vector<std::string> make_names() {
    std::vector<std::string> names;
    const auto add = [&](const std::string& prefix, std::size_t columns) {
        for (std::size_t c = 0; c < columns; ++c) {
            const std::string index = std::string(c < 10 ? "0" : "").append(std::to_string(c));
            for (const char* s : statistic_names) names.push_back(prefix + index + "_" + s);
        }
    };
    add("mel", mel_bands);
    add("melshape", mel_bands);
    add("mfcc", cepstra);
    add("dmfcc", cepstra);
    add("d3mfcc", cepstra);
    const auto& egemaps = egemaps_functional_names();
    names.insert(names.end(), egemaps.begin(), egemaps.end());
    return names;
}

}  // namespace

const std::vector<std::string>& emotion_feature_names() {
    static const std::vector<std::string> names = make_names();
    return names;
}

std::vector<double> emotion_features(const std::vector<float>& samples) {
    const Frames frames = voice_frames(samples);
    std::vector<double> out;
    out.reserve(emotion_feature_names().size());
    append_statistics(frames.log_mel, mel_bands, out);
    append_statistics(frames.mel_shape, mel_bands, out);
    append_statistics(frames.mfcc, cepstra, out);
    append_statistics(frames.delta_mfcc, cepstra, out);
    append_statistics(frames.slow_delta_mfcc, cepstra, out);
    for (const auto& [name, value] : egemaps_functionals(samples)) {
        const double v = std::isfinite(value) ? value : 0.0;
        const bool spread = name.find("stddevNorm") != std::string::npos;
        out.push_back(spread ? std::clamp(v, -stddev_norm_limit, stddev_norm_limit) : v);
    }
    return out;
}

std::vector<float> reference_signal() {
    std::vector<float> x(2 * rate);
    unsigned noise = 2024;
    double phase = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = static_cast<double>(i) / rate;
        const double f0 = 140 + 40 * std::sin(2 * std::numbers::pi * 0.7 * t);
        phase += 2 * std::numbers::pi * f0 / rate;
        double voice = 0;
        for (int h = 1; h <= 12; ++h) voice += std::sin(h * phase) / h;
        const double level = std::max(0.0, std::sin(2 * std::numbers::pi * 2.5 * t));
        noise = noise * 1103515245u + 12345u;
        x[i] = static_cast<float>(0.2 * level * voice + 1e-3 * ((noise >> 16) / 32768.0 - 1.0));
    }
    return x;
}

}  // namespace emo::speech
