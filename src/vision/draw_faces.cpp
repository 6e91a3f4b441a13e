// draw_faces: the picture that `emo face --draw` writes.
#include "emo/faces.hpp"
#include "io/image.hpp"
#include "vision/draw.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace emo {

namespace {

vision::Colour colour_of(const std::string& emotion) {
    static const std::map<std::string, vision::Colour> colours{
        {"angry", {220, 40, 40}}, {"disgust", {120, 160, 30}},   {"fear", {150, 60, 200}},    {"happy", {250, 190, 20}},
        {"sad", {40, 110, 220}},  {"surprise", {240, 110, 200}}, {"neutral", {160, 160, 160}}};
    const auto it = colours.find(emotion);
    return it == colours.end() ? vision::Colour{0, 200, 120} : it->second;
}

}  // namespace

void draw_faces(const std::string& image_path, const FaceResult& result, const std::string& out_path) {
    io::ImageReadOptions read;
    read.max_pixels =
        std::max<std::uint64_t>(read.max_pixels, static_cast<std::uint64_t>(result.width) * result.height);
    io::Image image = io::read_image(image_path, read);
    const int shorter = std::min(image.width, image.height);
    const int line = std::max(1, shorter / 250), scale = std::max(1, shorter / 320);
    const vision::Colour white{255, 255, 255};
    for (const Face& f : result.faces) {
        const auto colour = colour_of(f.emotion);
        const int x = static_cast<int>(std::lround(f.box.x)), y = static_cast<int>(std::lround(f.box.y));
        vision::outline_rect(image, x, y, static_cast<int>(std::lround(f.box.width)),
                             static_cast<int>(std::lround(f.box.height)), line, colour);
        for (const auto& l : f.landmarks)
            vision::fill_rect(image, static_cast<int>(std::lround(l.x)) - line,
                              static_cast<int>(std::lround(l.y)) - line, 2 * line + 1, 2 * line + 1, colour);
        char label[64];
        const auto p = f.scores.find(f.emotion);
        std::snprintf(label, sizeof label, "%s %.2f", f.emotion.c_str(), p == f.scores.end() ? 0.0 : p->second);
        // The label sits on a band of the box's colour above the box, or inside its top when there is no room.
        const int pad = scale, band = vision::text_height(scale) + 2 * pad;
        const int top = y - band >= 0 ? y - band : y;
        vision::fill_rect(image, x, top, vision::text_width(label, scale) + 2 * pad, band, colour);
        vision::draw_text(image, x + pad, top + pad, label, scale, white);
    }
    io::write_png(out_path, image);
}

}  // namespace emo
