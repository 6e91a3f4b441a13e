#include "report/raster_canvas.hpp"

#include "vision/draw.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace emo::report {

RasterCanvas::RasterCanvas(double width, double height, double pixel_scale) : scale_(pixel_scale) {
    image_.width = std::max(1, static_cast<int>(std::ceil(width * pixel_scale)));
    image_.height = std::max(1, static_cast<int>(std::ceil(height * pixel_scale)));
    image_.rgb.assign(static_cast<std::size_t>(image_.width) * image_.height * 3, 255);
}

void RasterCanvas::begin_group(const std::string&, const Attributes&, const std::string&) {}

void RasterCanvas::end_group() {}

void RasterCanvas::rect(double x, double y, double width, double height, const Style& style) {
    const double s = scale_;
    if (style.fill) vision::blend_rect(image_, x * s, y * s, width * s, height * s, *style.fill, style.opacity);
    if (style.stroke) {
        const std::vector<Point> outline{{x, y}, {x + width, y}, {x + width, y + height}, {x, y + height}, {x, y}};
        polyline(outline, style);
    }
}

void RasterCanvas::line(Point from, Point to, const Style& style) {
    if (!style.stroke) return;
    vision::draw_line(image_, from[0] * scale_, from[1] * scale_, to[0] * scale_, to[1] * scale_,
                      style.stroke_width * scale_, *style.stroke, style.opacity);
}

void RasterCanvas::polyline(const std::vector<Point>& points, const Style& style) {
    for (std::size_t i = 1; i < points.size(); ++i) line(points[i - 1], points[i], style);
}

void RasterCanvas::polygon(const std::vector<Point>& points, const Style& style) {
    if (style.fill) {
        std::vector<std::array<double, 2>> scaled;
        for (const auto& [x, y] : points) scaled.push_back({x * scale_, y * scale_});
        vision::fill_polygon(image_, scaled, *style.fill, style.opacity);
    }
    if (style.stroke && !points.empty()) {
        auto closed = points;
        closed.push_back(points.front());
        polyline(closed, style);
    }
}

void RasterCanvas::circle(Point centre, double radius, const Style& style) {
    const double cx = centre[0] * scale_, cy = centre[1] * scale_, r = radius * scale_;
    if (style.fill) vision::fill_circle(image_, cx, cy, r, *style.fill, style.opacity);
    if (style.stroke)
        vision::outline_circle(image_, cx, cy, r, style.stroke_width * scale_, *style.stroke, style.opacity);
}

void RasterCanvas::text(Point at, const std::string& text, const TextStyle& style) {
    // One glyph cell (5 + 1 pixels at font scale 1) should be as wide as the 0.6 em that layout reserves.
    const int font_scale = std::max(1, static_cast<int>(std::lround(style.size * scale_ / 10)));
    std::string ascii;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            // One blank per code point, not per byte, so that width matches the layout's estimate.
            if ((c & 0xC0) != 0x80) ascii += ' ';
            continue;
        }
        ascii += static_cast<char>(std::tolower(c));
    }
    const int width = vision::text_width(ascii, font_scale);
    double x = at[0] * scale_;
    if (style.anchor == Anchor::middle) x -= width / 2.0;
    if (style.anchor == Anchor::end) x -= width;
    const int left = static_cast<int>(std::lround(x));
    const int top = static_cast<int>(std::lround(at[1] * scale_)) - vision::text_height(font_scale);
    vision::draw_text(image_, left, top, ascii, font_scale, style.colour);
    if (style.bold) vision::draw_text(image_, left + 1, top, ascii, font_scale, style.colour);
}

}  // namespace emo::report
