#include "speech/voicing_path.hpp"

#include <algorithm>

namespace emo::speech {

namespace {

// The cost of voicing a frame without a candidate: never taken.
constexpr double barred = 1e30;

}  // namespace

VoicingPath::VoicingPath(double min_salience, double change_cost)
    : min_salience_(min_salience), change_cost_(change_cost) {}

void VoicingPath::push(bool candidate, double salience) {
    const double voiced_cost = candidate ? min_salience_ - salience : barred;
    std::array<bool, 2> from{false, false};
    if (pushed_ == 0) {
        cost_ = {0.0, voiced_cost};
    } else {
        const std::array<double, 2> previous = cost_;
        for (int state = 0; state < 2; ++state) {
            const double stay = previous[state], change = previous[1 - state] + change_cost_;
            from[state] = (stay <= change) == (state == 1);
            cost_[state] = std::min(stay, change) + (state == 1 ? voiced_cost : 0.0);
        }
    }
    from_voiced_.push_back(from);
    ++pushed_;
}

void VoicingPath::decide(std::size_t last, bool voiced_at_last) {
    std::vector<bool> states(last + 1 - decided_);
    bool voiced = voiced_at_last;
    for (std::size_t t = last + 1; t-- > decided_;) {
        states[t - decided_] = voiced;
        voiced = from_voiced_[t - decided_][voiced ? 1 : 0];
    }
    state_.insert(state_.end(), states.begin(), states.end());
    from_voiced_.erase(from_voiced_.begin(), from_voiced_.begin() + static_cast<std::ptrdiff_t>(states.size()));
    decided_ = last + 1;
}

void VoicingPath::settle() {
    if (pushed_ == decided_) return;
    // Follow the best paths into both states of the newest frame back until they meet.
    bool a = false, b = true;
    for (std::size_t t = pushed_ - 1; t > decided_; --t) {
        a = from_voiced_[t - decided_][a ? 1 : 0];
        b = from_voiced_[t - decided_][b ? 1 : 0];
        if (a == b) return decide(t - 1, a);
    }
}

void VoicingPath::force(std::size_t keep) {
    if (pushed_ - decided_ <= keep) return;
    bool voiced = cost_[1] < cost_[0];
    const std::size_t last = pushed_ - 1 - keep;
    for (std::size_t t = pushed_ - 1; t > last; --t) voiced = from_voiced_[t - decided_][voiced ? 1 : 0];
    decide(last, voiced);
}

void VoicingPath::finish() {
    if (pushed_ > decided_) decide(pushed_ - 1, cost_[1] < cost_[0]);
}

}  // namespace emo::speech
