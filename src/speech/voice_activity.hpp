// Energy-based voice activity detection: cuts a long recording into speech segments with start and end times.
// Streaming: samples go in block by block, finished segments come out, memory stays bounded (docs/speech.md gives
// the thresholds and why).
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

namespace emo::speech {

struct Segment {
    double start = 0, end = 0;  // seconds from the start of the recording
};

struct VadOptions {
    double frame_seconds = 0.025;  // analysis window
    double hop_seconds = 0.010;    // one decision every 10 ms
    double min_level_db = -50;     // frames quieter than this (RMS, dB re full scale) are never speech
    double above_noise_db = 12;    // speech stands at least this far above the noise floor
    double noise_window_seconds = 10;  // the noise floor is the 10th percentile of the levels over this window
    double min_speech_seconds = 0.25;  // shorter bursts (clicks, coughs) are dropped
    double max_gap_seconds = 0.30;     // pauses shorter than this stay inside a segment
    double max_segment_seconds = 30;   // longer stretches of speech are cut into pieces of this length
};

class EnergyVad {
public:
    explicit EnergyVad(int sample_rate, const VadOptions& options = {});

    // Feeds the next samples (mono, at the rate given to the constructor).
    void push(const float* samples, std::size_t count);
    // The segments completed so far (each returned once).
    std::vector<Segment> take();
    // Ends the recording: the segments still open, then nothing more.
    std::vector<Segment> finish();

private:
    void decide_frame(double level_db);
    void close_segment(std::size_t end_frame);

    int rate_;
    VadOptions options_;
    std::size_t frame_length_, hop_length_;
    std::vector<float> pending_;     // samples not yet consumed by a full frame
    std::deque<double> recent_levels_;  // for the noise floor
    std::size_t frame_index_ = 0;
    bool in_speech_ = false;
    std::size_t speech_start_ = 0, last_speech_ = 0;
    std::vector<Segment> done_;
};

}  // namespace emo::speech
