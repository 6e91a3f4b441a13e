#include "speech/emotion_feature_stream.hpp"

#include "speech/egemaps.hpp"
#include "speech/emotion_features.hpp"

#include <algorithm>

namespace emo::speech {

namespace {

// Samples already analysed are dropped in blocks of at least this many, so that erasing the front stays cheap.
constexpr std::size_t drop_samples = 16000;

template <typename Values>
void widen(Values& low, Values& high, const Values& values, bool first) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        low[i] = first ? values[i] : std::min(low[i], values[i]);
        high[i] = first ? values[i] : std::max(high[i], values[i]);
    }
}

}  // namespace

void EmotionFeatureStream::push(const float* samples, std::size_t count) {
    buffer_.insert(buffer_.end(), samples, samples + count);
    analyse_frames();
    if (pass_ == 2) egemaps_.push(samples, count);
}

void EmotionFeatureStream::analyse_frames() {
    LogMel log_mel;
    for (; next_frame_ * mel_hop + mel_window <= origin_ + buffer_.size(); ++next_frame_) {
        const double level = analyser_.analyse(buffer_, next_frame_ * mel_hop - origin_, log_mel);
        if (pass_ == 1) survey(log_mel, level);
        // The same test as the recording analysed at once, on the same bits: the same frames are selected.
        else if (!(level <= loudest_ - voice_range_db))
            gather(log_mel);
    }
    const std::size_t spent = std::min(next_frame_ * mel_hop - origin_, buffer_.size());
    if (spent >= drop_samples) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(spent));
        origin_ += spent;
    }
}

void EmotionFeatureStream::survey(const LogMel& log_mel, double level) {
    const bool first = frames_++ == 0;
    loudest_ = first ? level : std::max(loudest_, level);
    widen(mel_low_, mel_high_, log_mel, first);
    widen(shape_low_, shape_high_, mel_shape(log_mel), first);
    widen(mfcc_low_, mfcc_high_, mel_cepstrum(log_mel), first);
}

bool EmotionFeatureStream::another_pass() {
    if (pass_ == 2) return false;
    pass_ = 2;
    buffer_.clear();
    origin_ = next_frame_ = 0;
    // Columns in the features' order; an MFCC change lies within the MFCC's range less its own lowest / highest.
    for (std::size_t b = 0; b < mel_bands; ++b) statistics_.emplace_back(mel_low_[b], mel_high_[b]);
    for (std::size_t b = 0; b < mel_bands; ++b) statistics_.emplace_back(shape_low_[b], shape_high_[b]);
    for (std::size_t c = 0; c < mel_cepstra; ++c) statistics_.emplace_back(mfcc_low_[c], mfcc_high_[c]);
    for (int delta = 0; delta < 2; ++delta)
        for (std::size_t c = 0; c < mel_cepstra; ++c) {
            const double span = mfcc_high_[c] - mfcc_low_[c];
            statistics_.emplace_back(-span, span);
        }
    return true;
}

void EmotionFeatureStream::gather(const LogMel& log_mel) {
    const LogMel shape = mel_shape(log_mel);
    const Cepstrum mfcc = mel_cepstrum(log_mel);
    auto column = statistics_.begin();
    for (double v : log_mel) (column++)->add(v);
    for (double v : shape) (column++)->add(v);
    for (double v : mfcc) (column++)->add(v);
    const auto add_change = [&](std::size_t back) {
        if (recent_mfcc_.size() >= back)
            for (double v : cepstrum_change(mfcc, recent_mfcc_[recent_mfcc_.size() - back])) (column++)->add(v);
        else
            column += mel_cepstra;
    };
    add_change(1);
    add_change(slow_delta_frames);
    recent_mfcc_.push_back(mfcc);
    if (recent_mfcc_.size() > slow_delta_frames) recent_mfcc_.pop_front();
}

std::vector<double> EmotionFeatureStream::finish() {
    std::vector<double> out;
    out.reserve(emotion_feature_names().size());
    if (statistics_.empty()) another_pass();  // finished without a second pass: the columns, empty, give 0s
    for (const auto& column : statistics_) column.append_to(out);
    append_egemaps_features(egemaps_functionals(egemaps_.finish()), out);
    return out;
}

}  // namespace emo::speech
