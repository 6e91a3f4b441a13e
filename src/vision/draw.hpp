// Drawing on RGB images for `emo face --draw`: rectangle outlines, filled squares and text in the bitmap font.
#pragma once

#include "io/image.hpp"

#include <array>
#include <string>

namespace emo::vision {

using Colour = std::array<std::uint8_t, 3>;

// Each clips to the image: shapes partly or wholly outside it draw only what falls inside.
void fill_rect(io::Image& image, int x, int y, int width, int height, Colour colour);
void outline_rect(io::Image& image, int x, int y, int width, int height, int thickness, Colour colour);
// `text` with its top-left corner at x, y, each font pixel `scale` image pixels wide.
void draw_text(io::Image& image, int x, int y, const std::string& text, int scale, Colour colour);
// The size of `text` drawn at `scale`.
int text_width(const std::string& text, int scale);
int text_height(int scale);

}  // namespace emo::vision
