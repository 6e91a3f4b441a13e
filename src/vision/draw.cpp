#include "vision/draw.hpp"

#include "vision/bitmap_font.hpp"

#include <algorithm>

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

}  // namespace emo::vision
