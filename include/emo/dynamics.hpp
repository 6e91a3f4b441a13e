// Emotion dynamics of a conversation: how each speaker's emotion runs and turns (emotional inertia), derived from
// the per-utterance results of Model::analyze. Include it beside <emo/emo.hpp>.
#pragma once

#include "emo/emo.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace emo {

// One utterance of a speaker, with the speaker's running valence / arousal after it.
struct DynamicsTurn {
    std::size_t index = 0;  // the utterance's 0-based position in the dialogue
    std::string emotion;    // its predicted emotion
    double valence = 0;     // this utterance alone, in [-1, 1]: the probability-weighted circumplex place
    double arousal = 0;
    double running_valence = 0;  // the speaker's running estimate after it (exponential smoothing over turns)
    double running_arousal = 0;
};

// Where a speaker's emotion differs from that speaker's previous utterance.
struct EmotionShift {
    std::size_t index = 0;  // the utterance where the new emotion appears
    std::string from, to;
};

struct SpeakerDynamics {
    std::string speaker;
    std::vector<DynamicsTurn> turns;  // in dialogue order
    // from emotion -> to emotion -> count, over consecutive utterances of this speaker (self-transitions included)
    std::map<std::string, std::map<std::string, std::size_t>> transitions;
    std::vector<EmotionShift> shifts;
};

struct ConversationDynamics {
    std::string dialogue_id;
    std::vector<SpeakerDynamics> speakers;  // in order of first appearance
    double smoothing = 0.5;                 // the weight the running estimate keeps from the speaker's past
};

// Dynamics of one dialogue's results (as Model::analyze returns them, in order). Results with an error are left
// out; labels with no circumplex place (docs/schema.md lists them) count as neutral's place. `smoothing` in [0, 1):
// running = smoothing * previous running + (1 - smoothing) * this utterance. Throws Error when `smoothing` is out
// of range.
ConversationDynamics conversation_dynamics(const std::vector<Result>& results, double smoothing = 0.5);

// One JSON object (single line), fields as docs/schema.md describes.
std::string to_json(const ConversationDynamics& dynamics);

}  // namespace emo
