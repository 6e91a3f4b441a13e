// Resampling of signals in memory (libsamplerate's SRC_SINC_FASTEST): the vocal-tract-length augmentation of the
// speech trainer, and the formants' 11,025 Hz signal. Streams from files are resampled by AudioStream.
#pragma once

#include <span>
#include <vector>

namespace emo::speech {

// `samples` resampled by `ratio` (output rate / input rate; 1.1 gives 10% more samples). Read back at the original
// rate, a ratio above 1 lowers pitch and formants and slows the speech down. Throws emo::Error when libsamplerate
// fails.
std::vector<float> resample(std::span<const float> samples, double ratio);

}  // namespace emo::speech
