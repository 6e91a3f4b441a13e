// Fundamental frequency by subharmonic summation (Hermes 1988), the pitch method eGeMAPS names, on the eGeMAPS frame
// grid (work in progress, issue 6). Each 10 ms frame: the square root of a 60 ms Gaussian-windowed magnitude spectrum,
// resampled on a log-frequency axis (48 points per octave, weighted by an arc-tangent auditory sensitivity curve);
// every candidate F0 from 55 to 1000 Hz sums it at its first 10 harmonics with weights 0.75^(n-1); the best candidate
// wins. A frame can be voiced when it is not near-silent (RMS at least 0.0015) and its best candidate is at least
// 70 Hz (below, it is low-frequency noise far more often than voice); which of these are voiced is the cheapest path
// of a two-state Viterbi in which a voiced frame gains its salience (best sum over the mean over candidates) above
// 1.9 and each voiced / unvoiced change costs 0.05. All fitted to openSMILE's voicing and functionals over 1,200
// RAVDESS files (docs/speech.md).
#pragma once

#include "speech/voicing_path.hpp"

#include <cstddef>
#include <vector>

namespace emo::speech {

struct PitchFrame {
    double f0_hz = 0;      // 0 when unvoiced
    double semitones = 0;  // 12 log2(F0 / 27.5 Hz), smoothed over the voiced frames among 3 ("_sma3nz"); 0 unvoiced
    double salience = 0;   // the best candidate's harmonic sum over the mean of all candidates
};

// The pitch tracker's analysis window of `length` samples: a Gaussian with sigma 0.4 of the half-length. Voice quality
// and the harmonic levels measure on the same window, as openSMILE's output shows.
std::vector<double> gaussian_window(std::size_t length);

// Pitch of frames 0..frames-1 of 16 kHz mono audio (frame t covers samples [t*160, t*160+960)).
std::vector<PitchFrame> track_pitch(const std::vector<float>& samples, std::size_t frames);

// The steps of track_pitch, for tracking a recording block by block (speech/egemaps_stream): each frame's best
// candidate on its own (f0_hz set where the frame may be voiced, salience; semitones 0), ...
std::vector<PitchFrame> pitch_candidates(const std::vector<float>& samples, std::size_t frames);
// ... the voicing decision over the candidates (frames it leaves unvoiced get f0_hz 0), ...
VoicingPath voicing_path();
// ... and the semitones of the voiced frames, smoothed over the voiced frames among 3.
void set_semitones(std::vector<PitchFrame>& frames);

}  // namespace emo::speech
