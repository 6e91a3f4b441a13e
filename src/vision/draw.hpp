// Drawing on RGB images: rectangle outlines, filled squares and text in the bitmap font (`emo face --draw`), and
// antialiased lines, circles and polygons blended over what is there (the PNG charts of `emo report`).
#pragma once

#include "io/image.hpp"

#include <array>
#include <string>
#include <vector>

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

// Antialiased shapes in sub-pixel coordinates (pixel centres at +0.5), blended over the image with `opacity` in
// [0, 1]; each pixel takes the share of it that the shape covers, estimated from its distance to the shape's edge.
void blend_rect(io::Image& image, double x, double y, double width, double height, Colour colour, double opacity = 1);
// A straight stroke `width` wide with round ends.
void draw_line(io::Image& image, double x0, double y0, double x1, double y1, double width, Colour colour,
               double opacity = 1);
void fill_circle(io::Image& image, double cx, double cy, double radius, Colour colour, double opacity = 1);
// A ring `width` wide centred on the circle of `radius`.
void outline_circle(io::Image& image, double cx, double cy, double radius, double width, Colour colour,
                    double opacity = 1);
// A simple polygon (convex or not), filled by the even-odd rule.
void fill_polygon(io::Image& image, const std::vector<std::array<double, 2>>& points, Colour colour,
                  double opacity = 1);

}  // namespace emo::vision
