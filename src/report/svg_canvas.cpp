#include "report/svg_canvas.hpp"

#include "report/xml_escape.hpp"

#include <cstdio>

namespace emo::report {

namespace {

// Numbers with at most two decimals: enough for screen units, and the SVG stays small.
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s(buf);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string paint(const Style& style) {
    std::string s = " fill=\"" + (style.fill ? hex_colour(*style.fill) : std::string("none")) + '"';
    if (style.stroke)
        s += " stroke=\"" + hex_colour(*style.stroke) + "\" stroke-width=\"" + num(style.stroke_width) + '"';
    if (style.opacity < 1) s += " opacity=\"" + num(style.opacity) + '"';
    return s;
}

std::string points_attribute(const std::vector<Point>& points) {
    std::string s;
    for (const auto& [x, y] : points) {
        if (!s.empty()) s += ' ';
        s.append(num(x)).append(",").append(num(y));
    }
    return s;
}

}  // namespace

std::string hex_colour(Rgb colour) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", colour[0], colour[1], colour[2]);
    return buf;
}

SvgCanvas::SvgCanvas(double width, double height, const std::string& label) {
    out_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << num(width) << ' ' << num(height)
         << "\" width=\"" << num(width) << "\" height=\"" << num(height) << "\" role=\"img\" aria-label=\""
         << xml_escape(label) << "\" font-family=\"sans-serif\">";
}

void SvgCanvas::begin_group(const std::string& css_class, const Attributes& attributes, const std::string& tooltip) {
    out_ << "<g class=\"" << xml_escape(css_class) << '"';
    for (const auto& [name, value] : attributes) out_ << ' ' << xml_escape(name) << "=\"" << xml_escape(value) << '"';
    out_ << '>';
    if (!tooltip.empty()) out_ << "<title>" << xml_escape(tooltip) << "</title>";
    ++open_groups_;
}

void SvgCanvas::end_group() {
    if (open_groups_ == 0) return;
    out_ << "</g>";
    --open_groups_;
}

void SvgCanvas::rect(double x, double y, double width, double height, const Style& style) {
    out_ << "<rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"" << num(width) << "\" height=\""
         << num(height) << '"' << paint(style) << "/>";
}

void SvgCanvas::line(Point from, Point to, const Style& style) {
    out_ << "<line x1=\"" << num(from[0]) << "\" y1=\"" << num(from[1]) << "\" x2=\"" << num(to[0]) << "\" y2=\""
         << num(to[1]) << '"' << paint({std::nullopt, style.stroke, style.stroke_width, style.opacity}) << "/>";
}

void SvgCanvas::polyline(const std::vector<Point>& points, const Style& style) {
    out_ << "<polyline points=\"" << points_attribute(points) << '"'
         << paint({std::nullopt, style.stroke, style.stroke_width, style.opacity})
         << " stroke-linejoin=\"round\" stroke-linecap=\"round\"/>";
}

void SvgCanvas::polygon(const std::vector<Point>& points, const Style& style) {
    out_ << "<polygon points=\"" << points_attribute(points) << '"' << paint(style) << "/>";
}

void SvgCanvas::circle(Point centre, double radius, const Style& style) {
    out_ << "<circle cx=\"" << num(centre[0]) << "\" cy=\"" << num(centre[1]) << "\" r=\"" << num(radius) << '"'
         << paint(style) << "/>";
}

void SvgCanvas::text(Point at, const std::string& text, const TextStyle& style) {
    static constexpr const char* anchors[] = {"start", "middle", "end"};
    out_ << "<text x=\"" << num(at[0]) << "\" y=\"" << num(at[1]) << "\" font-size=\"" << num(style.size)
         << "\" fill=\"" << hex_colour(style.colour) << '"';
    if (style.anchor != Anchor::start) out_ << " text-anchor=\"" << anchors[static_cast<int>(style.anchor)] << '"';
    if (style.bold) out_ << " font-weight=\"bold\"";
    out_ << '>' << xml_escape(text) << "</text>";
}

std::string SvgCanvas::finish() {
    while (open_groups_ > 0) end_group();
    out_ << "</svg>";
    return out_.str();
}

}  // namespace emo::report
