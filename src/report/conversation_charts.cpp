// The conversation charts: per-speaker emotion timeline, valence / arousal paths, cause arrows.
#include "report/chart_parts.hpp"
#include "report/charts.hpp"
#include "report/palette.hpp"

#include "labels/circumplex.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace emo::report {

namespace {

const Rgb grid_grey{0xdd, 0xdd, 0xdd}, axis_grey{0x88, 0x88, 0x88}, lane_shade{0xf4, 0xf5, 0xf7};

// The results that carry a prediction, and the speakers in order of first appearance (the dynamics' order, then
// any speaker the dynamics lacks).
struct ConversationData {
    std::vector<Result> results;
    std::vector<std::string> speakers;
    std::vector<std::string> emotions;  // predicted, in order of first appearance (the legends' order)
    ConversationDynamics dynamics;
    std::set<std::size_t> shifts;  // indexes where a speaker's emotion changed

    // `speaker`'s position in speakers (speakers.size() when absent).
    std::size_t speaker_index(const std::string& speaker) const {
        return static_cast<std::size_t>(std::find(speakers.begin(), speakers.end(), speaker) - speakers.begin());
    }
};

std::shared_ptr<const ConversationData> prepare(const std::vector<Result>& results,
                                                const ConversationDynamics& dynamics) {
    auto data = std::make_shared<ConversationData>();
    for (const auto& r : results)
        if (r.error.empty()) data->results.push_back(r);
    data->dynamics = dynamics;
    for (const auto& s : dynamics.speakers) {
        add_unique(data->speakers, s.speaker);
        for (const auto& shift : s.shifts) data->shifts.insert(shift.index);
    }
    for (const auto& r : data->results) {
        add_unique(data->speakers, r.speaker);
        add_unique(data->emotions, r.emotion);
    }
    return data;
}

// How many rows above the utterance `to` its cause `from` stands (0 for itself or a later one) in the causes chart.
std::size_t rows_back(const std::map<std::size_t, std::size_t>& row_of, std::size_t to, std::size_t from) {
    return row_of.at(to) - std::min(row_of.at(to), row_of.at(from));
}

std::string utterance_tooltip(const Result& r) {
    // Appended piece by piece: GCC 12 raises a false -Wrestrict alarm on a chain of string + string.
    std::string s = "#";
    s.append(std::to_string(r.index)).append(" ").append(r.speaker).append(": ").append(r.text);
    return s.append(" (").append(r.emotion).append(" ").append(fixed(score_of(r.scores, r.emotion), 2)).append(")");
}

Chart timeline_chart(std::shared_ptr<const ConversationData> data) {
    constexpr double left = 120, top = 16, column = 60, lane = 48;
    const double n = static_cast<double>(data->results.size());
    const double lanes = static_cast<double>(std::max<std::size_t>(data->speakers.size(), 1));
    const double width = left + std::max(n, 1.0) * column + 20, height = top + lanes * lane + 56;
    return make_chart("timeline", "Emotion timeline per speaker", width, height, [=](Canvas& c) {
        const auto lane_of = [&](const std::string& speaker) {
            return static_cast<double>(data->speaker_index(speaker));
        };
        const auto centre_y = [&](const std::string& speaker) { return top + lane_of(speaker) * lane + lane / 2 - 4; };
        for (std::size_t s = 0; s < data->speakers.size(); ++s) {
            c.begin_group("lane", {{"data-speaker", data->speakers[s]}});
            if (s % 2 == 0) c.rect(left - 8, top + s * lane, n * column + 16, lane, {lane_shade, std::nullopt});
            c.text({left - 14, top + s * lane + lane / 2}, truncate_text(data->speakers[s], 16),
                   {12, speaker_colour(s), Anchor::end, true});
            c.end_group();
        }
        // Each speaker's marks joined in order, so that a speaker's course reads along the lane.
        std::map<std::string, std::vector<Point>> courses;
        for (std::size_t i = 0; i < data->results.size(); ++i)
            courses[data->results[i].speaker].push_back(
                {left + (i + 0.5) * column, centre_y(data->results[i].speaker)});
        for (const auto& [speaker, points] : courses) c.polyline(points, {std::nullopt, grid_grey, 2});
        for (std::size_t i = 0; i < data->results.size(); ++i) {
            const Result& r = data->results[i];
            const bool shift = data->shifts.count(r.index) > 0;
            const Point at{left + (i + 0.5) * column, centre_y(r.speaker)};
            c.begin_group("utterance",
                          {{"data-index", std::to_string(r.index)},
                           {"data-speaker", r.speaker},
                           {"data-emotion", r.emotion},
                           {"data-score", fixed(score_of(r.scores, r.emotion), 4)},
                           {"data-shift", shift ? "true" : "false"}},
                          utterance_tooltip(r));
            // A shift (the speaker's emotion changed since their last turn) gets a ring around its mark.
            if (shift) c.circle(at, 13, {std::nullopt, Rgb{0x33, 0x33, 0x33}, 1.5});
            c.circle(at, 9, {emotion_colour(r.emotion), Rgb{0xff, 0xff, 0xff}, 1.5});
            c.text({at[0], at[1] + 24}, r.emotion, {10, {0x33, 0x33, 0x33}, Anchor::middle});
            c.end_group();
        }
        const double axis_y = top + lanes * lane + 16;
        c.text({left - 14, axis_y}, "utterance", {10, axis_grey, Anchor::end});
        for (std::size_t i = 0; i < data->results.size(); ++i)
            c.text({left + (i + 0.5) * column, axis_y}, std::to_string(data->results[i].index),
                   {10, axis_grey, Anchor::middle});
        const double legend_x = emotion_legend(c, left, axis_y + 24, data->emotions);
        if (!data->shifts.empty()) {
            c.circle({legend_x + 6, axis_y + 20}, 6, {std::nullopt, Rgb{0x33, 0x33, 0x33}, 1.5});
            c.text({legend_x + 16, axis_y + 24}, "shift", {10});
        }
    });
}

Chart valence_arousal_chart(std::shared_ptr<const ConversationData> data) {
    constexpr double left = 56, top = 24, side = 400, legend_width = 170;
    const double width = left + side + 24 + legend_width, height = top + side + 44;
    return make_chart(
        "valence_arousal", "Valence and arousal per speaker (running estimate)", width, height, [=](Canvas& c) {
            const auto to_x = [&](double v) { return left + (std::clamp(v, -1.0, 1.0) + 1) / 2 * side; };
            const auto to_y = [&](double a) { return top + (1 - std::clamp(a, -1.0, 1.0)) / 2 * side; };
            c.rect(left, top, side, side, {Rgb{0xfb, 0xfb, 0xfc}, grid_grey});
            for (const double g : {-0.5, 0.5}) {
                c.line({to_x(g), top}, {to_x(g), top + side}, {std::nullopt, Rgb{0xee, 0xee, 0xee}});
                c.line({left, to_y(g)}, {left + side, to_y(g)}, {std::nullopt, Rgb{0xee, 0xee, 0xee}});
            }
            c.line({to_x(0), top}, {to_x(0), top + side}, {std::nullopt, axis_grey});
            c.line({left, to_y(0)}, {left + side, to_y(0)}, {std::nullopt, axis_grey});
            c.text({left + side, top + side + 18}, "valence +1", {10, axis_grey, Anchor::end});
            c.text({left, top + side + 18}, "-1", {10, axis_grey});
            c.text({to_x(0) + 6, top + 12}, "arousal +1", {10, axis_grey});
            c.text({to_x(0) + 6, top + side - 4}, "-1", {10, axis_grey});
            // Where each emotion present sits on the circumplex, as a reference for reading the paths.
            for (const auto& e : data->emotions) {
                const auto place = labels::circumplex_place(e);
                if (!place) continue;
                const Point p{to_x(place->first), to_y(place->second)};
                c.begin_group("anchor", {{"data-emotion", e}});
                c.line({p[0] - 4, p[1] - 4}, {p[0] + 4, p[1] + 4}, {std::nullopt, emotion_colour(e), 1.5});
                c.line({p[0] - 4, p[1] + 4}, {p[0] + 4, p[1] - 4}, {std::nullopt, emotion_colour(e), 1.5});
                c.text({p[0] + 7, p[1] + 4}, e, {10, emotion_colour(e)});
                c.end_group();
            }
            const auto& speakers = data->dynamics.speakers;
            for (std::size_t s = 0; s < speakers.size(); ++s) {
                const auto& sp = speakers[s];
                const Rgb colour = speaker_colour(s);
                std::vector<Point> path;
                for (const auto& t : sp.turns) path.push_back({to_x(t.running_valence), to_y(t.running_arousal)});
                c.begin_group("va-path",
                              {{"data-speaker", sp.speaker}, {"data-turns", std::to_string(sp.turns.size())}});
                if (path.size() >= 2) {
                    c.polyline(std::vector<Point>(path.begin(), path.end() - 1), {std::nullopt, colour, 2, 0.8});
                    arrow(c, path[path.size() - 2], path.back(), {std::nullopt, colour, 2, 0.8}, 9);
                }
                c.end_group();
                for (std::size_t t = 0; t < sp.turns.size(); ++t) {
                    const auto& turn = sp.turns[t];
                    c.begin_group("va-point",
                                  {{"data-speaker", sp.speaker},
                                   {"data-index", std::to_string(turn.index)},
                                   {"data-emotion", turn.emotion},
                                   {"data-valence", fixed(turn.running_valence, 4)},
                                   {"data-arousal", fixed(turn.running_arousal, 4)}},
                                  sp.speaker + " after #" + std::to_string(turn.index) + " (" + turn.emotion +
                                      "): valence " + fixed(turn.running_valence, 2) + ", arousal " +
                                      fixed(turn.running_arousal, 2));
                    c.circle(path[t], 5.5, {emotion_colour(turn.emotion), colour, 1.5});
                    c.text({path[t][0] + 7, path[t][1] - 6}, std::to_string(turn.index), {9, colour});
                    c.end_group();
                }
            }
            double y = top + 14;
            const double x = left + side + 24;
            c.text({x, y}, "speakers", {11, axis_grey, Anchor::start, true});
            for (std::size_t s = 0; s < speakers.size(); ++s) {
                y += 20;
                c.begin_group("legend-speaker", {{"data-speaker", speakers[s].speaker}});
                c.line({x, y - 4}, {x + 18, y - 4}, {std::nullopt, speaker_colour(s), 2.5});
                c.text({x + 24, y}, truncate_text(speakers[s].speaker, 20), {11, speaker_colour(s)});
                c.end_group();
            }
            c.text({x, y + 26}, "numbers: utterance", {9, axis_grey});
            c.text({x, y + 38}, "smoothing " + fixed(data->dynamics.smoothing, 2), {9, axis_grey});
        });
}

bool any_cause(const std::vector<Result>& results) {
    return std::any_of(results.begin(), results.end(), [](const Result& r) { return r.causes && !r.causes->empty(); });
}

Chart causes_chart(std::shared_ptr<const ConversationData> data) {
    constexpr double top = 28, row = 26, text_chars = 80;
    // The arcs bulge left in proportion to how far back the cause lies, so the margin fits the longest one.
    std::size_t longest = 0;
    std::map<std::size_t, std::size_t> row_of;  // utterance index -> row
    for (std::size_t i = 0; i < data->results.size(); ++i) row_of[data->results[i].index] = i;
    for (const auto& r : data->results)
        if (r.causes)
            for (const auto& cause : *r.causes)
                if (row_of.count(cause.index)) longest = std::max(longest, rows_back(row_of, r.index, cause.index));
    const auto depth = [](std::size_t rows) { return 18.0 + 12.0 * std::min<std::size_t>(rows, 14); };
    const double anchor_x = 16 + depth(longest), index_x = anchor_x + 8, speaker_x = index_x + 30,
                 chip_x = speaker_x + 104, text_x = chip_x + 80;
    const double width = text_x + text_width(std::string(static_cast<std::size_t>(text_chars), 'x'), 11) + 16;
    const double height = top + data->results.size() * row + 16;
    return make_chart("causes", "Emotion causes", width, height, [=](Canvas& c) {
        c.text({index_x, 14}, "arrows run from each cause to the utterance whose emotion it causes", {10, axis_grey});
        const auto row_y = [&](std::size_t index) { return top + row_of.at(index) * row + row / 2; };
        for (std::size_t i = 0; i < data->results.size(); ++i) {
            const Result& r = data->results[i];
            const double y = top + i * row;
            const auto speaker = data->speaker_index(r.speaker);
            c.begin_group(
                "cause-row",
                {{"data-index", std::to_string(r.index)}, {"data-speaker", r.speaker}, {"data-emotion", r.emotion}},
                utterance_tooltip(r));
            if (i % 2 == 0) c.rect(index_x - 4, y, width - index_x, row, {lane_shade, std::nullopt});
            c.text({index_x, y + 17}, std::to_string(r.index), {11, axis_grey});
            c.text({speaker_x, y + 17}, truncate_text(r.speaker, 14),
                   {11, speaker_colour(speaker), Anchor::start, true});
            const Rgb chip = emotion_colour(r.emotion);
            c.rect(chip_x, y + 4, 72, row - 8, {chip, std::nullopt});
            c.text({chip_x + 36, y + 17}, r.emotion, {10, text_colour_on(chip), Anchor::middle});
            c.text({text_x, y + 17}, truncate_text(r.text, static_cast<std::size_t>(text_chars)), {11});
            c.end_group();
        }
        for (const auto& r : data->results) {
            if (!r.causes) continue;
            for (const auto& cause : *r.causes) {
                if (!row_of.count(cause.index)) continue;
                const double y_from = row_y(cause.index), y_to = row_y(r.index);
                const Style style{std::nullopt, emotion_colour(r.emotion), 1 + 2 * std::clamp(cause.score, 0.0, 1.0),
                                  0.9};
                c.begin_group("cause-arrow",
                              {{"data-from", std::to_string(cause.index)},
                               {"data-to", std::to_string(r.index)},
                               {"data-score", fixed(cause.score, 4)}},
                              std::string("#")
                                  .append(std::to_string(cause.index))
                                  .append(" causes #")
                                  .append(std::to_string(r.index))
                                  .append("'s ")
                                  .append(r.emotion)
                                  .append(" (")
                                  .append(fixed(cause.score, 2))
                                  .append("): ")
                                  .append(cause.span));
                if (cause.index == r.index) {
                    // An utterance that causes its own emotion: a small loop beside its row.
                    curved_arrow(c, {anchor_x, y_to - 7}, {anchor_x - 26, y_to}, {anchor_x, y_to + 6}, style, 6);
                } else {
                    const std::size_t rows = rows_back(row_of, r.index, cause.index);
                    curved_arrow(c, {anchor_x, y_from}, {anchor_x - 2 * depth(rows), (y_from + y_to) / 2},
                                 {anchor_x, y_to}, style, 8);
                }
                c.end_group();
            }
        }
    });
}

}  // namespace

std::vector<Chart> conversation_charts(const std::vector<Result>& results, const ConversationDynamics& dynamics) {
    const auto data = prepare(results, dynamics);
    std::vector<Chart> charts{timeline_chart(data), valence_arousal_chart(data)};
    if (any_cause(data->results)) charts.push_back(causes_chart(data));
    return charts;
}

}  // namespace emo::report
