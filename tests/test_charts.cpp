// The charts of src/report: the SVG's marks match the results, text is escaped, the PNG backend draws the same.
#include "report/charts.hpp"
#include "report/palette.hpp"
#include "report/svg_canvas.hpp"

#include "emo/dynamics.hpp"
#include "io/image.hpp"
#include "scratch_dir.hpp"
#include "synthetic_voice.hpp"
#include "xml_check.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

using namespace emo_test;

namespace {

const std::string nasty = "<script>&\"";

emo::Result utterance(std::size_t index, const std::string& speaker, const std::string& emotion, double p) {
    emo::Result r;
    r.dialogue_id = "d";
    r.index = index;
    r.speaker = speaker;
    r.text = "utterance " + std::to_string(index) + " <b>&";
    r.emotion = emotion;
    for (const auto* label : {"anger", "joy", "neutral", "sadness"})
        r.scores[label] = label == emotion ? p : (1 - p) / 3;
    return r;
}

// Four utterances of two speakers (one with a name full of markup); #3 caused by #1 and by itself.
std::vector<emo::Result> conversation() {
    std::vector<emo::Result> results{utterance(0, "Maya", "joy", 0.7), utterance(1, nasty, "anger", 0.6),
                                     utterance(2, "Maya", "joy", 0.5), utterance(3, nasty, "sadness", 0.8)};
    results[3].causes = std::vector<emo::Cause>{{1, 0.9, "utterance 1", 0, 11}, {3, 0.6, "utterance 3", 0, 11}};
    results[1].causes = std::vector<emo::Cause>{};
    return results;
}

const emo::report::Chart& find(const std::vector<emo::report::Chart>& charts, const std::string& id) {
    for (const auto& c : charts)
        if (c.id == id) return c;
    throw std::runtime_error("no chart " + id);
}

// The values of `attribute` on elements of `css_class`, in document order.
std::vector<std::string> values(const std::string& svg, const std::string& css_class, const std::string& attribute) {
    std::vector<std::string> out;
    const std::regex element("<g class=\"" + css_class + "\"([^>]*)>");
    const std::regex value(" " + attribute + "=\"([^\"]*)\"");
    for (std::sregex_iterator it(svg.begin(), svg.end(), element), end; it != end; ++it) {
        const std::string attrs = (*it)[1];
        std::smatch m;
        out.push_back(std::regex_search(attrs, m, value) ? std::string(m[1]) : "<missing>");
    }
    return out;
}

emo::report::Rgb pixel(const emo::io::Image& image, int x, int y) {
    const auto* p = &image.rgb[(static_cast<std::size_t>(y) * image.width + x) * 3];
    return {p[0], p[1], p[2]};
}

bool near(emo::report::Rgb a, emo::report::Rgb b, int tolerance) {
    for (int i = 0; i < 3; ++i)
        if (std::abs(a[i] - b[i]) > tolerance) return false;
    return true;
}

TEST(ChartConversation, EveryChartIsWellFormedSvgWithAViewBox) {
    const auto results = conversation();
    const auto charts = emo::report::conversation_charts(results, emo::conversation_dynamics(results));
    ASSERT_EQ(charts.size(), 3u);
    EXPECT_EQ(charts[0].id, "timeline");
    EXPECT_EQ(charts[1].id, "valence_arousal");
    EXPECT_EQ(charts[2].id, "causes");
    for (const auto& c : charts) {
        EXPECT_EQ(xml_problem(c.svg), "") << c.id;
        EXPECT_EQ(c.svg.rfind("<svg ", 0), 0u) << c.id;
        EXPECT_NE(c.svg.find("viewBox=\"0 0 "), std::string::npos) << c.id;
        EXPECT_EQ(c.svg.find("<script"), std::string::npos) << c.id;
        EXPECT_EQ(c.svg.find("href"), std::string::npos) << c.id;
        EXPECT_FALSE(c.title.empty());
    }
}

TEST(ChartConversation, TimelineHasOneMarkPerUtteranceWithItsSpeakerAndEmotion) {
    const auto results = conversation();
    const auto charts = emo::report::conversation_charts(results, emo::conversation_dynamics(results));
    const auto& svg = find(charts, "timeline").svg;
    EXPECT_EQ(values(svg, "utterance", "data-index"), (std::vector<std::string>{"0", "1", "2", "3"}));
    EXPECT_EQ(values(svg, "utterance", "data-emotion"), (std::vector<std::string>{"joy", "anger", "joy", "sadness"}));
    const auto speakers = values(svg, "utterance", "data-speaker");
    EXPECT_EQ(speakers[0], "Maya");
    EXPECT_EQ(speakers[1], "&lt;script&gt;&amp;&quot;");
    // The markup-laden speaker's second utterance changes emotion (anger -> sadness): a shift; Maya's stays joy.
    EXPECT_EQ(values(svg, "utterance", "data-shift"), (std::vector<std::string>{"false", "false", "false", "true"}));
    EXPECT_EQ(values(svg, "utterance", "data-score")[3], "0.8000");
    EXPECT_EQ(values(svg, "lane", "data-speaker").size(), 2u);
    EXPECT_EQ(svg.find(nasty), std::string::npos);
    EXPECT_EQ(svg.find("<b>"), std::string::npos);
    // The mark is drawn in the emotion's colour.
    EXPECT_NE(svg.find(emo::report::hex_colour(emo::report::emotion_colour("sadness"))), std::string::npos);
}

TEST(ChartConversation, ValenceArousalHasAPathPerSpeakerAndAPointPerTurn) {
    const auto results = conversation();
    const auto dynamics = emo::conversation_dynamics(results);
    const auto charts = emo::report::conversation_charts(results, dynamics);
    const auto& svg = find(charts, "valence_arousal").svg;
    EXPECT_EQ(values(svg, "va-path", "data-turns"), (std::vector<std::string>{"2", "2"}));
    const auto valence = values(svg, "va-point", "data-valence");
    ASSERT_EQ(valence.size(), 4u);
    // Points follow the dynamics' running estimate, speaker by speaker.
    EXPECT_NEAR(std::stod(valence[0]), dynamics.speakers[0].turns[0].running_valence, 1e-4);
    EXPECT_NEAR(std::stod(values(svg, "va-point", "data-arousal")[3]), dynamics.speakers[1].turns[1].running_arousal,
                1e-4);
}

TEST(ChartConversation, CausesDrawOneArrowPerCauseFromCauseToEffect) {
    const auto results = conversation();
    const auto charts = emo::report::conversation_charts(results, emo::conversation_dynamics(results));
    const auto& svg = find(charts, "causes").svg;
    EXPECT_EQ(values(svg, "cause-arrow", "data-from"), (std::vector<std::string>{"1", "3"}));
    EXPECT_EQ(values(svg, "cause-arrow", "data-to"), (std::vector<std::string>{"3", "3"}));
    EXPECT_EQ(values(svg, "cause-row", "data-index").size(), 4u);
    EXPECT_NE(svg.find("utterance 0 &lt;b&gt;&amp;"), std::string::npos);
}

TEST(ChartConversation, NoCausesChartWithoutCausesAndErrorsAreLeftOut) {
    auto results = conversation();
    results[3].causes.reset();
    emo::Result broken;
    broken.index = 4;
    broken.speaker = "Maya";
    broken.error = "file.csv:6: bad record";
    results.push_back(broken);
    const auto charts = emo::report::conversation_charts(results, emo::conversation_dynamics(results));
    ASSERT_EQ(charts.size(), 2u);
    EXPECT_EQ(values(charts[0].svg, "utterance", "data-index").size(), 4u);
}

TEST(ChartEvaluation, ConfusionCellsCarryTheCountsAndBarsTheFigures) {
    const auto report = emo::evaluate({"joy", "joy", "anger", "sadness", "joy"},
                                      {"joy", "anger", "anger", "joy", "joy"}, {"anger", "joy", "sadness"});
    const auto charts = emo::report::evaluation_charts(report);
    const auto& confusion = find(charts, "confusion").svg;
    EXPECT_EQ(xml_problem(confusion), "");
    const auto gold = values(confusion, "cell", "data-gold"), predicted = values(confusion, "cell", "data-predicted"),
               counts = values(confusion, "cell", "data-count");
    ASSERT_EQ(counts.size(), 9u);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const auto g = std::find(report.labels.begin(), report.labels.end(), gold[i]) - report.labels.begin();
        const auto p = std::find(report.labels.begin(), report.labels.end(), predicted[i]) - report.labels.begin();
        EXPECT_EQ(std::stoul(counts[i]), report.confusion.at(g).at(p)) << gold[i] << "/" << predicted[i];
    }
    const auto& bars = find(charts, "per_class").svg;
    EXPECT_EQ(xml_problem(bars), "");
    const auto metric = values(bars, "bar", "data-metric"), value = values(bars, "bar", "data-value");
    ASSERT_EQ(value.size(), 9u);
    EXPECT_EQ(metric[1], "recall");
    // joy: precision 2/3, recall 2/3.
    EXPECT_NEAR(std::stod(value[3]), report.per_class[1].precision, 1e-4);
    EXPECT_NEAR(std::stod(value[5]), report.per_class[1].f1, 1e-4);
}

class ChartAudio : public ScratchDirTest {
protected:
    ChartAudio() : ScratchDirTest("emo_chart_audio_") {}
};

TEST_F(ChartAudio, WaveformShadesEachSegmentInItsEmotionsColour) {
    const std::string path = (dir_ / "voice.wav").string();
    write_wav(path, voiced_syllables(180, 5));  // 2.6 s
    emo::AudioResult a, b;
    a.file = b.file = path;
    a.start = 0.3, a.end = 1.0, a.emotion = "happy", a.scores = {{"happy", 0.7}, {"sad", 0.3}};
    b.start = 1.1, b.end = 2.3, b.emotion = "sad", b.scores = {{"happy", 0.4}, {"sad", 0.6}};
    const auto charts = emo::report::audio_charts(path, {a, b});
    ASSERT_EQ(charts.size(), 1u);
    const auto& svg = charts[0].svg;
    EXPECT_EQ(charts[0].id, "waveform");
    EXPECT_EQ(xml_problem(svg), "");
    EXPECT_EQ(values(svg, "segment", "data-start"), (std::vector<std::string>{"0.300", "1.100"}));
    EXPECT_EQ(values(svg, "segment", "data-emotion"), (std::vector<std::string>{"happy", "sad"}));
    EXPECT_NEAR(std::stod(values(svg, "waveform", "data-duration").at(0)), 2.6, 0.01);
    // "happy" shares joy's colour: one palette keyed by the canonical emotion.
    EXPECT_EQ(emo::report::emotion_colour("happy"), emo::report::emotion_colour("joy"));
    EXPECT_NE(svg.find(emo::report::hex_colour(emo::report::emotion_colour("joy"))), std::string::npos);
}

TEST_F(ChartAudio, AnUnreadableFileIsAnErrorNamingIt) {
    const std::string path = (dir_ / "not_audio.wav").string();
    std::ofstream(path) << "this is not audio";
    try {
        emo::report::audio_charts(path, {});
        FAIL() << "no error";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

TEST(ChartPng, TheRasterBackendDrawsTheSameMarksAtTheScaledSize) {
    const auto results = conversation();
    const auto charts = emo::report::conversation_charts(results, emo::conversation_dynamics(results));
    const auto& chart = find(charts, "timeline");
    const auto image = emo::report::render_image(chart, 2);
    EXPECT_EQ(image.width, static_cast<int>(std::ceil(chart.width * 2)));
    EXPECT_EQ(image.height, static_cast<int>(std::ceil(chart.height * 2)));
    // Each utterance's mark sits at its circle's centre in the SVG: find them there and look at those pixels.
    const std::regex circle("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\" r=\"9\" fill=\"#([0-9a-f]{6})\"");
    std::size_t marks = 0;
    for (std::sregex_iterator it(chart.svg.begin(), chart.svg.end(), circle), end; it != end; ++it, ++marks) {
        const int x = static_cast<int>(std::stod((*it)[1]) * 2), y = static_cast<int>(std::stod((*it)[2]) * 2);
        const auto hex = std::stoul(std::string((*it)[3]), nullptr, 16);
        const emo::report::Rgb expected{static_cast<std::uint8_t>(hex >> 16), static_cast<std::uint8_t>(hex >> 8 & 255),
                                        static_cast<std::uint8_t>(hex & 255)};
        EXPECT_TRUE(near(pixel(image, x, y), expected, 2)) << "mark " << marks;
    }
    EXPECT_EQ(marks, 4u);
    EXPECT_EQ(pixel(image, image.width - 1, 0), (emo::report::Rgb{255, 255, 255}));
}

class ChartPngFile : public ScratchDirTest {
protected:
    ChartPngFile() : ScratchDirTest("emo_chart_png_") {}
};

TEST_F(ChartPngFile, EveryChartWritesADecodablePngWithInk) {
    const auto results = conversation();
    auto charts = emo::report::conversation_charts(results, emo::conversation_dynamics(results));
    for (auto& c : emo::report::evaluation_charts(emo::evaluate({"joy", "anger"}, {"joy", "joy"}, {"anger", "joy"})))
        charts.push_back(std::move(c));
    for (const auto& chart : charts) {
        const std::string path = (dir_ / (chart.id + ".png")).string();
        emo::report::write_chart_png(chart, path, 1.5);
        const auto image = emo::io::read_image(path);
        EXPECT_EQ(image.width, static_cast<int>(std::ceil(chart.width * 1.5))) << chart.id;
        EXPECT_EQ(image.height, static_cast<int>(std::ceil(chart.height * 1.5))) << chart.id;
        std::size_t ink = 0;
        for (std::size_t i = 0; i < image.rgb.size(); i += 3) ink += image.rgb[i] < 200 || image.rgb[i + 2] < 200;
        EXPECT_GT(ink, image.rgb.size() / 3 / 100) << chart.id << ": less than 1% of the pixels drawn";
    }
}

}  // namespace
