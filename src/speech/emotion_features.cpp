#include "speech/emotion_features.hpp"

#include "speech/egemaps.hpp"
#include "speech/functionals.hpp"
#include "speech/mel_frames.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace emo::speech {

namespace {

constexpr int rate = 16000;
constexpr double stddev_norm_limit = 1000;
const char* const statistic_names[] = {"mean", "std", "p10", "p50", "p90", "skew", "kurt"};
constexpr std::size_t statistics = 7;

// Mean, standard deviation, percentiles 10 / 50 / 90, skewness and excess kurtosis of each column of `rows`
// ([frame][column]), column by column.
template <typename Row>
void append_statistics(const std::vector<Row>& rows, std::size_t columns, std::vector<double>& out) {
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
    std::vector<LogMel> log_mel, mel_shape;
    std::vector<Cepstrum> mfcc, delta_mfcc, slow_delta_mfcc;
};

Frames voice_frames(const std::vector<float>& samples) {
    Frames frames;
    const std::size_t count = mel_frame_count(samples.size());
    if (count == 0) return frames;
    MelFrameAnalyser analyser;
    std::vector<LogMel> log_mel(count);
    std::vector<double> level(count);
    for (std::size_t t = 0; t < count; ++t) level[t] = analyser.analyse(samples, t * mel_hop, log_mel[t]);
    const double loudest = *std::max_element(level.begin(), level.end());
    for (std::size_t t = 0; t < count; ++t) {
        if (level[t] <= loudest - voice_range_db) continue;
        const Cepstrum cepstrum = mel_cepstrum(log_mel[t]);
        const std::size_t before = frames.mfcc.size();
        if (before >= 1) frames.delta_mfcc.push_back(cepstrum_change(cepstrum, frames.mfcc[before - 1]));
        if (before >= slow_delta_frames)
            frames.slow_delta_mfcc.push_back(cepstrum_change(cepstrum, frames.mfcc[before - slow_delta_frames]));
        frames.mel_shape.push_back(mel_shape(log_mel[t]));
        frames.log_mel.push_back(log_mel[t]);
        frames.mfcc.push_back(cepstrum);
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
    add("mfcc", mel_cepstra);
    add("dmfcc", mel_cepstra);
    add("d3mfcc", mel_cepstra);
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
    append_statistics(frames.mfcc, mel_cepstra, out);
    append_statistics(frames.delta_mfcc, mel_cepstra, out);
    append_statistics(frames.slow_delta_mfcc, mel_cepstra, out);
    append_egemaps_features(egemaps_functionals(samples), out);
    return out;
}

void append_egemaps_features(const std::vector<std::pair<std::string, double>>& functionals, std::vector<double>& out) {
    for (const auto& [name, value] : functionals) {
        const double v = std::isfinite(value) ? value : 0.0;
        const bool spread = name.find("stddevNorm") != std::string::npos;
        out.push_back(spread ? std::clamp(v, -stddev_norm_limit, stddev_norm_limit) : v);
    }
}

Cepstrum cepstrum_change(const Cepstrum& now, const Cepstrum& before) {
    Cepstrum delta;
    for (std::size_t c = 0; c < mel_cepstra; ++c) delta[c] = now[c] - before[c];
    return delta;
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
