// The acoustic features the speech emotion model reads from one recording: statistics of the log mel spectrum, of its
// shape (the level of each frame removed), of the MFCCs and of their changes over 10 and 30 ms, over the frames that
// carry the voice, followed by the 88 eGeMAPS functionals. The mel and MFCC statistics describe timbre and
// articulation in more detail than eGeMAPS' four MFCCs; together they reach a higher unweighted recall on RAVDESS than
// either alone (docs/speech_emotion.md). The length of the recording and its share of silence are left out on
// purpose: in RAVDESS they mostly measure how each clip was cut, and speech segments are cut differently. Recordings
// too long to hold whole: speech/emotion_feature_stream.
#pragma once

#include "speech/mel_frames.hpp"

#include <string>
#include <utility>
#include <vector>

namespace emo::speech {

// The name of every feature, in the order emotion_features() returns them ("mel07_p50", "mfcc03_std", "dmfcc12_mean",
// ..., then the eGeMAPS names).
const std::vector<std::string>& emotion_feature_names();

// The features of 16 kHz mono audio. Always finite: a recording too short for a frame gives statistics of nothing (0),
// and eGeMAPS' stddevNorm functionals, which explode where a mean is near 0, are clipped to [-1000, 1000].
std::vector<double> emotion_features(const std::vector<float>& samples);

// How the 88 eGeMAPS functionals enter the features (after the mel and MFCC statistics): non-finite values as 0,
// stddevNorm values clipped to [-1000, 1000]. Shared with the streaming pass (speech/emotion_feature_stream).
void append_egemaps_features(const std::vector<std::pair<std::string, double>>& functionals, std::vector<double>& out);

inline constexpr std::size_t slow_delta_frames = 3;  // the second delta block: the change over 30 ms

// The MFCC change between two voice frames (the delta blocks): now - before.
Cepstrum cepstrum_change(const Cepstrum& now, const Cepstrum& before);

// A fixed 2-second synthetic voice (harmonics of a gliding pitch, syllable-like level changes, a little noise): its
// features, stored with a trained model, tell whether the model's features are still the ones this build computes.
std::vector<float> reference_signal();

}  // namespace emo::speech
