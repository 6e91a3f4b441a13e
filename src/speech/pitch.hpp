// Fundamental frequency by subharmonic summation (Hermes 1988), the pitch method eGeMAPS names, on the eGeMAPS frame
// grid (work in progress, issue 6). Each 10 ms frame: a 60 ms Gaussian-windowed magnitude spectrum resampled on a
// log-frequency axis (48 points per octave, weighted by an arc-tangent auditory sensitivity curve); every candidate
// F0 from 55 to 1000 Hz sums the spectrum at its first 15 harmonics with weights 0.84^(n-1); the best candidate
// wins. A frame is voiced when that best sum stands out (at least 3 times the mean over candidates) and the frame is
// not near-silent (RMS at least 0.002): thresholds chosen on the five reference files (docs/speech.md).
#pragma once

#include <cstddef>
#include <vector>

namespace emo::speech {

struct PitchFrame {
    double f0_hz = 0;      // 0 when unvoiced
    double semitones = 0;  // 12 log2(F0 / 27.5 Hz), smoothed over the voiced frames among 3 ("_sma3nz"); 0 unvoiced
    double salience = 0;   // the best candidate's harmonic sum over the mean of all candidates
};

// Pitch of frames 0..frames-1 of 16 kHz mono audio (frame t covers samples [t*160, t*160+960)).
std::vector<PitchFrame> track_pitch(const std::vector<float>& samples, std::size_t frames);

}  // namespace emo::speech
