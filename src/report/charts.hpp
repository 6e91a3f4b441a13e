// The charts of the web page (src/serve) and of `emo report`: one implementation, drawn through the Canvas interface
// so that the same code gives the inline SVG and the PNG files. Every data mark is a group with a class and data-*
// attributes (docs/report.md lists them) so that browser tests and scripts can find what was drawn.
#pragma once

#include "emo/dynamics.hpp"
#include "emo/emo.hpp"
#include "io/image.hpp"
#include "report/canvas.hpp"

#include <functional>
#include <string>
#include <vector>

namespace emo::report {

struct Chart {
    std::string id;                // "timeline", "valence_arousal", "causes", "waveform", "confusion", "per_class"
    std::string title;             // human title
    std::string svg;               // a complete <svg ...>...</svg> element, self-contained, with a viewBox so it scales
    double width = 0, height = 0;  // the chart's size in SVG units (the viewBox)
    // Draws the chart on any canvas of width x height units; svg is this drawn on an SvgCanvas. Holds its own copy
    // of the data, so it outlives the arguments the chart was made from.
    std::function<void(Canvas&)> draw;
};

// A conversation's results (Model::analyze, optionally with CauseModel::find_causes filled in) and its dynamics
// (conversation_dynamics): "timeline" (one lane per speaker, a coloured mark per utterance), "valence_arousal"
// (each speaker's running estimate as a path in the valence-arousal plane) and, when any result has at least one
// cause, "causes" (the utterances listed, with an arrow from each cause utterance to the one it causes). Results
// with an error are left out.
std::vector<Chart> conversation_charts(const std::vector<Result>& results, const ConversationDynamics& dynamics);

// An audio file and its results (SpeechModel::analyze with segments, or one whole-file result): "waveform", the
// min/max envelope per column with each segment's span shaded in its emotion's colour and labelled. A whole-file
// result (no start/end) spans the file. Throws Error naming `audio_path` when it cannot be read.
std::vector<Chart> audio_charts(const std::string& audio_path, const std::vector<AudioResult>& results);

// A labelled evaluation: "confusion" (heat map of the confusion matrix, shade by share of the gold row, with
// counts) and "per_class" (precision, recall and F1 bars per class).
std::vector<Chart> evaluation_charts(const EvalReport& report);

// The chart drawn on an RGB image at `pixel_scale` pixels per SVG unit.
io::Image render_image(const Chart& chart, double pixel_scale = 2);
// render_image written as a PNG file; Error naming `path` when it cannot be written.
void write_chart_png(const Chart& chart, const std::string& path, double pixel_scale = 2);

}  // namespace emo::report
