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
    const EgemapsDescriptors d = egemaps_descriptors(samples);
    const std::size_t frames = d.frames;
    // The spectral descriptors' functionals cover every frame whose 20 ms window fits (a few more than `frames`).
    const std::size_t spectral_frames = d.spectral.size();
    std::vector<double> formant_hz[3], formant_bw[3], formant_amplitude[3], jitter, shimmer, h1_a3;
    std::vector<bool> voiced(frames);
    std::vector<double> hnr, h1_h2;
    std::vector<double> f0, loudness, flux, mfcc[4];
    // Voiced ("V") and unvoiced ("UV") versions of the spectral balance descriptors.
    std::vector<double> alpha_v, alpha_uv, hammarberg_v, hammarberg_uv, slope_lo_v, slope_lo_uv, slope_hi_v,
        slope_hi_uv, flux_v, flux_uv, mfcc_v[4];
    for (std::size_t t = 0; t < frames; ++t) {
        voiced[t] = d.voiced(t);
        jitter.push_back(d.perturbations[t].jitter_local);
        shimmer.push_back(d.perturbations[t].shimmer_local_db);
        h1_a3.push_back(d.harmonics[t].h1_a3_db);
        for (int k = 0; k < 3; ++k) formant_amplitude[k].push_back(d.harmonics[t].formant_amplitude_db[k]);
        if (voiced[t]) {
            f0.push_back(d.pitch[t].semitones);
            hnr.push_back(d.quality[t].hnr_db);
            h1_h2.push_back(d.quality[t].h1_h2_db);
            for (int k = 0; k < 3; ++k)
                if (d.formants[t].frequency[k] > 0) {
                    formant_hz[k].push_back(d.formants[t].frequency[k]);
                    formant_bw[k].push_back(d.formants[t].bandwidth[k]);
                }
        }
    }
    for (std::size_t t = 0; t < spectral_frames; ++t) {
        const auto& s = d.spectral[t];
        loudness.push_back(s.loudness);
        flux.push_back(s.spectral_flux);
        for (int k = 0; k < 4; ++k) mfcc[k].push_back(s.mfcc[k]);
        if (t < frames && voiced[t]) continue;
        // Unvoiced, or past the pitch frames.
        alpha_uv.push_back(s.alpha_ratio);
        hammarberg_uv.push_back(s.hammarberg);
        slope_lo_uv.push_back(s.slope_0_500);
        slope_hi_uv.push_back(s.slope_500_1500);
        flux_uv.push_back(s.spectral_flux);
    }
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
    alpha_v = voiced_smoothed([](const SpectralFrame& f) { return f.alpha_ratio; });
    hammarberg_v = voiced_smoothed([](const SpectralFrame& f) { return f.hammarberg; });
    slope_lo_v = voiced_smoothed([](const SpectralFrame& f) { return f.slope_0_500; });
    slope_hi_v = voiced_smoothed([](const SpectralFrame& f) { return f.slope_500_1500; });
    flux_v = voiced_smoothed([](const SpectralFrame& f) { return f.spectral_flux; });
    for (int k = 0; k < 4; ++k) mfcc_v[k] = voiced_smoothed([k](const SpectralFrame& f) { return f.mfcc[k]; });
    // In the order of openSMILE's eGeMAPSv02 functionals.
    Named out;
    // Slopes: F0 over its voiced frames joined end to end, with a fixed hysteresis in semitones; loudness with 10% of
    // its range (docs/speech.md).
    distribution(out, "F0semitoneFrom27.5Hz_sma3nz", f0, rising_falling_slopes(f0, f0_slope_hysteresis, 100));
    const auto loudness_slopes = rising_falling_slopes_relative(loudness, loudness_slope_hysteresis, 100);
    distribution(out, "loudness_sma3", loudness, loudness_slopes);
    mean_and_spread(out, "spectralFlux_sma3", flux);
    for (int k = 0; k < 4; ++k)
        mean_and_spread(out, std::string("mfcc").append(std::to_string(k + 1)).append("_sma3"), mfcc[k]);
    mean_and_spread(out, "jitterLocal_sma3nz", nonzero(jitter));
    mean_and_spread(out, "shimmerLocaldB_sma3nz", nonzero(shimmer));
    mean_and_spread(out, "HNRdBACF_sma3nz", hnr);
    mean_and_spread(out, "logRelF0-H1-H2_sma3nz", h1_h2);
    mean_and_spread(out, "logRelF0-H1-A3_sma3nz", nonzero(h1_a3));
    for (int k = 0; k < 3; ++k) {
        const std::string formant = std::string("F").append(std::to_string(k + 1));
        mean_and_spread(out, formant + "frequency_sma3nz", formant_hz[k]);
        mean_and_spread(out, formant + "bandwidth_sma3nz", formant_bw[k]);
        mean_and_spread(out, formant + "amplitudeLogRelF0_sma3nz", nonzero(formant_amplitude[k]));
    }
    mean_and_spread(out, "alphaRatioV_sma3nz", alpha_v);
    mean_and_spread(out, "hammarbergIndexV_sma3nz", hammarberg_v);
    mean_and_spread(out, "slopeV0-500_sma3nz", slope_lo_v);
    mean_and_spread(out, "slopeV500-1500_sma3nz", slope_hi_v);
    mean_and_spread(out, "spectralFluxV_sma3nz", flux_v);
    for (int k = 0; k < 4; ++k)
        mean_and_spread(out, std::string("mfcc").append(std::to_string(k + 1)).append("V_sma3nz"), mfcc_v[k]);
    out.emplace_back("alphaRatioUV_sma3nz_amean", functionals(alpha_uv).amean);
    out.emplace_back("hammarbergIndexUV_sma3nz_amean", functionals(hammarberg_uv).amean);
    out.emplace_back("slopeUV0-500_sma3nz_amean", functionals(slope_lo_uv).amean);
    out.emplace_back("slopeUV500-1500_sma3nz_amean", functionals(slope_hi_uv).amean);
    out.emplace_back("spectralFluxUV_sma3nz_amean", functionals(flux_uv).amean);

    // Rhythm: loudness peaks and voiced / unvoiced stretches per second of audio.
    const double seconds = static_cast<double>(samples.size()) / spectral_rate;
    out.emplace_back("loudnessPeaksPerSec", seconds > 0 ? static_cast<double>(loudness_slopes.peaks) / seconds : 0.0);
    const auto segments = voicing_segments(voiced);
    out.emplace_back("VoicedSegmentsPerSec",
                     segments.seconds > 0 ? static_cast<double>(segments.voiced.size()) / segments.seconds : 0.0);
    const auto v = functionals(segments.voiced), uv = functionals(segments.unvoiced);
    out.emplace_back("MeanVoicedSegmentLengthSec", v.amean);
    out.emplace_back("StddevVoicedSegmentLengthSec", v.stddev);
    out.emplace_back("MeanUnvoicedSegmentLength", uv.amean);
    out.emplace_back("StddevUnvoicedSegmentLength", uv.stddev);
    double energy = 0;
    for (float x : samples) energy += double(x) * x;
    out.emplace_back("equivalentSoundLevel_dBp",
                     10 * std::log10(std::max(energy / std::max<std::size_t>(samples.size(), 1), 1e-12)));
    return out;
}

}  // namespace emo::speech
