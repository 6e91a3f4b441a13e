#include "speech/egemaps_lld.hpp"

#include "speech/egemaps_descriptors.hpp"

namespace emo::speech {

const std::vector<std::string>& egemaps_lld_names() {
    static const std::vector<std::string> names = {"Loudness_sma3",
                                                   "alphaRatio_sma3",
                                                   "hammarbergIndex_sma3",
                                                   "slope0-500_sma3",
                                                   "slope500-1500_sma3",
                                                   "spectralFlux_sma3",
                                                   "mfcc1_sma3",
                                                   "mfcc2_sma3",
                                                   "mfcc3_sma3",
                                                   "mfcc4_sma3",
                                                   "F0semitoneFrom27.5Hz_sma3nz",
                                                   "jitterLocal_sma3nz",
                                                   "shimmerLocaldB_sma3nz",
                                                   "HNRdBACF_sma3nz",
                                                   "logRelF0-H1-H2_sma3nz",
                                                   "logRelF0-H1-A3_sma3nz",
                                                   "F1frequency_sma3nz",
                                                   "F1bandwidth_sma3nz",
                                                   "F1amplitudeLogRelF0_sma3nz",
                                                   "F2frequency_sma3nz",
                                                   "F2bandwidth_sma3nz",
                                                   "F2amplitudeLogRelF0_sma3nz",
                                                   "F3frequency_sma3nz",
                                                   "F3bandwidth_sma3nz",
                                                   "F3amplitudeLogRelF0_sma3nz"};
    return names;
}

std::vector<LldFrame> egemaps_lld(const std::vector<float>& samples) { return egemaps_lld(egemaps_descriptors(samples)); }

std::vector<LldFrame> egemaps_lld(const EgemapsDescriptors& d) {
    const std::size_t frames = d.frames;
    // Spectral rows are smoothed over all the frames whose window fits, as the functionals see them, and cut to the
    // pitch frames: the last rows are smoothed with their real successors, not with themselves.
    std::vector<LldFrame> out(frames);
    for (std::size_t t = 0; t < frames; ++t) {
        const auto s = d.spectral(t);
        const bool voiced = d.voiced(t);
        out[t] = {s.loudness,
                  s.alpha_ratio,
                  s.hammarberg,
                  s.slope_0_500,
                  s.slope_500_1500,
                  s.spectral_flux,
                  s.mfcc[0],
                  s.mfcc[1],
                  s.mfcc[2],
                  s.mfcc[3],
                  d.semitones[t],
                  d.perturbations[t].jitter_local,
                  d.perturbations[t].shimmer_local_db,
                  voiced ? d.quality[t].hnr_db : 0.0,
                  voiced ? d.quality[t].h1_h2_db : 0.0,
                  d.harmonics[t].h1_a3_db};
        for (std::size_t k = 0; k < 3; ++k) {
            out[t][16 + 3 * k] = voiced ? d.formants[t].frequency[k] : 0.0;
            out[t][17 + 3 * k] = voiced ? d.formants[t].bandwidth[k] : 0.0;
            out[t][18 + 3 * k] = d.harmonics[t].formant_amplitude_db[k];
        }
    }
    return out;
}

}  // namespace emo::speech
