#include "speech/egemaps_stream.hpp"

#include <algorithm>

namespace emo::speech {

namespace {

constexpr std::size_t hop = spectral_hop, pitch_window = 960;
// A cut needs this many decided unvoiced frames on either side: the widest reach of a voiced-frame descriptor across
// frames is jitter and shimmer's 3-frame lag; smoothing reaches 1.
constexpr std::size_t quiet_frames = 4;
// Pieces are measured once they are this long (fewer, larger calls), and cut regardless at the longest.
constexpr std::size_t min_piece_frames = 500, max_piece_frames = 3000;
// The voicing path is decided regardless once this many frames are pending, keeping the newest `kept`.
constexpr std::size_t max_undecided_frames = 3000, kept_undecided_frames = 500;
// Samples no analysis needs any more are dropped in chunks of at least this many.
constexpr std::size_t drop_chunk = 1 << 16;

}  // namespace

EgemapsStream::EgemapsStream() : path_(voicing_path()) {}

void EgemapsStream::push(const float* samples, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) d_.energy += double(samples[i]) * samples[i];
    buffer_.insert(buffer_.end(), samples, samples + count);
    total_ += count;
    analyse(false);
}

EgemapsDescriptors EgemapsStream::finish() {
    analyse(true);
    d_.samples = total_;
    d_.frames = egemaps_frame_count(total_);
    buffer_ = {};
    return std::move(d_);
}

std::vector<float> EgemapsStream::samples_from(std::size_t first, std::size_t last) const {
    last = std::min(last, total_);
    if (first >= last) return {};
    return {buffer_.begin() + static_cast<std::ptrdiff_t>(first - origin_),
            buffer_.begin() + static_cast<std::ptrdiff_t>(last - origin_)};
}

void EgemapsStream::spectral_frames(std::size_t target) {
    if (target <= next_spectral_) return;
    // From one frame back, so that the first new frame's spectral flux sees its predecessor.
    const std::size_t from = next_spectral_ > 0 ? next_spectral_ - 1 : 0;
    const auto raw =
        raw_spectral_descriptors(samples_from(from * hop, (target - 1) * hop + spectral_window), target - from);
    d_.raw_spectral.insert(d_.raw_spectral.end(), raw.begin() + static_cast<std::ptrdiff_t>(next_spectral_ - from),
                           raw.end());
    next_spectral_ = target;
}

void EgemapsStream::pitch_frames(std::size_t target) {
    if (target <= next_candidate_) return;
    const auto frames =
        pitch_candidates(samples_from(next_candidate_ * hop, (target - 1) * hop + pitch_window), target - next_candidate_);
    for (const auto& p : frames) path_.push(p.f0_hz > 0, p.salience);
    candidates_.insert(candidates_.end(), frames.begin(), frames.end());
    next_candidate_ = target;
}

// Measures pitch frames [next_piece_, end_frame) on their own: voice quality, formants, perturbation and harmonics.
void EgemapsStream::measure_piece(std::size_t end_frame, bool at_end) {
    if (end_frame <= next_piece_) return;
    const std::size_t count = end_frame - next_piece_;
    std::vector<PitchFrame> pitch(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(count));
    for (std::size_t i = 0; i < count; ++i)
        if (!path_.voiced(next_piece_ + i)) pitch[i].f0_hz = 0;
    set_semitones(pitch);
    // The samples of the piece's frames, their windows and (for the formants' resampler) a frame's worth beyond.
    const std::size_t last = at_end ? total_ : end_frame * hop + pitch_window;
    const auto samples = samples_from(next_piece_ * hop, last);
    for (const auto& p : pitch) d_.semitones.push_back(p.semitones);
    const auto quality = voice_quality(samples, pitch);
    const auto formants = track_formants(samples, pitch, next_piece_);
    const auto perturbations = perturbation(samples, pitch);
    const auto harmonics = harmonic_amplitudes(samples, pitch, formants);
    d_.quality.insert(d_.quality.end(), quality.begin(), quality.end());
    d_.formants.insert(d_.formants.end(), formants.begin(), formants.end());
    d_.perturbations.insert(d_.perturbations.end(), perturbations.begin(), perturbations.end());
    d_.harmonics.insert(d_.harmonics.end(), harmonics.begin(), harmonics.end());
    candidates_.erase(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(count));
    next_piece_ = end_frame;
}

void EgemapsStream::analyse(bool at_end) {
    spectral_frames(spectral_frame_count(total_));
    // Before the end, only frames whose whole window has arrived; at the end, the last ones read zeros past it.
    pitch_frames(at_end ? egemaps_frame_count(total_) : (total_ < pitch_window ? 0 : (total_ - pitch_window) / hop + 1));
    if (at_end) {
        path_.finish();
        measure_piece(path_.decided(), true);
        return;
    }
    path_.settle();
    if (path_.pushed() - path_.decided() > max_undecided_frames) path_.force(kept_undecided_frames);
    const std::size_t decided = path_.decided();
    if (decided >= next_piece_ + min_piece_frames + quiet_frames) {
        // The latest cut: a multiple of 4 with quiet_frames decided unvoiced frames on either side.
        std::size_t cut = 0;
        for (std::size_t c = (decided - quiet_frames) / 4 * 4; c >= next_piece_ + quiet_frames && c > 0; c -= 4) {
            bool quiet = true;
            for (std::size_t t = c - quiet_frames; t < c + quiet_frames && quiet; ++t) quiet = !path_.voiced(t);
            if (quiet) {
                cut = c;
                break;
            }
        }
        if (cut == 0 && decided >= next_piece_ + max_piece_frames) cut = (decided - quiet_frames) / 4 * 4;
        if (cut > next_piece_) measure_piece(cut, false);
    }
    drop_spent_samples();
}

void EgemapsStream::drop_spent_samples() {
    // The earliest sample still needed: the next piece's, the next pitch frame's, the last spectral frame's.
    std::size_t keep = std::min(next_piece_, next_candidate_) * hop;
    if (next_spectral_ > 0) keep = std::min(keep, (next_spectral_ - 1) * hop);
    if (keep < origin_ + drop_chunk) return;
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(keep - origin_));
    origin_ = keep;
}

}  // namespace emo::speech
