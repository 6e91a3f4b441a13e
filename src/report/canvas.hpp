// The drawing interface every chart is written against, so that one chart implementation gives both the inline SVG
// of the report and web page (SvgCanvas) and the PNG files of `emo report --png` (RasterCanvas). Coordinates are in
// chart units, y downwards, as in SVG.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace emo::report {

using Rgb = std::array<std::uint8_t, 3>;
using Point = std::array<double, 2>;
// Attributes of a group, written as they are named ("data-index", "data-emotion", ...).
using Attributes = std::vector<std::pair<std::string, std::string>>;

struct Style {
    std::optional<Rgb> fill;    // nothing: not filled
    std::optional<Rgb> stroke;  // nothing: no outline
    double stroke_width = 1;
    double opacity = 1;  // of the whole shape, in [0, 1]
};

enum class Anchor { start, middle, end };

struct TextStyle {
    double size = 12;  // font size in chart units
    Rgb colour{0x22, 0x22, 0x22};
    Anchor anchor = Anchor::start;
    bool bold = false;
};

class Canvas {
public:
    virtual ~Canvas() = default;
    // Groups nest; a group carries the class and data-* attributes that tests and the page find marks by, and a
    // tooltip (SVG <title>). The raster backend draws the contents and ignores the rest.
    virtual void begin_group(const std::string& css_class, const Attributes& attributes = {},
                             const std::string& tooltip = "") = 0;
    virtual void end_group() = 0;
    virtual void rect(double x, double y, double width, double height, const Style& style) = 0;
    virtual void line(Point from, Point to, const Style& style) = 0;
    // Open path through `points` (stroke only; fill is ignored).
    virtual void polyline(const std::vector<Point>& points, const Style& style) = 0;
    virtual void polygon(const std::vector<Point>& points, const Style& style) = 0;
    virtual void circle(Point centre, double radius, const Style& style) = 0;
    // `text` (UTF-8) with its baseline at `at`'s y, placed by the anchor.
    virtual void text(Point at, const std::string& text, const TextStyle& style) = 0;
};

// A line from `from` to `to` with a filled triangular head `head` long at `to`, in the stroke colour; both backends
// draw the same shapes.
void arrow(Canvas& canvas, Point from, Point to, const Style& style, double head = 7);
// An arrow along a quadratic Bézier curve from `from` through control point `control` to `to`, sampled as a
// polyline (so the raster backend needs no curves).
void curved_arrow(Canvas& canvas, Point from, Point control, Point to, const Style& style, double head = 7);
// The width `text` takes at `size` in chart units, the same estimate for both backends (0.6 em per character), so
// that layout does not depend on the backend.
double text_width(const std::string& text, double size);
// `text` cut to at most `max_chars` characters (UTF-8 aware), with "..." when cut.
std::string truncate_text(const std::string& text, std::size_t max_chars);

}  // namespace emo::report
