#include "speech/pitch.hpp"

#include "speech/real_fft.hpp"
#include "speech/smoothing.hpp"
#include "speech/voicing_path.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace emo::speech {

namespace {

constexpr int rate = 16000;
constexpr std::size_t hop = 160, window = 960, fft_size = 2048, bins = fft_size / 2 + 1;
constexpr double points_per_octave = 48;
constexpr double grid_low_hz = 50, grid_high_hz = 5000, min_f0 = 55, max_f0 = 1000;
// Fitted to openSMILE's voicing and functionals over the 1,200 RAVDESS files (docs/speech.md): 10 harmonics weighted
// 0.75^(n-1) on the square root of the magnitude spectrum (Hermes' 15 harmonics, 0.84 and the plain magnitude gave
// octave-high picks that openSMILE does not make, and a salience that separated voiced frames less well).
constexpr std::size_t harmonics = 10;
constexpr double compression = 0.75;
constexpr double min_salience = 1.9, min_rms = 0.0015;
// A best candidate this low is low-frequency noise (breath, handling) far more often than voice: such frames are
// unvoiced (openSMILE's F0 on the reference files never goes below 83 Hz).
constexpr double min_voiced_f0 = 70;
// The voicing decision is the cheapest voiced / unvoiced path (a two-state Viterbi): a voiced frame gains its
// salience above min_salience, each change between voiced and unvoiced costs this much. Flicker at the threshold goes
// (frame agreement on the five reference files 0.955 -> 0.956, the rhythm functionals' r +0.03 to +0.05 over the
// 1,200 files; 0.1 and 0.2 did no better).
constexpr double voicing_change_cost = 0.05;

}  // namespace

std::vector<double> gaussian_window(std::size_t length) {
    std::vector<double> w(length);
    const double half = (static_cast<double>(length) - 1) / 2.0;
    for (std::size_t i = 0; i < length; ++i) {
        const double u = (static_cast<double>(i) - half) / (0.4 * half);
        w[i] = std::exp(-0.5 * u * u);
    }
    return w;
}

std::vector<PitchFrame> pitch_candidates(const std::vector<float>& samples, std::size_t frames) {
    const std::vector<double> gauss = gaussian_window(window);
    // The log-frequency grid, its auditory weights, and where each grid point falls between FFT bins.
    const double log_low = std::log2(grid_low_hz);
    const auto grid_size = static_cast<std::size_t>((std::log2(grid_high_hz) - log_low) * points_per_octave);
    std::vector<double> grid_weight(grid_size), grid_bin(grid_size);
    for (std::size_t g = 0; g < grid_size; ++g) {
        const double octave = log_low + static_cast<double>(g) / points_per_octave;
        grid_weight[g] = 0.5 + std::atan(3 * (octave - std::log2(65.0))) / std::numbers::pi;
        grid_bin[g] = std::exp2(octave) * fft_size / rate;
    }
    const auto candidates =
        static_cast<std::size_t>((std::log2(max_f0) - std::log2(min_f0)) * points_per_octave);
    const auto first_candidate =
        static_cast<std::size_t>(std::lround((std::log2(min_f0) - log_low) * points_per_octave));

    // Where harmonic n of a candidate falls on the grid, in grid steps above the candidate.
    std::array<std::size_t, harmonics> harmonic_offset{};
    for (std::size_t n = 1; n <= harmonics; ++n)
        harmonic_offset[n - 1] =
            static_cast<std::size_t>(std::lround(std::log2(static_cast<double>(n)) * points_per_octave));

    RealFft fft(fft_size);
    std::vector<PitchFrame> result(frames);
    std::vector<double> magnitude(bins), spectrum(grid_size);
    for (std::size_t t = 0; t < frames; ++t) {
        double energy = 0;
        const std::size_t start = t * hop;
        for (std::size_t i = 0; i < window && start + i < samples.size(); ++i)
            energy += double(samples[start + i]) * samples[start + i];
        fft.forward_windowed(samples, start, gauss);
        for (std::size_t k = 0; k < bins; ++k) magnitude[k] = std::sqrt(fft.magnitude(k));
        for (std::size_t g = 0; g < grid_size; ++g) {
            const auto k = static_cast<std::size_t>(grid_bin[g]);
            const double frac = grid_bin[g] - static_cast<double>(k);
            const double m = k + 1 < bins ? magnitude[k] * (1 - frac) + magnitude[k + 1] * frac : 0.0;
            spectrum[g] = m * grid_weight[g];
        }
        double best = -1, total = 0;
        std::size_t best_candidate = 0;
        for (std::size_t c = 0; c < candidates; ++c) {
            double sum = 0, weight = 1;
            for (std::size_t n = 0; n < harmonics; ++n, weight *= compression) {
                const auto g = first_candidate + c + harmonic_offset[n];
                if (g < grid_size) sum += weight * spectrum[g];
            }
            total += sum;
            if (sum > best) best = sum, best_candidate = c;
        }
        PitchFrame& p = result[t];
        p.salience = total > 0 ? best / (total / static_cast<double>(candidates)) : 0.0;
        const double rms = std::sqrt(energy / window);
        const double f0 = std::exp2(log_low + static_cast<double>(first_candidate + best_candidate) / points_per_octave);
        if (rms >= min_rms && f0 >= min_voiced_f0) p.f0_hz = f0;  // a candidate; the path below decides
    }

    return result;
}

VoicingPath voicing_path() { return VoicingPath(min_salience, voicing_change_cost); }

void set_semitones(std::vector<PitchFrame>& result) {
    const std::size_t frames = result.size();
    // Semitones, smoothed over the voiced frames among each voiced frame and its two neighbours.
    std::vector<double> semitones(frames);
    std::vector<bool> voiced(frames);
    for (std::size_t t = 0; t < frames; ++t) {
        voiced[t] = result[t].f0_hz > 0;
        if (voiced[t]) semitones[t] = 12 * std::log2(result[t].f0_hz / 27.5);
    }
    semitones = smooth3_present(semitones, voiced);
    for (std::size_t t = 0; t < frames; ++t) result[t].semitones = semitones[t];
}

std::vector<PitchFrame> track_pitch(const std::vector<float>& samples, std::size_t frames) {
    std::vector<PitchFrame> result = pitch_candidates(samples, frames);
    VoicingPath path = voicing_path();
    for (const auto& p : result) path.push(p.f0_hz > 0, p.salience);
    path.finish();
    for (std::size_t t = 0; t < frames; ++t)
        if (!path.voiced(t)) result[t].f0_hz = 0;
    set_semitones(result);
    return result;
}

}  // namespace emo::speech
