// One name per basic emotion across data sets: RECCON writes "happiness" (and strays such as "happy"), MELD "joy",
// DailyDialog "no emotion" where others write "neutral". Models that take an emotion as input (the cause model)
// see these names, so that one trained on RECCON reads the conversation model's MELD labels.
#pragma once

#include <string>
#include <string_view>

namespace emo::labels {

// Lower-cased `label` mapped to Ekman's names (anger, disgust, fear, joy, sadness, surprise) or "neutral" where it
// is a known synonym; any other label comes back lower-cased.
std::string canonical_emotion(std::string_view label);

// True for the labels that mean "no emotion" (neutral, no emotion, none, the empty label).
bool is_neutral(std::string_view label);

}  // namespace emo::labels
