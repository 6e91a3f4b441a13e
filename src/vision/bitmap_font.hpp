// A 5x7 pixel font of our own for the labels `emo face --draw` writes on images: lower-case letters, digits and a
// few signs, enough for emotion names, scores and chart labels. Characters it lacks draw as blanks.
#pragma once

#include <array>

namespace emo::vision {

constexpr int glyph_width = 5, glyph_height = 7;

// The rows of `c`'s glyph, top first; bit 4 is the leftmost pixel. All zero for characters the font lacks.
std::array<unsigned char, glyph_height> glyph(char c);

}  // namespace emo::vision
