#include "speech/egemaps_descriptors.hpp"

namespace emo::speech {

EgemapsDescriptors egemaps_descriptors(const std::vector<float>& samples) {
    EgemapsDescriptors d;
    d.frames = egemaps_frame_count(samples.size());
    d.raw_spectral = raw_spectral_descriptors(samples, spectral_frame_count(samples.size()));
    d.spectral = smooth_spectral_descriptors(d.raw_spectral);
    d.pitch = track_pitch(samples, d.frames);
    d.quality = voice_quality(samples, d.pitch);
    d.formants = track_formants(samples, d.pitch);
    d.perturbations = perturbation(samples, d.pitch);
    d.harmonics = harmonic_amplitudes(samples, d.pitch, d.formants);
    return d;
}

}  // namespace emo::speech
