// The self-contained HTML page of `emo report`: inline CSS and inline SVG charts, no scripts, fonts or links to
// anything outside the file.
#pragma once

#include "emo/emo.hpp"
#include "report/charts.hpp"

#include <string>
#include <utility>
#include <vector>

namespace emo::report {

// One analysed input (a dialogue, a recording, an evaluation) and its charts.
struct ReportSection {
    std::string kind;     // "conversation", "audio" or "evaluation": the section's class on the page
    std::string heading;  // what was analysed, e.g. "examples/dinner_plans.csv, dialogue dinner"
    std::vector<std::pair<std::string, std::string>> facts;  // name / value lines under the heading (model, counts)
    std::vector<Result> utterances;                          // listed as emotion chips with speaker, text and causes
    std::vector<AudioResult> segments;                       // listed as a table of spans and emotions
    std::vector<Chart> charts;
};

// The whole page: `title`, then each section (heading, facts, utterances or segments, charts) in order. All text
// is escaped; the charts' SVG goes in as it is.
std::string report_html(const std::string& title, const std::vector<ReportSection>& sections);

}  // namespace emo::report
