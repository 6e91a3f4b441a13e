#include "speech/egemaps_descriptors.hpp"

#include <algorithm>

namespace emo::speech {

SpectralFrame EgemapsDescriptors::spectral(std::size_t t) const {
    const std::size_t n = raw_spectral.size();
    return smooth_spectral_frame(raw_spectral[t == 0 ? 0 : t - 1], raw_spectral[t], raw_spectral[std::min(n - 1, t + 1)]);
}

EgemapsDescriptors egemaps_descriptors(const std::vector<float>& samples) {
    EgemapsDescriptors d;
    d.samples = samples.size();
    for (float x : samples) d.energy += double(x) * x;
    d.frames = egemaps_frame_count(samples.size());
    d.raw_spectral = raw_spectral_descriptors(samples, spectral_frame_count(samples.size()));
    const auto pitch = track_pitch(samples, d.frames);
    for (const auto& p : pitch) d.semitones.push_back(p.semitones);
    d.quality = voice_quality(samples, pitch);
    d.formants = track_formants(samples, pitch);
    d.perturbations = perturbation(samples, pitch);
    d.harmonics = harmonic_amplitudes(samples, pitch, d.formants);
    return d;
}

}  // namespace emo::speech
