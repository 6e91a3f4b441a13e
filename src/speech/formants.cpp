#include "speech/formants.hpp"

#include "speech/resample.hpp"
#include "speech/smoothing.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>

namespace emo::speech {

namespace {

constexpr double lpc_rate = 11025;
constexpr int order = 10;
constexpr double window_seconds = 0.025;
constexpr double min_formant_hz = 90, max_bandwidth_hz = 800;

// Prediction coefficients a[1..order] of the autocorrelation r (Levinson-Durbin); false when r[0] is 0.
bool levinson(const std::vector<double>& r, std::vector<double>& a) {
    a.assign(order + 1, 0.0);
    a[0] = 1;
    double error = r[0];
    if (error <= 0) return false;
    for (int i = 1; i <= order; ++i) {
        double acc = r[i];
        for (int j = 1; j < i; ++j) acc += a[j] * r[i - j];
        const double k = -acc / error;
        std::vector<double> previous(a);
        for (int j = 1; j < i; ++j) a[j] = previous[j] + k * previous[i - j];
        a[i] = k;
        error *= 1 - k * k;
        if (error <= 0) return false;
    }
    return true;
}

// The first sample at 11,025 Hz of the window of frame `frame` of the recording, counted from `offset`.
long window_start(std::size_t frame, std::size_t length, long offset) {
    // The middle of the 60 ms frame, from the start of the recording (rounded as for the recording at once).
    const double centre = 0.01 * static_cast<double>(frame) + 0.03;
    return static_cast<long>(std::lround(centre * lpc_rate)) - static_cast<long>(length / 2) - offset;
}

// `samples` at 11,025 Hz where the windows of voiced frames (and the sample before each, for pre-emphasis) read
// them; zeros elsewhere. The resampler costs more than all the rest of eGeMAPS together, so it runs only over the
// voiced runs (those less than `bridged_frames` apart as one), each from a sample of the 640-in-441-out grid at least
// `margin` samples before the run, so that its output is the whole signal's up to rounding: the filter of
// SRC_SINC_FASTEST reaches about 28 input samples either side.
std::vector<float> voiced_at_lpc_rate(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch,
                                      std::size_t first_frame, long offset, std::size_t length) {
    constexpr std::size_t bridged_frames = 8;
    constexpr long margin = 64, grid_out = 441, grid_in = 640;
    const long total_out = static_cast<long>(static_cast<double>(samples.size()) * lpc_rate / 16000);
    std::vector<float> low(static_cast<std::size_t>(std::max(total_out, 0L)) + 16, 0.0f);
    const std::size_t frames = pitch.size();
    for (std::size_t t = 0; t < frames;) {
        if (pitch[t].f0_hz <= 0) {
            ++t;
            continue;
        }
        std::size_t last = t;  // the run's last voiced frame
        for (std::size_t u = t + 1; u < frames && u <= last + bridged_frames; ++u)
            if (pitch[u].f0_hz > 0) last = u;
        const long from = window_start(first_frame + t, length, offset) - 1 - margin;
        const long to = window_start(first_frame + last, length, offset) + static_cast<long>(length) + margin;
        const long grid = std::max(0L, from / grid_out);
        const long in_from = grid * grid_in;
        const long in_to = std::min(static_cast<long>(samples.size()), (to / grid_out + 1) * grid_in);
        t = last + 1;
        const auto out_from = static_cast<std::size_t>(grid * grid_out);
        if (in_to <= in_from || out_from >= low.size()) continue;
        const auto run = resample(std::span<const float>(samples).subspan(static_cast<std::size_t>(in_from),
                                                                          static_cast<std::size_t>(in_to - in_from)),
                                  lpc_rate / 16000);
        const auto count = std::min(run.size(), low.size() - out_from);
        std::copy(run.begin(), run.begin() + static_cast<std::ptrdiff_t>(count),
                  low.begin() + static_cast<std::ptrdiff_t>(out_from));
    }
    return low;
}

}  // namespace

std::vector<std::complex<double>> polynomial_roots(const std::vector<double>& c) {
    const std::size_t n = c.size();
    std::vector<std::complex<double>> z(n);
    for (std::size_t i = 0; i < n; ++i) z[i] = std::pow(std::complex<double>(0.4, 0.9), static_cast<double>(i));
    auto p = [&](std::complex<double> x) {
        std::complex<double> v = 1;
        for (double k : c) v = v * x + k;
        return v;
    };
    for (int iteration = 0; iteration < 500; ++iteration) {
        double change = 0;
        for (std::size_t i = 0; i < n; ++i) {
            std::complex<double> denominator = 1;
            for (std::size_t j = 0; j < n; ++j)
                if (j != i) denominator *= z[i] - z[j];
            // Squared moduli rather than std::abs, whose hypot was a twentieth of the eGeMAPS pass.
            if (std::norm(denominator) < 1e-300) denominator = 1e-300;
            const auto step = p(z[i]) / denominator;
            z[i] -= step;
            change = std::max(change, std::norm(step));
        }
        if (change < 1e-24) break;
    }
    return z;
}

std::vector<FormantFrame> track_formants(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch,
                                         std::size_t first_frame) {
    const std::size_t frames = pitch.size();
    std::vector<FormantFrame> out(frames);
    if (samples.empty() || frames == 0) return out;
    // Where `samples` starts in the resampled recording: a whole number of samples at 11,025 Hz (asked of callers).
    const auto offset = static_cast<long>(first_frame / 4 * 441);
    const auto length = static_cast<std::size_t>(window_seconds * lpc_rate);
    const auto low = voiced_at_lpc_rate(samples, pitch, first_frame, offset, length);
    std::vector<double> hamming(length), frame(length), r(order + 1), a;
    for (std::size_t i = 0; i < length; ++i)
        hamming[i] = 0.54 - 0.46 * std::cos(2 * std::numbers::pi * static_cast<double>(i) / (length - 1));
    const double pre_emphasis = std::exp(-2 * std::numbers::pi * 50 / lpc_rate);
    for (std::size_t t = 0; t < frames; ++t) {
        if (pitch[t].f0_hz <= 0) continue;
        const long start = window_start(first_frame + t, length, offset);
        for (std::size_t i = 0; i < length; ++i) {
            const long n = start + static_cast<long>(i);
            const double x = n >= 0 && n < static_cast<long>(low.size()) ? low[static_cast<std::size_t>(n)] : 0.0;
            const double before =
                n >= 1 && n - 1 < static_cast<long>(low.size()) ? low[static_cast<std::size_t>(n - 1)] : 0.0;
            frame[i] = (x - pre_emphasis * before) * hamming[i];
        }
        for (int lag = 0; lag <= order; ++lag) {
            double sum = 0;
            for (std::size_t i = static_cast<std::size_t>(lag); i < length; ++i) sum += frame[i] * frame[i - lag];
            r[static_cast<std::size_t>(lag)] = sum;
        }
        if (!levinson(r, a)) continue;
        const auto roots = polynomial_roots(std::vector<double>(a.begin() + 1, a.end()));
        std::vector<std::pair<double, double>> resonances;
        for (const auto& z : roots) {
            if (z.imag() <= 0) continue;
            const double hz = std::arg(z) * lpc_rate / (2 * std::numbers::pi);
            const double bw = -std::log(std::abs(z)) * lpc_rate / std::numbers::pi;
            if (hz > min_formant_hz && hz < lpc_rate / 2 - 50 && bw > 0 && bw < max_bandwidth_hz)
                resonances.emplace_back(hz, bw);
        }
        std::sort(resonances.begin(), resonances.end());
        for (std::size_t k = 0; k < 3 && k < resonances.size(); ++k)
            out[t].frequency[k] = resonances[k].first, out[t].bandwidth[k] = resonances[k].second;
    }
    // Smoothed over the voiced frames among 3 where each has the formant.
    for (std::size_t k = 0; k < 3; ++k) {
        std::vector<double> frequency(frames), bandwidth(frames);
        std::vector<bool> found(frames);
        for (std::size_t t = 0; t < frames; ++t) {
            frequency[t] = out[t].frequency[k], bandwidth[t] = out[t].bandwidth[k];
            found[t] = frequency[t] > 0;
        }
        frequency = smooth3_present(frequency, found);
        bandwidth = smooth3_present(bandwidth, found);
        for (std::size_t t = 0; t < frames; ++t) out[t].frequency[k] = frequency[t], out[t].bandwidth[k] = bandwidth[t];
    }
    return out;
}

}  // namespace emo::speech
