// The eGeMAPS descriptors of a recording of any length in one pass over its audio, block by block, in bounded memory
// besides the compact per-frame descriptors themselves (speech/egemaps_descriptors). The frames are those of the
// recording analysed at once (speech/egemaps_descriptors.hpp): every descriptor gets the context it depends on.
//   - Spectral frames need their 20 ms window and the previous frame (spectral flux); they are smoothed at the end.
//   - Pitch candidates need their 60 ms window; the voicing decision is a Viterbi path, decided as soon as later
//     frames can no longer change it (speech/voicing_path.hpp).
//   - Everything measured on voiced frames (voice quality, formants, jitter and shimmer, harmonic levels) is smoothed
//     over neighbouring frames, follows glottal periods through voiced runs, or reads frames 3 back: it is computed
//     piece by piece, each piece cut where 8 decided unvoiced frames lie around a frame that is a multiple of 4 (the
//     formants' 11,025 Hz grid), so that no dependency crosses a cut.
// Two safety valves keep memory bounded in audio no speech recording has: a voicing path undecided for 30 s, or
// 30 s without such a pause, is decided (cut) where it stands; the frames there may then differ slightly from the
// recording analysed at once.
#pragma once

#include "speech/egemaps_descriptors.hpp"
#include "speech/voicing_path.hpp"

#include <cstddef>
#include <vector>

namespace emo::speech {

class EgemapsStream {
public:
    EgemapsStream();

    // The next samples of the recording (16 kHz mono), in any block sizes.
    void push(const float* samples, std::size_t count);
    // The descriptors of everything pushed; the stream is spent.
    EgemapsDescriptors finish();

    std::size_t buffered_samples() const { return buffer_.size(); }  // for tests: memory stays bounded

private:
    void analyse(bool at_end);
    void spectral_frames(std::size_t target);
    void pitch_frames(std::size_t target);
    void measure_piece(std::size_t end_frame, bool at_end);
    std::vector<float> samples_from(std::size_t first, std::size_t last) const;  // [first, last) of the recording
    void drop_spent_samples();

    EgemapsDescriptors d_;
    std::vector<float> buffer_;
    std::size_t origin_ = 0;  // the recording's sample index of buffer_[0]
    std::size_t total_ = 0;   // samples pushed
    std::size_t next_spectral_ = 0, next_candidate_ = 0;
    std::size_t next_piece_ = 0;         // the first pitch frame not yet measured (a multiple of 4)
    std::vector<PitchFrame> candidates_;  // pitch frames [next_piece_, next_candidate_), before the voicing decision
    VoicingPath path_;
};

}  // namespace emo::speech
