#include "vision/draw.hpp"

#include "vision/bitmap_font.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace emo::vision {

void fill_rect(io::Image& image, int x, int y, int width, int height, Colour colour) {
    const int x0 = std::max(x, 0), y0 = std::max(y, 0);
    const int x1 = std::min(x + width, image.width), y1 = std::min(y + height, image.height);
    for (int row = y0; row < y1; ++row)
        for (int col = x0; col < x1; ++col)
            std::copy(colour.begin(), colour.end(),
                      &image.rgb[(static_cast<std::size_t>(row) * image.width + col) * 3]);
}

void outline_rect(io::Image& image, int x, int y, int width, int height, int thickness, Colour colour) {
    fill_rect(image, x, y, width, thickness, colour);
    fill_rect(image, x, y + height - thickness, width, thickness, colour);
    fill_rect(image, x, y, thickness, height, colour);
    fill_rect(image, x + width - thickness, y, thickness, height, colour);
}

void draw_text(io::Image& image, int x, int y, const std::string& text, int scale, Colour colour) {
    for (const char c : text) {
        const auto rows = glyph(c);
        for (int r = 0; r < glyph_height; ++r)
            for (int col = 0; col < glyph_width; ++col)
                if (rows[r] & (0x10 >> col)) fill_rect(image, x + col * scale, y + r * scale, scale, scale, colour);
        x += (glyph_width + 1) * scale;
    }
}

int text_width(const std::string& text, int scale) {
    return text.empty() ? 0 : static_cast<int>(text.size()) * (glyph_width + 1) * scale - scale;
}

int text_height(int scale) { return glyph_height * scale; }

namespace {

// Mixes `colour` into pixel (col, row) by `alpha` (coverage times opacity); pixels outside the image are skipped.
void blend_pixel(io::Image& image, int col, int row, Colour colour, double alpha) {
    if (col < 0 || row < 0 || col >= image.width || row >= image.height || alpha <= 0) return;
    alpha = std::min(alpha, 1.0);
    auto* p = &image.rgb[(static_cast<std::size_t>(row) * image.width + col) * 3];
    for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>(std::lround(p[c] + (colour[c] - p[c]) * alpha));
}

// The pixel rows or columns a span [lo, hi] touches, clipped to [0, limit).
std::pair<int, int> pixel_span(double lo, double hi, int limit) {
    return {std::max(0, static_cast<int>(std::floor(lo))), std::min(limit - 1, static_cast<int>(std::floor(hi)))};
}

// Coverage of a pixel by a shape whose edge is `distance` away from the pixel's centre (negative: inside): a one
// pixel wide ramp, which is what makes the edges smooth.
double edge_coverage(double distance) { return std::clamp(0.5 - distance, 0.0, 1.0); }

}  // namespace

void blend_rect(io::Image& image, double x, double y, double width, double height, Colour colour, double opacity) {
    if (width <= 0 || height <= 0) return;
    const auto [r0, r1] = pixel_span(y, y + height, image.height);
    const auto [c0, c1] = pixel_span(x, x + width, image.width);
    for (int row = r0; row <= r1; ++row) {
        const double cover_y = std::min<double>(row + 1, y + height) - std::max<double>(row, y);
        for (int col = c0; col <= c1; ++col) {
            const double cover_x = std::min<double>(col + 1, x + width) - std::max<double>(col, x);
            if (cover_x > 0 && cover_y > 0) blend_pixel(image, col, row, colour, cover_x * cover_y * opacity);
        }
    }
}

void draw_line(io::Image& image, double x0, double y0, double x1, double y1, double width, Colour colour,
               double opacity) {
    const double half = width / 2, dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy;
    const auto [r0, r1] = pixel_span(std::min(y0, y1) - half - 1, std::max(y0, y1) + half + 1, image.height);
    const auto [c0, c1] = pixel_span(std::min(x0, x1) - half - 1, std::max(x0, x1) + half + 1, image.width);
    for (int row = r0; row <= r1; ++row)
        for (int col = c0; col <= c1; ++col) {
            const double px = col + 0.5, py = row + 0.5;
            const double t = length2 > 0 ? std::clamp(((px - x0) * dx + (py - y0) * dy) / length2, 0.0, 1.0) : 0.0;
            const double distance = std::hypot(px - (x0 + t * dx), py - (y0 + t * dy));
            // Strokes thinner than a pixel keep their ink by fading instead of vanishing.
            const double coverage = width < 1 ? edge_coverage(distance - 0.5) * width : edge_coverage(distance - half);
            blend_pixel(image, col, row, colour, coverage * opacity);
        }
}

void fill_circle(io::Image& image, double cx, double cy, double radius, Colour colour, double opacity) {
    const auto [r0, r1] = pixel_span(cy - radius - 1, cy + radius + 1, image.height);
    const auto [c0, c1] = pixel_span(cx - radius - 1, cx + radius + 1, image.width);
    for (int row = r0; row <= r1; ++row)
        for (int col = c0; col <= c1; ++col)
            blend_pixel(image, col, row, colour,
                        edge_coverage(std::hypot(col + 0.5 - cx, row + 0.5 - cy) - radius) * opacity);
}

void outline_circle(io::Image& image, double cx, double cy, double radius, double width, Colour colour,
                    double opacity) {
    const double reach = radius + width / 2 + 1;
    const auto [r0, r1] = pixel_span(cy - reach, cy + reach, image.height);
    const auto [c0, c1] = pixel_span(cx - reach, cx + reach, image.width);
    for (int row = r0; row <= r1; ++row)
        for (int col = c0; col <= c1; ++col) {
            const double off = std::abs(std::hypot(col + 0.5 - cx, row + 0.5 - cy) - radius);
            blend_pixel(image, col, row, colour, edge_coverage(off - width / 2) * opacity);
        }
}

void fill_polygon(io::Image& image, const std::vector<std::array<double, 2>>& points, Colour colour, double opacity) {
    if (points.size() < 3) return;
    double x_lo = points[0][0], x_hi = x_lo, y_lo = points[0][1], y_hi = y_lo;
    for (const auto& [x, y] : points) {
        x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x), y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
    }
    // A polygon's edges run at any angle, so coverage is counted on a 4x4 grid of samples per pixel. Along each row
    // of samples the edges it crosses are found once, sorted: a sample is inside when an odd number of them lie to
    // its right (the even-odd rule), which costs a search instead of a walk over every edge (waveforms have
    // thousands).
    constexpr int grid = 4;
    const auto [r0, r1] = pixel_span(y_lo, y_hi, image.height);
    const auto [c0, c1] = pixel_span(x_lo, x_hi, image.width);
    std::array<std::vector<double>, grid> crossings;
    for (int row = r0; row <= r1; ++row) {
        for (int sy = 0; sy < grid; ++sy) {
            const double py = row + (sy + 0.5) / grid;
            auto& xs = crossings[sy];
            xs.clear();
            for (std::size_t i = 0, j = points.size() - 1; i < points.size(); j = i++) {
                const auto& p = points[i];
                const auto& q = points[j];
                if ((p[1] > py) != (q[1] > py)) xs.push_back((q[0] - p[0]) * (py - p[1]) / (q[1] - p[1]) + p[0]);
            }
            std::sort(xs.begin(), xs.end());
        }
        for (int col = c0; col <= c1; ++col) {
            int hits = 0;
            for (const auto& xs : crossings)
                for (int sx = 0; sx < grid; ++sx) {
                    const double px = col + (sx + 0.5) / grid;
                    hits += (xs.end() - std::upper_bound(xs.begin(), xs.end(), px)) % 2;
                }
            blend_pixel(image, col, row, colour, hits * opacity / (grid * grid));
        }
    }
}

}  // namespace emo::vision
