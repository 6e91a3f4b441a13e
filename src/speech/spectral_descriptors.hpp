// The spectral low-level descriptors of eGeMAPS, frame by frame (work in progress, issue 6): loudness, alpha ratio,
// Hammarberg index, spectral slopes 0-500 Hz and 500-1500 Hz, spectral flux and MFCC 1-4, from 20 ms Hamming
// windows every 10 ms of 16 kHz audio, each smoothed over 3 frames as eGeMAPS does (the "_sma3" of its names).
// docs/speech.md lists how close each comes to openSMILE's output so far.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace emo::speech {

struct SpectralFrame {
    float loudness = 0;         // sum over 22 critical bands of (equal-loudness weighted power)^0.33
    float alpha_ratio = 0;      // dB: energy 1-5 kHz over 0-1 kHz
    float hammarberg = 0;       // dB: strongest bin 0-2 kHz over strongest bin 2-5 kHz
    float slope_0_500 = 0;      // dB/Hz: regression slope of the log power spectrum, 0-500 Hz
    float slope_500_1500 = 0;   // dB/Hz, 500-1500 Hz
    float spectral_flux = 0;    // root of the mean squared change of the magnitude spectrum 0-5 kHz since the last frame
    std::array<float, 4> mfcc{};  // MFCC 1-4 as HTK: 26 mel bands 20 Hz-8 kHz, natural log, DCT-II, lifter 22
};

inline constexpr int spectral_rate = 16000;
inline constexpr std::size_t spectral_hop = 160;     // 10 ms
inline constexpr std::size_t spectral_window = 320;  // 20 ms

// The descriptors of frames 0..frames-1 of 16 kHz mono audio (frame t covers samples [t*160, t*160+320); samples
// past the end count as zero), smoothed over 3 frames (the first and last frame stand in for their missing
// neighbour).
std::vector<SpectralFrame> spectral_descriptors(const std::vector<float>& samples, std::size_t frames);

// The same descriptors before smoothing: eGeMAPS' voiced versions ("V ... _sma3nz") smooth these over the voiced
// frames only.
std::vector<SpectralFrame> raw_spectral_descriptors(const std::vector<float>& samples, std::size_t frames);

// `frames` smoothed over 3 frames as spectral_descriptors does.
std::vector<SpectralFrame> smooth_spectral_descriptors(const std::vector<SpectralFrame>& frames);

// One frame smoothed with its neighbours (at an edge, the frame itself stands in for the missing one).
SpectralFrame smooth_spectral_frame(const SpectralFrame& before, const SpectralFrame& frame, const SpectralFrame& after);

// The number of 10 ms frames over which eGeMAPS takes the functionals of the spectral descriptors: every frame whose
// 20 ms window lies inside the samples (openSMILE 3.0.2's functionals cover these, a few more than its LLD output).
std::size_t spectral_frame_count(std::size_t samples);

// The number of 10 ms frames eGeMAPS reports for `samples` samples at 16 kHz (as openSMILE 3.0.2 counts them).
std::size_t egemaps_frame_count(std::size_t samples);

}  // namespace emo::speech
