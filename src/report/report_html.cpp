#include "report/report_html.hpp"

#include "report/chart_parts.hpp"
#include "report/palette.hpp"
#include "report/svg_canvas.hpp"
#include "report/xml_escape.hpp"

#include <sstream>

namespace emo::report {

namespace {

constexpr const char* style_sheet = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:24px 32px;color:#222;background:#fafafa;line-height:1.4}
h1{font-size:1.6em;margin:0 0 4px}
h2{font-size:1.25em;margin:0 0 8px}
section{background:#fff;border:1px solid #e2e2e2;border-radius:8px;padding:16px 20px;margin:20px 0}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:0 0 12px;font-size:.9em;color:#555}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
ol.utterances{list-style:none;padding:0;margin:0 0 12px}
ol.utterances li{display:flex;gap:10px;align-items:baseline;padding:4px 0;border-bottom:1px solid #f0f0f0}
.idx{color:#999;font-size:.8em;min-width:2em;text-align:right}
.speaker{font-weight:600;min-width:6em}
.chip{display:inline-block;border-radius:10px;padding:1px 9px;font-size:.85em;white-space:nowrap}
.gold{color:#777;font-size:.8em}
.causes{color:#555;font-size:.85em}
.error{color:#b00020}
table.segments{border-collapse:collapse;margin:0 0 12px;font-size:.9em}
table.segments td,table.segments th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
figure.chart{margin:16px 0}
figure.chart figcaption{font-weight:600;margin-bottom:4px}
figure.chart svg{max-width:100%;height:auto}
)";

std::string chip(const std::string& emotion, const std::string& label) {
    const Rgb colour = emotion_colour(emotion);
    return "<span class=\"chip\" data-emotion=\"" + xml_escape(emotion) +
           "\" style=\"background:" + hex_colour(colour) + ";color:" + hex_colour(text_colour_on(colour)) + "\">" +
           xml_escape(label) + "</span>";
}

void write_utterances(std::ostringstream& out, const std::vector<Result>& results) {
    out << "<ol class=\"utterances\">";
    for (const auto& r : results) {
        out << "<li class=\"utterance\" data-index=\"" << r.index << "\" data-speaker=\"" << xml_escape(r.speaker)
            << "\" data-emotion=\"" << xml_escape(r.emotion) << "\"><span class=\"idx\">" << r.index
            << "</span><span class=\"speaker\">" << xml_escape(r.speaker) << "</span>";
        if (!r.error.empty()) {
            out << "<span class=\"error\">" << xml_escape(r.error) << "</span></li>";
            continue;
        }
        out << chip(r.emotion, r.emotion + " " + fixed(score_of(r.scores, r.emotion), 2));
        out << "<span class=\"text\">" << xml_escape(r.text) << "</span>";
        if (!r.gold.empty()) out << "<span class=\"gold\">gold: " << xml_escape(r.gold) << "</span>";
        if (r.causes && !r.causes->empty()) {
            out << "<span class=\"causes\">caused by ";
            for (std::size_t i = 0; i < r.causes->size(); ++i) {
                const auto& c = (*r.causes)[i];
                out << (i ? "; " : "") << "<span class=\"cause\" data-from=\"" << c.index << "\">#" << c.index
                    << " &#8220;" << xml_escape(c.span) << "&#8221; (" << fixed(c.score, 2) << ")</span>";
            }
            out << "</span>";
        }
        out << "</li>";
    }
    out << "</ol>";
}

void write_segments(std::ostringstream& out, const std::vector<AudioResult>& segments) {
    out << "<table class=\"segments\"><thead><tr><th>start (s)</th><th>end (s)</th><th>emotion</th><th>valence</th>"
           "<th>arousal</th></tr></thead><tbody>";
    for (const auto& s : segments) {
        out << "<tr class=\"segment-row\" data-emotion=\"" << xml_escape(s.emotion) << "\"><td>"
            << (s.start ? fixed(*s.start, 2) : "") << "</td><td>" << (s.end ? fixed(*s.end, 2) : "") << "</td><td>";
        if (!s.error.empty()) {
            out << "<span class=\"error\">" << xml_escape(s.error) << "</span></td><td></td><td></td></tr>";
            continue;
        }
        out << chip(s.emotion, s.emotion + " " + fixed(score_of(s.scores, s.emotion), 2)) << "</td><td>"
            << (s.vad.count("valence") ? fixed(s.vad.at("valence"), 2) : "") << "</td><td>"
            << (s.vad.count("arousal") ? fixed(s.vad.at("arousal"), 2) : "") << "</td></tr>";
    }
    out << "</tbody></table>";
}

}  // namespace

std::string report_html(const std::string& title, const std::vector<ReportSection>& sections) {
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
        << xml_escape(title) << "</title><style>" << style_sheet << "</style></head><body>\n<h1>" << xml_escape(title)
        << "</h1>\n";
    for (std::size_t s = 0; s < sections.size(); ++s) {
        const auto& section = sections[s];
        out << "<section class=\"" << xml_escape(section.kind) << "\" id=\"section-" << s << "\"><h2>"
            << xml_escape(section.heading) << "</h2>";
        if (!section.facts.empty()) {
            out << "<dl class=\"facts\">";
            for (const auto& [name, value] : section.facts)
                out << "<dt>" << xml_escape(name) << "</dt><dd>" << xml_escape(value) << "</dd>";
            out << "</dl>";
        }
        if (!section.utterances.empty()) write_utterances(out, section.utterances);
        if (!section.segments.empty()) write_segments(out, section.segments);
        for (const auto& chart : section.charts)
            out << "\n<figure class=\"chart\" id=\"section-" << s << '-' << xml_escape(chart.id) << "\" data-chart=\""
                << xml_escape(chart.id) << "\"><figcaption>" << xml_escape(chart.title) << "</figcaption>" << chart.svg
                << "</figure>";
        out << "</section>\n";
    }
    out << "<footer style=\"color:#888;font-size:.8em\">Written by emo report.</footer></body></html>\n";
    return out.str();
}

}  // namespace emo::report
