// The audio chart: the waveform's envelope with each segment's emotion shaded over its span.
#include "report/chart_parts.hpp"
#include "report/charts.hpp"
#include "report/palette.hpp"

#include "speech/audio_stream.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace emo::report {

namespace {

constexpr int columns = 900;
constexpr int envelope_rate = 16000;

struct Envelope {
    std::vector<float> low, high;  // per column, in [-1, 1]
    double seconds = 0;
    float peak = 0;
};

// The min / max of each column over the whole file, streamed so that long recordings need no more memory than the
// envelope itself.
Envelope envelope_of(const std::string& path) {
    speech::AudioStream stream(path, envelope_rate);
    const auto& info = stream.info();
    std::vector<float> all;
    std::size_t total =
        info.sample_rate > 0
            ? static_cast<std::size_t>(std::ceil(static_cast<double>(info.frames) * envelope_rate / info.sample_rate))
            : 0;
    if (total == 0) {
        // Length unknown from the header: read it all, then cut into columns.
        while (stream.read(all, 1 << 16) > 0) {
        }
        total = all.size();
    }
    Envelope env;
    env.low.assign(columns, std::numeric_limits<float>::max());
    env.high.assign(columns, std::numeric_limits<float>::lowest());
    std::size_t position = 0;
    const auto take = [&](const std::vector<float>& block) {
        for (const float x : block) {
            const auto column =
                std::min<std::size_t>(columns - 1, position * columns / std::max<std::size_t>(total, 1));
            env.low[column] = std::min(env.low[column], x);
            env.high[column] = std::max(env.high[column], x);
            env.peak = std::max(env.peak, std::abs(x));
            ++position;
        }
    };
    if (!all.empty()) {
        take(all);
    } else {
        std::vector<float> block;
        while (stream.read(block, 1 << 16) > 0) {
            take(block);
            block.clear();
        }
    }
    // Columns no sample reached (a file shorter than the chart is wide, or shorter than its header said) stay flat.
    for (int i = 0; i < columns; ++i)
        if (env.low[i] > env.high[i]) env.low[i] = env.high[i] = 0;
    env.seconds = static_cast<double>(position) / envelope_rate;
    return env;
}

// A tick step from a 1-2-5 ladder (and minutes) that puts at most about ten ticks on the axis.
double tick_step(double seconds) {
    for (const double step : {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0})
        if (seconds / step <= 10) return step;
    return 3600;
}

std::string time_label(double t) {
    if (t < 60) return fixed(t, t == std::floor(t) ? 0 : 1) + " s";
    const auto whole = static_cast<long>(std::lround(t));
    return std::to_string(whole / 60) + ":" + (whole % 60 < 10 ? "0" : "") + std::to_string(whole % 60);
}

}  // namespace

std::vector<Chart> audio_charts(const std::string& audio_path, const std::vector<AudioResult>& results) {
    auto env = std::make_shared<const Envelope>(envelope_of(audio_path));
    auto segments = std::make_shared<std::vector<AudioResult>>();
    for (const auto& r : results)
        if (r.error.empty()) segments->push_back(r);
    constexpr double left = 48, top = 30, plot_width = columns, plot_height = 160;
    const double width = left + plot_width + 24, height = top + plot_height + 64;
    return {make_chart("waveform", "Waveform with the emotion of each segment", width, height, [=](Canvas& c) {
        const double seconds = std::max(env->seconds, 1e-9);
        const auto to_x = [&](double t) { return left + std::clamp(t / seconds, 0.0, 1.0) * plot_width; };
        const double mid = top + plot_height / 2;
        c.rect(left, top, plot_width, plot_height, {Rgb{0xfb, 0xfb, 0xfc}, Rgb{0xdd, 0xdd, 0xdd}});
        std::vector<std::string> emotions;
        for (const auto& s : *segments) {
            add_unique(emotions, s.emotion);
            const double start = s.start.value_or(0), end = s.end.value_or(env->seconds);
            const double score = score_of(s.scores, s.emotion);
            c.begin_group(
                "segment",
                {{"data-start", fixed(start, 3)},
                 {"data-end", fixed(end, 3)},
                 {"data-emotion", s.emotion},
                 {"data-score", fixed(score, 4)}},
                time_label(start) + " - " + time_label(end) + ": " + s.emotion + " (" + fixed(score, 2) + ")");
            const Rgb colour = emotion_colour(s.emotion);
            const double x0 = to_x(start), x1 = std::max(to_x(end), x0 + 1);
            c.rect(x0, top, x1 - x0, plot_height, {colour, std::nullopt, 1, 0.3});
            c.rect(x0, top - 6, x1 - x0, 6, {colour, std::nullopt});
            const std::string label = s.emotion + " " + fixed(score, 2);
            if (text_width(label, 10) + 4 <= x1 - x0) c.text({x0 + 2, top - 10}, label, {10, {0x33, 0x33, 0x33}});
            c.end_group();
        }
        // Scaled to the file's peak, so that a quiet recording still shows its shape (data-peak says by how much).
        const double gain = env->peak > 0 ? plot_height / 2 / env->peak : 0;
        std::vector<Point> outline;
        for (int i = 0; i < columns; ++i) outline.push_back({left + i + 0.5, mid - env->high[i] * gain});
        for (int i = columns - 1; i >= 0; --i) outline.push_back({left + i + 0.5, mid - env->low[i] * gain - 0.5});
        c.begin_group("waveform", {{"data-columns", std::to_string(columns)},
                                   {"data-duration", fixed(env->seconds, 3)},
                                   {"data-peak", fixed(env->peak, 4)}});
        c.polygon(outline, {Rgb{0x37, 0x47, 0x4f}, std::nullopt});
        c.end_group();
        const double step = tick_step(env->seconds);
        for (double t = 0; t <= env->seconds + 1e-9; t += step) {
            c.line({to_x(t), top + plot_height}, {to_x(t), top + plot_height + 5},
                   {std::nullopt, Rgb{0x88, 0x88, 0x88}});
            c.text({to_x(t), top + plot_height + 18}, time_label(t), {10, {0x66, 0x66, 0x66}, Anchor::middle});
        }
        emotion_legend(c, left, top + plot_height + 44, emotions);
    })};
}

}  // namespace emo::report
