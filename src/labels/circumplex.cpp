#include "labels/circumplex.hpp"

#include "labels/emotion_names.hpp"

#include <array>
#include <string>

namespace emo::labels {

std::optional<std::pair<double, double>> circumplex_place(std::string_view label) {
    // The usual reading of the circumplex, as docs/speech_emotion.md tabulates it; EmoryNLP's "mad", "peaceful" and
    // "powerful" sit where anger, calm and a pleasant, active state sit.
    struct Place {
        std::string_view name;
        double valence, arousal;
    };
    static constexpr std::array<Place, 12> places{{
        {"neutral", 0.0, 0.0},
        {"calm", 0.4, -0.6},
        {"peaceful", 0.4, -0.6},
        {"joy", 0.8, 0.5},
        {"joyful", 0.8, 0.5},
        {"powerful", 0.6, 0.6},
        {"sadness", -0.7, -0.5},
        {"anger", -0.6, 0.8},
        {"mad", -0.6, 0.8},
        {"fear", -0.7, 0.6},
        {"disgust", -0.7, 0.3},
        {"surprise", 0.3, 0.8},
    }};
    const std::string name = canonical_emotion(label);
    for (const auto& p : places)
        if (p.name == name) return std::pair{p.valence, p.arousal};
    return std::nullopt;
}

}  // namespace emo::labels
