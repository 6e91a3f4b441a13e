#include "report/canvas.hpp"

#include <cmath>

namespace emo::report {

namespace {

std::size_t utf8_length(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// The head's triangle at `tip`, pointing along the direction from `back` to `tip`.
std::vector<Point> head_triangle(Point back, Point tip, double head) {
    const double dx = tip[0] - back[0], dy = tip[1] - back[1], length = std::hypot(dx, dy);
    const double ux = length > 0 ? dx / length : 1, uy = length > 0 ? dy / length : 0;
    const double half = head * 0.45;
    const Point base{tip[0] - ux * head, tip[1] - uy * head};
    return {tip, {base[0] - uy * half, base[1] + ux * half}, {base[0] + uy * half, base[1] - ux * half}};
}

}  // namespace

void arrow(Canvas& canvas, Point from, Point to, const Style& style, double head) {
    const auto triangle = head_triangle(from, to, head);
    // The shaft stops at the head's base so that a thick stroke does not poke through the tip.
    const Point base{(triangle[1][0] + triangle[2][0]) / 2, (triangle[1][1] + triangle[2][1]) / 2};
    canvas.line(from, base, style);
    canvas.polygon(triangle, {style.stroke, std::nullopt, 1, style.opacity});
}

void curved_arrow(Canvas& canvas, Point from, Point control, Point to, const Style& style, double head) {
    constexpr int steps = 24;
    std::vector<Point> points;
    for (int i = 0; i <= steps; ++i) {
        const double t = static_cast<double>(i) / steps, u = 1 - t;
        points.push_back({u * u * from[0] + 2 * u * t * control[0] + t * t * to[0],
                          u * u * from[1] + 2 * u * t * control[1] + t * t * to[1]});
    }
    // The head points along the curve's last stretch; the shaft ends where the head begins.
    const auto triangle = head_triangle(points[steps - 2], to, head);
    points.back() = {(triangle[1][0] + triangle[2][0]) / 2, (triangle[1][1] + triangle[2][1]) / 2};
    canvas.polyline(points, style);
    canvas.polygon(triangle, {style.stroke, std::nullopt, 1, style.opacity});
}

double text_width(const std::string& text, double size) { return static_cast<double>(utf8_length(text)) * size * 0.6; }

std::string truncate_text(const std::string& text, std::size_t max_chars) {
    if (utf8_length(text) <= max_chars) return text;
    std::size_t kept = 0, i = 0;
    const std::size_t keep = max_chars > 3 ? max_chars - 3 : 0;
    for (; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            if (kept == keep) break;
            ++kept;
        }
    }
    return text.substr(0, i) + "...";
}

}  // namespace emo::report
