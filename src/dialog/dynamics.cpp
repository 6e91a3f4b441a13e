#include "emo/dynamics.hpp"

#include "labels/circumplex.hpp"

#include <cmath>
#include <unordered_map>

namespace emo {

namespace {

// The probability-weighted circumplex place of one result; labels without a place weigh as neutral (0, 0).
std::pair<double, double> affect_of(const Result& result) {
    double valence = 0, arousal = 0;
    for (const auto& [label, p] : result.scores)
        if (const auto place = labels::circumplex_place(label)) {
            valence += p * place->first;
            arousal += p * place->second;
        }
    return {valence, arousal};
}

}  // namespace

ConversationDynamics conversation_dynamics(const std::vector<Result>& results, double smoothing) {
    if (!(smoothing >= 0 && smoothing < 1))
        throw Error("conversation dynamics: smoothing must be in [0, 1), got " + std::to_string(smoothing));
    ConversationDynamics dynamics;
    dynamics.smoothing = smoothing;
    std::unordered_map<std::string, std::size_t> slot;  // speaker -> position in dynamics.speakers
    for (const auto& result : results) {
        if (!result.error.empty() || result.emotion.empty()) continue;
        if (dynamics.dialogue_id.empty()) dynamics.dialogue_id = result.dialogue_id;
        auto [it, added] = slot.try_emplace(result.speaker, dynamics.speakers.size());
        if (added) {
            dynamics.speakers.emplace_back();
            dynamics.speakers.back().speaker = result.speaker;
        }
        SpeakerDynamics& speaker = dynamics.speakers[it->second];

        DynamicsTurn turn{.index = result.index, .emotion = result.emotion};
        std::tie(turn.valence, turn.arousal) = affect_of(result);
        if (speaker.turns.empty()) {
            turn.running_valence = turn.valence;
            turn.running_arousal = turn.arousal;
        } else {
            const DynamicsTurn& last = speaker.turns.back();
            turn.running_valence = smoothing * last.running_valence + (1 - smoothing) * turn.valence;
            turn.running_arousal = smoothing * last.running_arousal + (1 - smoothing) * turn.arousal;
            ++speaker.transitions[last.emotion][turn.emotion];
            if (last.emotion != turn.emotion)
                speaker.shifts.push_back({.index = turn.index, .from = last.emotion, .to = turn.emotion});
        }
        speaker.turns.push_back(std::move(turn));
    }
    return dynamics;
}

}  // namespace emo
