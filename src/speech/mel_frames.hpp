// The frame analysis behind the speech emotion features (speech/emotion_features): 25 ms Hamming windows every 10 ms
// at 16 kHz, each frame's level and its 40 log mel-band energies, and from those the MFCCs. One implementation for
// the recording analysed at once and for the streaming pass over long recordings (speech/emotion_feature_stream), so
// that both see bit for bit the same frames.
#pragma once

#include "speech/real_fft.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace emo::speech {

inline constexpr std::size_t mel_window = 400, mel_hop = 160;  // samples at 16 kHz: 25 ms every 10 ms
inline constexpr std::size_t mel_bands = 40, mel_cepstra = 20;
// Frames more than this far below the loudest frame of the recording are pauses and leading / trailing silence: their
// spectra say nothing about the voice.
inline constexpr double voice_range_db = 40;

using LogMel = std::array<double, mel_bands>;
using Cepstrum = std::array<double, mel_cepstra>;

class MelFrameAnalyser {
public:
    MelFrameAnalyser();
    MelFrameAnalyser(const MelFrameAnalyser&) = delete;
    MelFrameAnalyser& operator=(const MelFrameAnalyser&) = delete;

    // The frame samples[start, start + mel_window) (which must lie inside `samples`): its natural-log mel-band
    // energies into `log_mel`; returns its level in dB (mean power, not windowed).
    double analyse(const std::vector<float>& samples, std::size_t start, LogMel& log_mel);

private:
    std::vector<double> hamming_;
    RealFft fft_;
};

// The number of whole frames in `samples` samples.
std::size_t mel_frame_count(std::size_t samples);

// The orthonormal DCT-II of a log mel spectrum, its first mel_cepstra coefficients.
Cepstrum mel_cepstrum(const LogMel& log_mel);

// The log mel spectrum less its mean over the bands: its shape, with the frame's level gone.
LogMel mel_shape(const LogMel& log_mel);

}  // namespace emo::speech
