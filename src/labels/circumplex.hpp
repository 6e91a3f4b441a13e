// Where an emotion sits on Russell's circumplex (valence across, arousal up, both in [-1, 1]), for the valence and
// arousal that emo derives from class probabilities (speech models, conversation dynamics).
#pragma once

#include <optional>
#include <string_view>
#include <utility>

namespace emo::labels {

// The place of `label` (any data set's spelling: "angry", "anger", "mad", ...), or nothing when it has none.
std::optional<std::pair<double, double>> circumplex_place(std::string_view label);

}  // namespace emo::labels
