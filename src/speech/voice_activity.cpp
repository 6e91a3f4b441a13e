#include "speech/voice_activity.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>

namespace emo::speech {

EnergyVad::EnergyVad(int sample_rate, const VadOptions& options) : rate_(sample_rate), options_(options) {
    if (sample_rate <= 0) throw Error("voice activity: the sample rate must be positive");
    if (!(options.hop_seconds > 0) || !(options.frame_seconds >= options.hop_seconds))
        throw Error("voice activity: need 0 < hop <= frame length");
    frame_length_ = static_cast<std::size_t>(std::lround(options.frame_seconds * sample_rate));
    hop_length_ = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(options.hop_seconds * sample_rate)));
}

void EnergyVad::push(const float* samples, std::size_t count) {
    pending_.insert(pending_.end(), samples, samples + count);
    std::size_t offset = 0;
    while (pending_.size() - offset >= frame_length_) {
        double energy = 0;
        for (std::size_t i = 0; i < frame_length_; ++i) energy += double(pending_[offset + i]) * pending_[offset + i];
        const double rms = std::sqrt(energy / static_cast<double>(frame_length_));
        decide_frame(20 * std::log10(std::max(rms, 1e-10)));
        offset += hop_length_;
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(offset));
}

void EnergyVad::decide_frame(double level_db) {
    // Noise floor: a low percentile of the recent levels, so that it follows slow changes of the background but
    // not the speech itself (speech rarely fills more than 90% of ten seconds).
    const auto window = static_cast<std::size_t>(options_.noise_window_seconds / options_.hop_seconds);
    recent_levels_.push_back(level_db);
    if (recent_levels_.size() > window) recent_levels_.pop_front();
    std::vector<double> sorted(recent_levels_.begin(), recent_levels_.end());
    const auto nth = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 10);
    std::nth_element(sorted.begin(), nth, sorted.end());
    const double floor_db = sorted.size() >= 10 ? *nth : options_.min_level_db - options_.above_noise_db;
    const bool speech = level_db >= std::max(options_.min_level_db, floor_db + options_.above_noise_db);

    const auto max_gap = static_cast<std::size_t>(options_.max_gap_seconds / options_.hop_seconds);
    const auto max_length = static_cast<std::size_t>(options_.max_segment_seconds / options_.hop_seconds);
    if (speech) {
        if (!in_speech_) in_speech_ = true, speech_start_ = frame_index_;
        last_speech_ = frame_index_;
    }
    // A segment ends after a long enough pause, or when it reaches the longest length allowed.
    if (in_speech_ && (frame_index_ - last_speech_ > max_gap || frame_index_ + 1 - speech_start_ >= max_length)) {
        close_segment(last_speech_ + 1);
        in_speech_ = false;
    }
    ++frame_index_;
}

void EnergyVad::close_segment(std::size_t end_frame) {
    const double hop = options_.hop_seconds;
    const double start = static_cast<double>(speech_start_) * hop;
    // The last speech frame's window reaches frame_seconds past its start.
    const double end = static_cast<double>(end_frame - 1) * hop + options_.frame_seconds;
    if (end - start >= options_.min_speech_seconds) done_.push_back({start, end});
}

std::vector<Segment> EnergyVad::take() {
    std::vector<Segment> out;
    out.swap(done_);
    return out;
}

std::vector<Segment> EnergyVad::finish() {
    if (in_speech_) close_segment(last_speech_ + 1);
    in_speech_ = false;
    return take();
}

}  // namespace emo::speech
