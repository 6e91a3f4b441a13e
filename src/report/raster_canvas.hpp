// The raster backend of the chart drawing interface: draws on an RGB image (io::Image, written with io::write_png)
// with the antialiased shapes of vision/draw.hpp and emo's own bitmap font, at `pixel_scale` pixels per chart unit.
#pragma once

#include "io/image.hpp"
#include "report/canvas.hpp"

namespace emo::report {

class RasterCanvas : public Canvas {
public:
    // A white image of ceil(width * pixel_scale) x ceil(height * pixel_scale) pixels.
    RasterCanvas(double width, double height, double pixel_scale = 2);

    void begin_group(const std::string& css_class, const Attributes& attributes, const std::string& tooltip) override;
    void end_group() override;
    void rect(double x, double y, double width, double height, const Style& style) override;
    void line(Point from, Point to, const Style& style) override;
    void polyline(const std::vector<Point>& points, const Style& style) override;
    void polygon(const std::vector<Point>& points, const Style& style) override;
    void circle(Point centre, double radius, const Style& style) override;
    // The bitmap font has lower-case letters, digits and a few signs: capitals are drawn in lower case, other
    // characters as blanks.
    void text(Point at, const std::string& text, const TextStyle& style) override;

    const io::Image& image() const { return image_; }

private:
    io::Image image_;
    double scale_;
};

}  // namespace emo::report
