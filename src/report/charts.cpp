#include "report/charts.hpp"

#include "report/chart_parts.hpp"
#include "report/palette.hpp"
#include "report/raster_canvas.hpp"
#include "report/svg_canvas.hpp"

#include <algorithm>
#include <cstdio>

namespace emo::report {

Chart make_chart(std::string id, std::string title, double width, double height, std::function<void(Canvas&)> draw) {
    Chart chart{std::move(id), std::move(title), "", width, height, std::move(draw)};
    SvgCanvas svg(width, height, chart.title);
    chart.draw(svg);
    chart.svg = svg.finish();
    return chart;
}

double score_of(const std::map<std::string, double>& scores, const std::string& label) {
    const auto it = scores.find(label);
    return it == scores.end() ? 0 : it->second;
}

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

void add_unique(std::vector<std::string>& seen, const std::string& emotion) {
    if (std::find(seen.begin(), seen.end(), emotion) == seen.end()) seen.push_back(emotion);
}

double emotion_legend(Canvas& canvas, double x, double y, const std::vector<std::string>& emotions) {
    for (const auto& emotion : emotions) {
        canvas.begin_group("legend-item", {{"data-emotion", emotion}});
        canvas.rect(x, y - 9, 10, 10, {emotion_colour(emotion), std::nullopt});
        canvas.text({x + 14, y}, emotion, {10});
        canvas.end_group();
        x += 14 + text_width(emotion, 10) + 14;
    }
    return x;
}

io::Image render_image(const Chart& chart, double pixel_scale) {
    RasterCanvas canvas(chart.width, chart.height, pixel_scale);
    if (chart.draw) chart.draw(canvas);
    return canvas.image();
}

void write_chart_png(const Chart& chart, const std::string& path, double pixel_scale) {
    io::write_png(path, render_image(chart, pixel_scale));
}

}  // namespace emo::report
