// Every frame-level descriptor of eGeMAPS for one recording, computed once: the functionals (speech/egemaps) and the
// frame-level output (speech/egemaps_lld) both read them. Only what they need is kept, so that the descriptors of
// hours of audio fit in memory (about 160 bytes per 10 ms frame: 115 MB for two hours; speech/egemaps_stream).
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
    std::size_t samples = 0;  // of the recording, 16 kHz
    double energy = 0;        // sum of the squared samples
    std::size_t frames = 0;   // the pitch-frame grid (egemaps_frame_count): pitch and everything measured on it
    // Unsmoothed, over every frame whose 20 ms window fits (spectral_frame_count, a few more than `frames`).
    std::vector<SpectralFrame> raw_spectral;
    std::vector<double> semitones;  // F0 as PitchFrame::semitones: 0 on unvoiced frames
    std::vector<VoiceQualityFrame> quality;
    std::vector<FormantFrame> formants;
    std::vector<PerturbationFrame> perturbations;
    std::vector<HarmonicFrame> harmonics;

    // Whether pitch frame t is voiced (the pitch tracker reports 0 semitones for unvoiced frames).
    bool voiced(std::size_t t) const { return semitones[t] > 0; }
    // Spectral frame t smoothed over 3 frames, as smooth_spectral_descriptors smooths it.
    SpectralFrame spectral(std::size_t t) const;
};

// The descriptors of 16 kHz mono audio.
EgemapsDescriptors egemaps_descriptors(const std::vector<float>& samples);

}  // namespace emo::speech
