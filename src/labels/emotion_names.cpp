#include "labels/emotion_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace emo::labels {

std::string canonical_emotion(std::string_view label) {
    std::string name(label);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return c < 128 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c); });
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> synonyms{{
        {"happiness", "joy"}, {"happy", "joy"}, {"happines", "joy"}, {"excited", "joy"},
        {"angry", "anger"}, {"sad", "sadness"}, {"surprised", "surprise"}, {"fearful", "fear"},
        {"scared", "fear"}, {"disgusted", "disgust"}, {"no emotion", "neutral"}, {"none", "neutral"},
        {"", "neutral"}, {"neu", "neutral"}, {"ang", "anger"}, {"hap", "joy"},
    }};
    for (const auto& [from, to] : synonyms)
        if (name == from) return std::string(to);
    return name;
}

bool is_neutral(std::string_view label) { return canonical_emotion(label) == "neutral"; }

}  // namespace emo::labels
