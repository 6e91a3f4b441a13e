// Voice quality descriptors of voiced frames, fitted to openSMILE 3.0.2's frame-level output (docs/speech.md), both on
// the pitch tracker's 60 ms Gaussian window: the harmonics-to-noise ratio from the highest autocorrelation peak
// (HNRdBACF) and openSMILE's "H1-H2" (logRelF0-H1-H2), which follows the levels at 2 F0 and 3 F0.
#pragma once

#include "speech/pitch.hpp"

#include <cstddef>
#include <vector>

namespace emo::speech {

struct VoiceQualityFrame {
    // 10 log10(r / (1 - r)), r the highest autocorrelation of the windowed frame over lags 1-30 ms relative to lag 0
    // (the window's taper left in); 0 unvoiced
    double hnr_db = 0;
    double h1_h2_db = 0;  // 20 log10 of the spectrum's peak near 2 F0 over its peak near 3 F0 (+-10%); 0 unvoiced
};

// The descriptors of the frames of `pitch` (same grid: frame t covers samples [t*160, t*160+960)), each smoothed
// over the voiced frames among 3.
std::vector<VoiceQualityFrame> voice_quality(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch);

}  // namespace emo::speech
