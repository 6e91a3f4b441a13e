// The speech emotion features (speech/emotion_features) of a recording of any length, in bounded memory, from two
// passes over its audio. The frames that count are those within 40 dB of the recording's loudest, which is known only
// at the end: the first pass finds it (and the range of every mel and MFCC value, for the histograms); the second
// selects the same frames as the recording analysed at once and gathers their statistics value by value
// (speech/streaming_statistics), while the eGeMAPS functionals are streamed (speech/egemaps_stream). Means, spreads,
// skewness and kurtosis agree with the recording at once to rounding; the percentiles come from histograms and differ
// by a small part of a bin (docs/speech.md). Memory: the histograms (18 MB) and the eGeMAPS frame descriptors.
#pragma once

#include "speech/egemaps_stream.hpp"
#include "speech/feature_batch.hpp"
#include "speech/mel_frames.hpp"
#include "speech/streaming_statistics.hpp"

#include <cstddef>
#include <deque>
#include <vector>

namespace emo::speech {

class EmotionFeatureStream : public StreamedFeatures {
public:
    // The next 16 kHz mono samples, in any block sizes.
    void push(const float* samples, std::size_t count) override;
    // After the first pass: true, and the recording is to be pushed once more from its start; after the second: false.
    bool another_pass() override;
    // The features (emotion_feature_names() order) once both passes are pushed; the stream is spent.
    std::vector<double> finish() override;

private:
    void analyse_frames();                             // every frame whose window has arrived
    void survey(const LogMel& log_mel, double level);  // first pass
    void gather(const LogMel& log_mel);                // second pass, frames that carry the voice

    int pass_ = 1;
    std::vector<float> buffer_;
    std::size_t origin_ = 0;      // the recording's sample index of buffer_[0]
    std::size_t next_frame_ = 0;  // in this pass
    MelFrameAnalyser analyser_;

    // First pass: the loudest frame and the range of each value over all frames.
    double loudest_ = 0;
    std::size_t frames_ = 0;
    LogMel mel_low_{}, mel_high_{}, shape_low_{}, shape_high_{};
    Cepstrum mfcc_low_{}, mfcc_high_{};

    // Second pass: the statistics of each feature column (mel, shape, MFCC, 10 ms and 30 ms changes) and the last
    // MFCCs of voice frames that the changes are taken from.
    std::vector<StreamingStatistics> statistics_;
    std::deque<Cepstrum> recent_mfcc_;
    EgemapsStream egemaps_;
};

}  // namespace emo::speech
