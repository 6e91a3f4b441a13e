// Every frame-level descriptor of eGeMAPS for one recording, computed once: the functionals (speech/egemaps) and the
// frame-level output (speech/egemaps_lld) both read them.
#pragma once

#include "speech/formants.hpp"
#include "speech/harmonics.hpp"
#include "speech/perturbation.hpp"
#include "speech/pitch.hpp"
#include "speech/spectral_descriptors.hpp"
#include "speech/voice_quality.hpp"

#include <vector>

namespace emo::speech {

struct EgemapsDescriptors {
    std::size_t frames = 0;  // the pitch-frame grid (egemaps_frame_count): pitch and everything measured on it
    // Over every frame whose 20 ms window fits (spectral_frame_count, a few more than `frames`): unsmoothed and
    // smoothed over 3 frames.
    std::vector<SpectralFrame> raw_spectral, spectral;
    std::vector<PitchFrame> pitch;
    std::vector<VoiceQualityFrame> quality;
    std::vector<FormantFrame> formants;
    std::vector<PerturbationFrame> perturbations;
    std::vector<HarmonicFrame> harmonics;

    // Whether pitch frame t is voiced (the pitch tracker reports 0 semitones for unvoiced frames).
    bool voiced(std::size_t t) const { return pitch[t].semitones > 0; }
};

// The descriptors of 16 kHz mono audio.
EgemapsDescriptors egemaps_descriptors(const std::vector<float>& samples);

}  // namespace emo::speech
