// Pieces the chart files share: making a Chart from a drawing function, number formatting, the emotion legend.
#pragma once

#include "report/canvas.hpp"
#include "report/charts.hpp"

#include <map>
#include <string>
#include <vector>

namespace emo::report {

// A Chart whose svg is `draw` on an SvgCanvas of width x height.
Chart make_chart(std::string id, std::string title, double width, double height, std::function<void(Canvas&)> draw);
// The probability `scores` give `label`, 0 when they give none (a result's score of its own emotion).
double score_of(const std::map<std::string, double>& scores, const std::string& label);
// `value` with `decimals` decimals ("0.43").
std::string fixed(double value, int decimals);
// A row of legend items (swatch + name) from x, y (baseline), in `emotions`' order, each a group
// class="legend-item" data-emotion. Returns the x after the last item.
double emotion_legend(Canvas& canvas, double x, double y, const std::vector<std::string>& emotions);
// `emotion` appended to `seen` unless it is there already: the legend lists emotions in order of appearance.
void add_unique(std::vector<std::string>& seen, const std::string& emotion);

}  // namespace emo::report
