// `emo report` end to end: the HTML page and the PNG charts for conversations, labelled conversations and audio.
#include "cli_runner.hpp"
#include "scratch_dir.hpp"
#include "synthetic_voice.hpp"
#include "xml_check.hpp"

#include "io/image.hpp"

#include <gtest/gtest.h>

using namespace emo_test;

namespace {

const std::string dinner = std::string(EMO_SOURCE_DIR) + "/examples/dinner_plans.csv";

class CliReport : public ScratchDirTest {
protected:
    CliReport() : ScratchDirTest("emo_cli_report_") {}
};

TEST_F(CliReport, ConversationReportHasChipsAndChartsForEveryUtterance) {
    const auto out = (dir_ / "report.html").string();
    const auto r = run_emo(dir_, {"report", dinner, "--out", out, "--causes"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string html = slurp(out);
    EXPECT_EQ(occurrences(html, "<li class=\"utterance\""), 9u);
    for (const char* id : {"timeline", "valence_arousal", "causes"})
        EXPECT_NE(html.find("data-chart=\"" + std::string(id) + "\""), std::string::npos) << id;
    EXPECT_EQ(occurrences(html, "<g class=\"utterance\""), 9u);
    EXPECT_EQ(occurrences(html, "<g class=\"va-point\""), 9u);
    EXPECT_GT(occurrences(html, "<g class=\"cause-arrow\""), 0u);
    EXPECT_EQ(occurrences(html, "<g class=\"cause-arrow\""), occurrences(html, "<span class=\"cause\""));
    EXPECT_NE(html.find("Guess what, I finally got the job at the observatory!"), std::string::npos);
    // No labels in the example: no evaluation.
    EXPECT_EQ(html.find("data-chart=\"confusion\""), std::string::npos);
}

TEST_F(CliReport, PngWritesEachChartAloneAsADecodableImage) {
    const auto png = dir_ / "png";
    const auto r = run_emo(dir_, {"report", dinner, "--png", png.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* id : {"timeline", "valence_arousal"}) {
        const auto path = png / ("dinner_plans-" + std::string(id) + ".png");
        ASSERT_TRUE(fs::exists(path)) << path;
        const auto image = emo::io::read_image(path.string());
        EXPECT_GT(image.width, 400);
        EXPECT_GT(image.height, 100);
    }
    EXPECT_FALSE(fs::exists(png / "dinner_plans-causes.png"));  // no --causes
    EXPECT_FALSE(fs::exists(dir_ / "report.html"));
}

TEST_F(CliReport, LabelledConversationAddsTheConfusionMatrixAndPerClassBars) {
    const auto file = write("labelled.csv",
                            "dialogue_id,utterance_id,speaker,text,label\n"
                            "a,0,Ann,I am so happy today!,joy\n"
                            "a,1,Bob,That is terrible news.,sadness\n"
                            "a,2,Ann,What? Really?,surprise\n"
                            "b,0,Cy,Get out of here right now!,anger\n"
                            "b,1,Di,Okay.,neutral\n");
    const auto out = (dir_ / "eval.html").string();
    const auto r = run_emo(dir_, {"report", file, "--out", out, "--png", (dir_ / "png").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string html = slurp(out);
    EXPECT_EQ(occurrences(html, "<section class=\"conversation\""), 2u);
    EXPECT_EQ(occurrences(html, "<section class=\"evaluation\""), 1u);
    EXPECT_EQ(occurrences(html, "<g class=\"cell\""), 49u);  // the model's 7 labels squared
    EXPECT_EQ(occurrences(html, "<g class=\"bar\""), 21u);
    EXPECT_TRUE(fs::exists(dir_ / "png" / "labelled-a-timeline.png"));
    EXPECT_TRUE(fs::exists(dir_ / "png" / "labelled-confusion.png"));
}

TEST_F(CliReport, AudioReportDrawsTheWaveformWithItsSegments) {
    const auto wav = (dir_ / "talk.wav").string();
    write_wav(wav, voiced_syllables(200, 6));
    const auto out = (dir_ / "audio.html").string();
    const auto r = run_emo(dir_, {"report", wav, "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string html = slurp(out);
    EXPECT_NE(html.find("data-chart=\"waveform\""), std::string::npos);
    EXPECT_GE(occurrences(html, "<g class=\"segment\""), 1u);
    EXPECT_EQ(occurrences(html, "<g class=\"segment\""), occurrences(html, "<tr class=\"segment-row\""));
}

TEST_F(CliReport, ListOfLabelledRecordingsEvaluatesTheSpeechModel) {
    write_wav((dir_ / "low.wav").string(), voiced_syllables(120, 4));
    write_wav((dir_ / "high.wav").string(), voiced_syllables(300, 4, 0.6));
    const auto list = write("list.csv", "path,emotion,speaker\nlow.wav,sad,a\nhigh.wav,happy,b\n");
    const auto out = (dir_ / "speech.html").string();
    const auto r = run_emo(dir_, {"report", list, "--out", out});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string html = slurp(out);
    EXPECT_EQ(occurrences(html, "<section class=\"evaluation\""), 1u);
    EXPECT_EQ(occurrences(html, "<g class=\"cell\""), 64u);  // RAVDESS's 8 classes squared
    EXPECT_NE(html.find("data-gold=\"sad\""), std::string::npos);
    // Two recordings: the counts in the matrix add up to them.
    std::size_t total = 0;
    for (auto at = html.find("data-count=\""); at != std::string::npos; at = html.find("data-count=\"", at + 1))
        total += std::stoul(html.substr(at + 12));
    EXPECT_EQ(total, 2u);
}

TEST_F(CliReport, BadInputsFailWithAMessageNamingThem) {
    const auto missing = (dir_ / "nope.csv").string();
    auto r = run_emo(dir_, {"report", missing, "--out", (dir_ / "r.html").string()});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "r.html"));

    // A good input before a bad one: the run fails and writes nothing, not even the good one's PNG files.
    r = run_emo(dir_, {"report", dinner, missing, "--png", (dir_ / "png").string()});
    EXPECT_NE(r.code, 0);
    EXPECT_FALSE(fs::exists(dir_ / "png"));

    const auto noise = write("noise.wav", "RIFF not really a wave file");
    r = run_emo(dir_, {"report", noise, "--out", (dir_ / "r.html").string()});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find(noise), std::string::npos) << r.err;

    r = run_emo(dir_, {"report", dinner});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
}

}  // namespace
