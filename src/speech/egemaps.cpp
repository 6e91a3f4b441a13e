#include "speech/egemaps.hpp"

#include "speech/egemaps_descriptors.hpp"
#include "speech/functionals.hpp"
#include "speech/slopes.hpp"
#include "speech/smoothing.hpp"

#include <cmath>

namespace emo::speech {

namespace {

using Named = std::vector<std::pair<std::string, double>>;

// Hysteresis of the turning points of the contours (speech/slopes.hpp): chosen against openSMILE's functionals over
// the 1,200 RAVDESS files (docs/speech.md).
constexpr double f0_slope_hysteresis = 0.5;        // semitones
constexpr double loudness_slope_hysteresis = 0.1;  // of the file's loudness range

void mean_and_spread(Named& out, const std::string& name, const std::vector<double>& values) {
    const auto f = functionals(values);
    out.emplace_back(name + "_amean", f.amean);
    out.emplace_back(name + "_stddevNorm", f.stddev_norm);
}

// The distribution and the rising / falling slopes of a contour (F0 over its voiced frames, loudness over all).
void distribution(Named& out, const std::string& name, const std::vector<double>& values, const Slopes& slopes) {
    const auto f = functionals(values);
    out.emplace_back(name + "_amean", f.amean);
    out.emplace_back(name + "_stddevNorm", f.stddev_norm);
    out.emplace_back(name + "_percentile20.0", f.percentile20);
    out.emplace_back(name + "_percentile50.0", f.percentile50);
    out.emplace_back(name + "_percentile80.0", f.percentile80);
    out.emplace_back(name + "_pctlrange0-2", f.pctlrange);
    out.emplace_back(name + "_meanRisingSlope", slopes.mean_rising);
    out.emplace_back(name + "_stddevRisingSlope", slopes.stddev_rising);
    out.emplace_back(name + "_meanFallingSlope", slopes.mean_falling);
    out.emplace_back(name + "_stddevFallingSlope", slopes.stddev_falling);
}

// The values other than 0: openSMILE's functionals of "_sma3nz" descriptors skip frames holding 0.
std::vector<double> nonzero(const std::vector<double>& values) {
    std::vector<double> out;
    for (double v : values)
        if (v != 0) out.push_back(v);
    return out;
}

}  // namespace

// openSMILE's own frame-level F0 (non-zero = voiced) reproduces its rhythm functionals with these rules to 4 digits
// on the five reference files (docs/speech.md).
VoicingSegments voicing_segments(const std::vector<bool>& voiced) {
    VoicingSegments s;
    if (voiced.size() < 3) return s;
    std::vector<std::pair<bool, std::size_t>> runs;  // (voiced, frames)
    for (std::size_t t = 1; t + 1 < voiced.size(); ++t) {
        if (!runs.empty() && runs.back().first == voiced[t])
            ++runs.back().second;
        else
            runs.emplace_back(voiced[t], 1);
    }
    s.seconds = 0.01 * static_cast<double>(voiced.size() - 2);
    auto length = [](std::size_t frames) { return 0.01 * static_cast<double>(frames - 1); };
    for (const auto& [is_voiced, frames] : runs)
        if (!is_voiced && frames >= 3) s.unvoiced.push_back(length(frames));
    std::size_t current = 0;  // frames of the voiced segment under way
    for (std::size_t k = 0; k < runs.size(); ++k) {
        const auto& [is_voiced, frames] = runs[k];
        if (is_voiced) {
            current += frames;
        } else if (frames == 1 && current > 0 && k + 1 < runs.size()) {
            ++current;  // bridged: the next run is voiced
        } else if (current > 0) {
            s.voiced.push_back(length(current)), current = 0;
        }
    }
    if (current > 0) s.voiced.push_back(length(current));
    return s;
}

const std::vector<std::string>& egemaps_functional_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& [name, value] : egemaps_functionals(std::vector<float>(spectral_rate, 0.0f)))
            out.push_back(name);
        return out;
    }();
    return names;
}

std::vector<std::pair<std::string, double>> egemaps_functionals(const std::vector<float>& samples) {
    return egemaps_functionals(egemaps_descriptors(samples));
}

std::vector<std::pair<std::string, double>> egemaps_functionals(const EgemapsDescriptors& d) {
    const std::size_t frames = d.frames;
    // The spectral descriptors' functionals cover every frame whose 20 ms window fits (a few more than `frames`).
    const std::size_t spectral_frames = d.raw_spectral.size();
    std::vector<bool> voiced(frames);
    for (std::size_t t = 0; t < frames; ++t) voiced[t] = d.voiced(t);
    // Each descriptor's values are gathered just before its functionals and dropped after them, so that a long
    // recording holds one descriptor's values at a time beside its frames.
    auto pitch_column = [&](auto keep, auto value) {
        std::vector<double> out;
        for (std::size_t t = 0; t < frames; ++t)
            if (keep(t)) out.push_back(value(t));
        return out;
    };
    auto is_voiced = [&](std::size_t t) { return bool(voiced[t]); };
    auto any = [](std::size_t) { return true; };
    auto spectral_column = [&](auto field, bool unvoiced_only) {
        std::vector<double> out;
        for (std::size_t t = 0; t < spectral_frames; ++t)
            if (!unvoiced_only || t >= frames || !voiced[t]) out.push_back(field(d.spectral(t)));
        return out;
    };
    // The voiced versions smooth the unsmoothed descriptors over the voiced frames among 3 ("_sma3nz"), which matches
    // openSMILE's functionals exactly where the voicing agrees (docs/speech.md).
    auto voiced_smoothed = [&](auto field) {
        std::vector<double> values(frames, 0.0);
        for (std::size_t t = 0; t < frames && t < spectral_frames; ++t) values[t] = field(d.raw_spectral[t]);
        std::vector<double> out;
        const auto smoothed = smooth3_present(values, voiced);
        for (std::size_t t = 0; t < frames && t < spectral_frames; ++t)
            if (voiced[t]) out.push_back(smoothed[t]);
        return out;
    };
    auto alpha = [](const SpectralFrame& f) { return f.alpha_ratio; };
    auto hammarberg = [](const SpectralFrame& f) { return f.hammarberg; };
    auto slope_lo = [](const SpectralFrame& f) { return f.slope_0_500; };
    auto slope_hi = [](const SpectralFrame& f) { return f.slope_500_1500; };
    auto flux = [](const SpectralFrame& f) { return f.spectral_flux; };
    auto mfcc = [](int k) { return [k](const SpectralFrame& f) { return f.mfcc[k]; }; };

    // In the order of openSMILE's eGeMAPSv02 functionals.
    Named out;
    // Slopes: F0 over its voiced frames joined end to end, with a fixed hysteresis in semitones; loudness with 10% of
    // its range (docs/speech.md).
    {
        const auto f0 = pitch_column(is_voiced, [&](std::size_t t) { return d.semitones[t]; });
        distribution(out, "F0semitoneFrom27.5Hz_sma3nz", f0, rising_falling_slopes(f0, f0_slope_hysteresis, 100));
    }
    Slopes loudness_slopes;
    {
        const auto loudness = spectral_column([](const SpectralFrame& f) { return f.loudness; }, false);
        loudness_slopes = rising_falling_slopes_relative(loudness, loudness_slope_hysteresis, 100);
        distribution(out, "loudness_sma3", loudness, loudness_slopes);
    }
    mean_and_spread(out, "spectralFlux_sma3", spectral_column(flux, false));
    for (int k = 0; k < 4; ++k)
        mean_and_spread(out, std::string("mfcc").append(std::to_string(k + 1)).append("_sma3"),
                        spectral_column(mfcc(k), false));
    mean_and_spread(out, "jitterLocal_sma3nz",
                    nonzero(pitch_column(any, [&](std::size_t t) { return d.perturbations[t].jitter_local; })));
    mean_and_spread(out, "shimmerLocaldB_sma3nz",
                    nonzero(pitch_column(any, [&](std::size_t t) { return d.perturbations[t].shimmer_local_db; })));
    mean_and_spread(out, "HNRdBACF_sma3nz", pitch_column(is_voiced, [&](std::size_t t) { return d.quality[t].hnr_db; }));
    mean_and_spread(out, "logRelF0-H1-H2_sma3nz",
                    pitch_column(is_voiced, [&](std::size_t t) { return d.quality[t].h1_h2_db; }));
    mean_and_spread(out, "logRelF0-H1-A3_sma3nz",
                    nonzero(pitch_column(any, [&](std::size_t t) { return d.harmonics[t].h1_a3_db; })));
    for (std::size_t k = 0; k < 3; ++k) {
        const std::string formant = std::string("F").append(std::to_string(k + 1));
        auto found = [&](std::size_t t) { return voiced[t] && d.formants[t].frequency[k] > 0; };
        mean_and_spread(out, formant + "frequency_sma3nz",
                        pitch_column(found, [&](std::size_t t) { return d.formants[t].frequency[k]; }));
        mean_and_spread(out, formant + "bandwidth_sma3nz",
                        pitch_column(found, [&](std::size_t t) { return d.formants[t].bandwidth[k]; }));
        mean_and_spread(out, formant + "amplitudeLogRelF0_sma3nz",
                        nonzero(pitch_column(any, [&](std::size_t t) { return d.harmonics[t].formant_amplitude_db[k]; })));
    }
    mean_and_spread(out, "alphaRatioV_sma3nz", voiced_smoothed(alpha));
    mean_and_spread(out, "hammarbergIndexV_sma3nz", voiced_smoothed(hammarberg));
    mean_and_spread(out, "slopeV0-500_sma3nz", voiced_smoothed(slope_lo));
    mean_and_spread(out, "slopeV500-1500_sma3nz", voiced_smoothed(slope_hi));
    mean_and_spread(out, "spectralFluxV_sma3nz", voiced_smoothed(flux));
    for (int k = 0; k < 4; ++k)
        mean_and_spread(out, std::string("mfcc").append(std::to_string(k + 1)).append("V_sma3nz"),
                        voiced_smoothed(mfcc(k)));
    // Unvoiced, or past the pitch frames.
    out.emplace_back("alphaRatioUV_sma3nz_amean", functionals(spectral_column(alpha, true)).amean);
    out.emplace_back("hammarbergIndexUV_sma3nz_amean", functionals(spectral_column(hammarberg, true)).amean);
    out.emplace_back("slopeUV0-500_sma3nz_amean", functionals(spectral_column(slope_lo, true)).amean);
    out.emplace_back("slopeUV500-1500_sma3nz_amean", functionals(spectral_column(slope_hi, true)).amean);
    out.emplace_back("spectralFluxUV_sma3nz_amean", functionals(spectral_column(flux, true)).amean);

    // Rhythm: loudness peaks and voiced / unvoiced stretches per second of audio.
    const double seconds = static_cast<double>(d.samples) / spectral_rate;
    out.emplace_back("loudnessPeaksPerSec", seconds > 0 ? static_cast<double>(loudness_slopes.peaks) / seconds : 0.0);
    const auto segments = voicing_segments(voiced);
    out.emplace_back("VoicedSegmentsPerSec",
                     segments.seconds > 0 ? static_cast<double>(segments.voiced.size()) / segments.seconds : 0.0);
    const auto v = functionals(segments.voiced), uv = functionals(segments.unvoiced);
    out.emplace_back("MeanVoicedSegmentLengthSec", v.amean);
    out.emplace_back("StddevVoicedSegmentLengthSec", v.stddev);
    out.emplace_back("MeanUnvoicedSegmentLength", uv.amean);
    out.emplace_back("StddevUnvoicedSegmentLength", uv.stddev);
    out.emplace_back("equivalentSoundLevel_dBp",
                     10 * std::log10(std::max(d.energy / std::max<std::size_t>(d.samples, 1), 1e-12)));
    return out;
}

}  // namespace emo::speech
