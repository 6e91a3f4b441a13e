// Jitter and shimmer of voiced frames, the perturbation descriptors of eGeMAPS (jitterLocal_sma3nz,
// shimmerLocaldB_sma3nz). Within each voiced frame the glottal periods are followed by waveform matching: starting at
// the frame's strongest excursion, each next period is the lag (0.8-1.25 times the current period, refined between
// samples by a parabola) at which the waveform best matches the period before it (normalised cross-correlation), so
// a period boundary sits where the wave repeats rather than at whichever sample happens to peak. Then, as Praat
// defines them:
//   jitter (local)     = mean |T(i+1) - T(i)| / mean T(i) over consecutive periods T,
//   shimmer (local dB) = mean |20 log10(A(i+1) / A(i))| over the peak-to-peak amplitudes A of consecutive periods.
// Periods are followed through each run of voiced frames at once; a frame's jitter and shimmer come from the periods
// lying wholly inside it, and need at least 3.
#pragma once

#include "speech/pitch.hpp"

#include <cstddef>
#include <vector>

namespace emo::speech {

struct GlottalPeriod {
    double start = 0;      // sample position of the period's anchor
    double length = 0;     // samples to the next period's anchor
    double amplitude = 0;  // peak-to-peak amplitude within half a period either side of the anchor
};

struct PerturbationFrame {
    double jitter_local = 0;      // fraction of the mean period; 0 when unvoiced or too few periods
    double shimmer_local_db = 0;  // dB; 0 when unvoiced or too few periods
};

// The consecutive periods of x[0, n) near `period_guess` samples; stops where the match falls below 0.5 or peaks
// at the edge of the search (the wave no longer repeats), or where the signal ends.
std::vector<GlottalPeriod> glottal_periods(const float* x, std::size_t n, double period_guess);

// Jitter (local) of `periods`: 0 for fewer than 3.
double jitter_local(const std::vector<GlottalPeriod>& periods);

// Shimmer (local, dB) of `periods`: 0 for fewer than 3.
double shimmer_local_db(const std::vector<GlottalPeriod>& periods);

// Jitter and shimmer of the frames of `pitch`, each smoothed over the frames among 3 where it was measured
// ("_sma3nz"). As in openSMILE's output, frame t reports the periods of frame t-3 (samples [(t-3)*160, (t-3)*160+960))
// and only when frame t is voiced, so the first 3 frames of a voiced run hold 0.
std::vector<PerturbationFrame> perturbation(const std::vector<float>& samples, const std::vector<PitchFrame>& pitch);

}  // namespace emo::speech
