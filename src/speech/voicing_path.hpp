// The pitch tracker's voiced / unvoiced decision (speech/pitch.hpp): the cheapest path of a two-state Viterbi in
// which a frame with an F0 candidate gains its salience above a threshold when voiced, and each change of state has a
// cost. The path is decided frame by frame as the frames arrive: once the best paths into both states of the newest
// frame run through the same state of an earlier frame, everything up to that frame is final, whatever comes later.
// So a long recording can be tracked in one pass with only the undecided frames held (a few in speech, where any
// near-silent frame settles the path), and the result is the same as tracking the whole recording at once.
#pragma once

#include <array>
#include <cstddef>
#include <deque>
#include <vector>

namespace emo::speech {

class VoicingPath {
public:
    // A voiced frame costs min_salience - its salience; each change between voiced and unvoiced costs change_cost.
    VoicingPath(double min_salience, double change_cost);

    // The next frame: whether it may be voiced (it has an F0 candidate) and its salience.
    void push(bool candidate, double salience);
    // Decides the frames the path can no longer change (cheap to call after every block of frames).
    void settle();
    // Forces a decision on all but the newest `keep` frames, along today's best path: only where the path has not
    // settled for a long stretch, so that the undecided frames stay bounded. Not what tracking at once would give.
    void force(std::size_t keep);
    // The end of the recording: every frame decided.
    void finish();

    std::size_t pushed() const { return pushed_; }
    std::size_t decided() const { return decided_; }  // frames [0, decided()) are final
    bool voiced(std::size_t t) const { return state_[t]; }  // t < decided()

private:
    void decide(std::size_t last, bool voiced_at_last);  // frames [decided_, last] along the path into (last, state)

    double min_salience_, change_cost_;
    std::array<double, 2> cost_{0.0, 0.0};  // of the best path ending unvoiced / voiced
    std::size_t pushed_ = 0, decided_ = 0;
    std::deque<std::array<bool, 2>> from_voiced_;  // frames [decided_, pushed_): for each state, came from voiced?
    std::vector<bool> state_;                      // frames [0, decided_)
};

}  // namespace emo::speech
