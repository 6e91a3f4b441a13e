// The HTML page of emo report: self-contained, escaped, with a chip per utterance and the charts inline.
#include "report/report_html.hpp"

#include "emo/dynamics.hpp"
#include "xml_check.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace emo_test;

namespace {

std::vector<emo::Result> results() {
    std::vector<emo::Result> out(3);
    const char* speakers[] = {"Ann", "<script>&\"", "Ann"};
    const char* emotions[] = {"joy", "anger", "neutral"};
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].index = i;
        out[i].speaker = speakers[i];
        out[i].text = "text " + std::to_string(i) + " </li><script>alert(1)</script>";
        out[i].emotion = emotions[i];
        out[i].scores = {{emotions[i], 0.9}};
    }
    out[1].causes = std::vector<emo::Cause>{{0, 0.75, "text 0", 0, 6}};
    return out;
}

std::string page() {
    const auto r = results();
    emo::report::ReportSection section;
    section.kind = "conversation";
    section.heading = "talk.csv <dialogue>";
    section.facts = {{"input", "talk.csv"}};
    section.charts = emo::report::conversation_charts(r, emo::conversation_dynamics(r));
    section.utterances = r;
    return emo::report::report_html("Report & <title>", {section});
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

TEST(ReportHtml, IsSelfContainedWithNoScriptsOrExternalResources) {
    const std::string html = lower(page());
    EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_EQ(html.find(" src="), std::string::npos);
    EXPECT_EQ(html.find("href"), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    EXPECT_EQ(html.find("url("), std::string::npos);
    EXPECT_NE(html.find("<style>"), std::string::npos);
}

TEST(ReportHtml, ListsEveryUtteranceAsAColouredChipWithEscapedText) {
    const std::string html = page();
    EXPECT_EQ(occurrences(html, "<li class=\"utterance\""), 3u);
    EXPECT_EQ(occurrences(html, "<span class=\"chip\""), 3u);
    EXPECT_NE(html.find("data-speaker=\"&lt;script&gt;&amp;&quot;\""), std::string::npos);
    EXPECT_NE(html.find("&lt;/li&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("<title>Report &amp; &lt;title&gt;</title>"), std::string::npos);
    EXPECT_NE(html.find("<h2>talk.csv &lt;dialogue&gt;</h2>"), std::string::npos);
    EXPECT_NE(html.find("<span class=\"cause\" data-from=\"0\">#0"), std::string::npos);
    // The body's markup (everything after the style sheet) nests properly once the doctype and void <meta>s are set
    // aside: the escaping left no stray tag behind.
    const auto body = html.substr(html.find("<body>"));
    EXPECT_EQ(xml_problem(body.substr(0, body.find("</html>"))), "");
}

TEST(ReportHtml, EmbedsEachChartInAFigure) {
    const std::string html = page();
    for (const char* id : {"timeline", "valence_arousal", "causes"})
        EXPECT_NE(html.find("data-chart=\"" + std::string(id) + "\""), std::string::npos) << id;
    EXPECT_EQ(occurrences(html, "<svg "), 3u);
    EXPECT_EQ(occurrences(html, "class=\"cause-arrow\""), 1u);
}

}  // namespace
