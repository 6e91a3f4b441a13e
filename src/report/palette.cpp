#include "report/palette.hpp"

#include "labels/emotion_names.hpp"

#include <array>
#include <string>
#include <utility>

namespace emo::report {

Rgb emotion_colour(std::string_view label) {
    // Hues follow the usual associations (anger red, sadness blue, joy yellow) and stay apart for colour-blind
    // readers as far as seven-plus classes allow.
    static constexpr std::array<std::pair<std::string_view, Rgb>, 12> table{{
        {"anger", {0xd6, 0x27, 0x28}},
        {"disgust", {0x6b, 0x8e, 0x23}},
        {"fear", {0x94, 0x67, 0xbd}},
        {"joy", {0xf2, 0xb7, 0x01}},
        {"neutral", {0x9e, 0x9e, 0x9e}},
        {"sadness", {0x1f, 0x77, 0xb4}},
        {"surprise", {0xff, 0x7f, 0x0e}},
        {"calm", {0x17, 0xbe, 0xcf}},
        {"mad", {0xd6, 0x27, 0x28}},
        {"joyful", {0xf2, 0xb7, 0x01}},
        {"peaceful", {0x2c, 0xa0, 0x2c}},
        {"powerful", {0xe3, 0x77, 0xc2}},
    }};
    static constexpr std::array<Rgb, 6> spare{{
        {0x8c, 0x56, 0x4b},
        {0x7f, 0x7f, 0x00},
        {0x00, 0x80, 0x80},
        {0xbc, 0x3c, 0x8c},
        {0x55, 0x6b, 0x2f},
        {0x46, 0x82, 0xb4},
    }};
    const std::string name = labels::canonical_emotion(label);
    for (const auto& [key, colour] : table)
        if (name == key) return colour;
    std::size_t hash = 14695981039346656037ull;  // FNV-1a: stable across runs and platforms, unlike std::hash
    for (const char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return spare[hash % spare.size()];
}

Rgb text_colour_on(Rgb background) {
    const double luminance = 0.299 * background[0] + 0.587 * background[1] + 0.114 * background[2];
    return luminance > 150 ? Rgb{0x22, 0x22, 0x22} : Rgb{0xff, 0xff, 0xff};
}

Rgb speaker_colour(std::size_t n) {
    static constexpr std::array<Rgb, 6> colours{{
        {0x26, 0x32, 0x38},
        {0x1a, 0x53, 0x8a},
        {0x8a, 0x3b, 0x12},
        {0x4a, 0x14, 0x8c},
        {0x00, 0x69, 0x5c},
        {0x88, 0x0e, 0x4f},
    }};
    return colours[n % colours.size()];
}

}  // namespace emo::report
