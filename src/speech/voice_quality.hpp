// Voice quality descriptors of voiced frames (work in progress, issue 6): the harmonics-to-noise ratio from the
// normalised autocorrelation at the pitch period, and the level difference of the first two harmonics (H1-H2).
#pragma once

#include "speech/pitch.hpp"

#include <cstddef>
#include <vector>

namespace emo::speech {

struct VoiceQualityFrame {
    double hnr_db = 0;    // 10 log10(r / (1 - r)), r the normalised autocorrelation at the period; 0 unvoiced
    double h1_h2_db = 0;  // 20 log10 of the spectrum's peak at F0 over its peak at 2 F0; 0 unvoiced
};

// The descriptors of the frames of `pitch` (same grid: frame t covers samples [t*160, t*160+960)), each smoothed
// over the voiced frames among 3.
std::vector<VoiceQualityFrame> voice_quality(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch);

}  // namespace emo::speech
