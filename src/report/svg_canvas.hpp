// The SVG backend of the chart drawing interface: a self-contained <svg> element (viewBox, no external fonts or
// scripts) with groups carrying their class and data-* attributes.
#pragma once

#include "report/canvas.hpp"

#include <sstream>
#include <string>

namespace emo::report {

class SvgCanvas : public Canvas {
public:
    // A chart `width` x `height` units; `label` becomes the svg's aria-label.
    SvgCanvas(double width, double height, const std::string& label);

    void begin_group(const std::string& css_class, const Attributes& attributes, const std::string& tooltip) override;
    void end_group() override;
    void rect(double x, double y, double width, double height, const Style& style) override;
    void line(Point from, Point to, const Style& style) override;
    void polyline(const std::vector<Point>& points, const Style& style) override;
    void polygon(const std::vector<Point>& points, const Style& style) override;
    void circle(Point centre, double radius, const Style& style) override;
    void text(Point at, const std::string& text, const TextStyle& style) override;

    // The finished <svg> element; groups left open are closed.
    std::string finish();

private:
    std::ostringstream out_;
    int open_groups_ = 0;
};

// "#rrggbb".
std::string hex_colour(Rgb colour);

}  // namespace emo::report
