// Resampling of whole signals in memory (libsamplerate), for what works on short clips: the vocal-tract-length
// augmentation of the speech trainer. Streams from files are resampled by AudioStream.
#pragma once

#include <vector>

namespace emo::speech {

// `samples` resampled by `ratio` (output rate / input rate; 1.1 gives 10% more samples). Read back at the original
// rate, a ratio above 1 lowers pitch and formants and slows the speech down. Throws emo::Error when libsamplerate
// fails.
std::vector<float> resample(const std::vector<float>& samples, double ratio);

}  // namespace emo::speech
