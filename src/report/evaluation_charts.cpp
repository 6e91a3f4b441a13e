// The evaluation charts: confusion matrix heat map and per-class precision / recall / F1 bars.
#include "report/chart_parts.hpp"
#include "report/charts.hpp"
#include "report/palette.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

namespace emo::report {

namespace {

const Rgb axis_grey{0x66, 0x66, 0x66};

// White to dark blue by `share` in [0, 1].
Rgb heat(double share) {
    const Rgb dark{0x08, 0x45, 0x94};
    Rgb out;
    for (int i = 0; i < 3; ++i)
        out[i] = static_cast<std::uint8_t>(std::lround(255 + (dark[i] - 255) * std::clamp(share, 0.0, 1.0)));
    return out;
}

std::string summary(const EvalReport& r) {
    return "accuracy " + fixed(r.accuracy, 3) + ", macro-F1 " + fixed(r.macro_f1, 3) + ", weighted-F1 " +
           fixed(r.weighted_f1, 3) + ", n = " + std::to_string(r.count);
}

Chart confusion_chart(std::shared_ptr<const EvalReport> report) {
    constexpr double cell = 56, top = 64;
    double label_width = 0;
    for (const auto& l : report->labels) label_width = std::max(label_width, text_width(l, 11));
    const double left = 24 + label_width + 12, n = static_cast<double>(report->labels.size());
    const double width = left + n * cell + 70, height = top + n * cell + 30;
    return make_chart("confusion", "Confusion matrix", width, height, [=](Canvas& c) {
        c.text({12, 16}, summary(*report), {11, axis_grey});
        c.text({left, 36}, "predicted", {11, axis_grey, Anchor::start, true});
        c.text({left - 12, top - 8}, "gold", {11, axis_grey, Anchor::end, true});
        c.text({left + n * cell + 8, top - 8}, "n", {11, axis_grey, Anchor::start, true});
        const auto& labels = report->labels;
        for (std::size_t p = 0; p < labels.size(); ++p)
            c.text({left + (p + 0.5) * cell, top - 8}, truncate_text(labels[p], 9), {9, axis_grey, Anchor::middle});
        for (std::size_t g = 0; g < labels.size(); ++g) {
            const auto& row = report->confusion.at(g);
            const auto total = std::accumulate(row.begin(), row.end(), std::size_t{0});
            const double y = top + g * cell;
            c.text({left - 12, y + cell / 2 + 4}, labels[g], {11, emotion_colour(labels[g]), Anchor::end, true});
            for (std::size_t p = 0; p < labels.size(); ++p) {
                const std::size_t count = row.at(p);
                const double share = total ? static_cast<double>(count) / total : 0;
                const Rgb fill = heat(share);
                c.begin_group("cell",
                              {{"data-gold", labels[g]},
                               {"data-predicted", labels[p]},
                               {"data-count", std::to_string(count)},
                               {"data-share", fixed(share, 4)}},
                              "gold " + labels[g] + ", predicted " + labels[p] + ": " + std::to_string(count) + " (" +
                                  fixed(100 * share, 1) + "% of " + labels[g] + ")");
                c.rect(left + p * cell, y, cell - 2, cell - 2,
                       {fill, g == p ? std::optional<Rgb>(Rgb{0x33, 0x33, 0x33}) : std::nullopt, 1.5});
                c.text({left + (p + 0.5) * cell - 1, y + cell / 2 + 4}, std::to_string(count),
                       {12, text_colour_on(fill), Anchor::middle});
                c.end_group();
            }
            c.text({left + n * cell + 8, y + cell / 2 + 4}, std::to_string(total), {11, axis_grey});
        }
    });
}

Chart per_class_chart(std::shared_ptr<const EvalReport> report) {
    constexpr double left = 44, top = 56, plot_height = 200, bar = 14, gap = 18;
    const double group = 3 * bar + gap, n = static_cast<double>(report->per_class.size());
    const double width = left + n * group + 20, height = top + plot_height + 50;
    return make_chart("per_class", "Precision, recall and F1 per class", width, height, [=](Canvas& c) {
        c.text({12, 16}, summary(*report), {11, axis_grey});
        // The three metrics share the class's emotion colour, told apart by shade (legend) and letter.
        static constexpr std::array<double, 3> shade{0.4, 0.7, 1.0};
        static constexpr std::array<const char*, 3> metric{"precision", "recall", "f1"};
        double lx = left;
        for (int m = 0; m < 3; ++m) {
            c.rect(lx, 27, 10, 10, {Rgb{0x55, 0x55, 0x55}, std::nullopt, 1, shade[m]});
            c.text({lx + 14, 36}, metric[m], {10, axis_grey});
            lx += 14 + text_width(metric[m], 10) + 16;
        }
        const auto to_y = [&](double v) { return top + (1 - std::clamp(v, 0.0, 1.0)) * plot_height; };
        for (const double g : {0.0, 0.25, 0.5, 0.75, 1.0}) {
            c.line({left - 4, to_y(g)}, {width - 12, to_y(g)}, {std::nullopt, Rgb{0xe6, 0xe6, 0xe6}});
            c.text({left - 8, to_y(g) + 4}, fixed(g, 2), {9, axis_grey, Anchor::end});
        }
        for (std::size_t k = 0; k < report->per_class.size(); ++k) {
            const auto& cls = report->per_class[k];
            const double x = left + gap / 2 + k * group;
            const Rgb colour = emotion_colour(cls.label);
            const std::array<double, 3> values{cls.precision, cls.recall, cls.f1};
            for (int m = 0; m < 3; ++m) {
                c.begin_group(
                    "bar", {{"data-label", cls.label}, {"data-metric", metric[m]}, {"data-value", fixed(values[m], 4)}},
                    cls.label + " " + metric[m] + " " + fixed(values[m], 3) + " (support " +
                        std::to_string(cls.support) + ")");
                c.rect(x + m * bar, to_y(values[m]), bar - 1, plot_height * std::clamp(values[m], 0.0, 1.0),
                       {colour, std::nullopt, 1, shade[m]});
                c.end_group();
            }
            c.text({x + 1.5 * bar, top + plot_height + 16}, truncate_text(cls.label, 9),
                   {10, {0x33, 0x33, 0x33}, Anchor::middle});
            c.text({x + 1.5 * bar, top + plot_height + 30}, "n=" + std::to_string(cls.support),
                   {9, axis_grey, Anchor::middle});
        }
    });
}

}  // namespace

std::vector<Chart> evaluation_charts(const EvalReport& report) {
    auto shared = std::make_shared<const EvalReport>(report);
    return {confusion_chart(shared), per_class_chart(shared)};
}

}  // namespace emo::report
