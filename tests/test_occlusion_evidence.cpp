// Evidence for Hugging Face classifiers by occlusion (text/occlusion_evidence): each word left out in turn, its weight
// the fall in the label's log-odds. Random checkpoints from scripts/hf_reference.py (words "tok5", "tok6", ...).
#include "cli_runner.hpp"
#include "scratch_dir.hpp"
#include "text/checkpoint_text_model.hpp"
#include "text/occlusion_evidence.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace {

class OcclusionEvidence : public emo_test::ScratchDirTest {
protected:
    OcclusionEvidence() : ScratchDirTest("emo_occlusion_") {}

    void make(const std::string& options) {
        const std::string command = std::string(EMO_REFERENCE_PYTHON) + " " + EMO_SOURCE_DIR +
                                    "/scripts/hf_reference.py make --out " + dir_.string() + " " + options +
                                    " > /dev/null";
        if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
    }
};

double log_odds(double p) { return std::log(p / (1.0 - p)); }

TEST_F(OcclusionEvidence, WeightsAreTheFallInLogOddsWithoutEachWord) {
    make("--arch bert --labels 4 --vocab 60 --seed 5");
    const auto model = emo::text::CheckpointTextModel::load(dir_.string());
    const std::string text = "tok7 tok12  tok30 tok7 tok44";
    const auto probs = model.probabilities({text}).at(0);
    const auto items = emo::text::occlusion_evidence(model, text, "", probs, {0, 2}, 2);
    ASSERT_FALSE(items.empty());
    const std::vector<std::string> without = {" tok12  tok30 tok7 tok44", "tok7   tok30 tok7 tok44",
                                              "tok7 tok12   tok7 tok44", "tok7 tok12  tok30  tok44",
                                              "tok7 tok12  tok30 tok7 "};
    const std::vector<std::string> words = {"tok7", "tok12", "tok30", "tok7", "tok44"};
    for (std::size_t k : {0u, 2u}) {
        // What the evidence should say for label k, worked out here from one classification per variant.
        std::map<std::string, double> expected;
        for (std::size_t i = 0; i < without.size(); ++i) {
            const double w = log_odds(probs[k]) - log_odds(model.probabilities({without[i]}).at(0)[k]);
            if (w > 0) expected["word:" + words[i]] = std::max(expected["word:" + words[i]], w);
        }
        std::vector<emo::EvidenceItem> got;
        for (const auto& e : items)
            if (e.label == model.labels()[k]) got.push_back(e);
        ASSERT_EQ(got.size(), std::min<std::size_t>(2, expected.size())) << k;
        for (std::size_t j = 0; j < got.size(); ++j) {
            ASSERT_TRUE(expected.count(got[j].cue)) << got[j].cue;
            EXPECT_NEAR(got[j].weight, expected[got[j].cue], 1e-4) << got[j].cue;
            if (j > 0) EXPECT_GE(got[j - 1].weight, got[j].weight);
            for (const auto& [cue, w] : expected)  // no stronger word was left out
                if (std::find_if(got.begin(), got.end(), [&](auto& e) { return e.cue == cue; }) == got.end())
                    EXPECT_LE(w, got.back().weight + 1e-9) << cue;
        }
    }
}

TEST_F(OcclusionEvidence, TheCliGivesItOnlyWhenAskedFor) {
    make("--arch distilbert --labels 3 --vocab 60 --seed 2");
    const auto plain = emo_test::run_emo(dir_, {"text", "--model", dir_.string(), "--no-vad", "tok9 tok10 tok11"});
    ASSERT_EQ(plain.code, 0) << plain.err;
    EXPECT_TRUE(nlohmann::json::parse(plain.out).at("evidence").empty());
    const auto asked =
        emo_test::run_emo(dir_, {"text", "--model", dir_.string(), "--no-vad", "--occlusion", "tok9 tok10 tok11"});
    ASSERT_EQ(asked.code, 0) << asked.err;
    const auto evidence = nlohmann::json::parse(asked.out).at("evidence");
    ASSERT_FALSE(evidence.empty());
    for (const auto& e : evidence) {
        EXPECT_GT(e.at("weight").get<double>(), 0);
        EXPECT_TRUE(e.at("cue") == "word:tok9" || e.at("cue") == "word:tok10" || e.at("cue") == "word:tok11") << e;
    }
    const auto conv_file = dir_ / "talk.csv";
    emo_test::write_file(conv_file, "dialogue_id,speaker,text\nd,A,tok20 tok21\nd,B,tok22 tok23 tok24\n");
    const auto conv = emo_test::run_emo(
        dir_, {"conv", "--model", dir_.string(), "--occlusion", "--context", "1", conv_file.string()});
    ASSERT_EQ(conv.code, 0) << conv.err;
    const auto lines = conv.out_lines();
    ASSERT_EQ(lines.size(), 2u);
    for (const auto& line : lines) {
        const auto record = nlohmann::json::parse(line);  // kept: a range-for over a temporary's member dangles
        for (const auto& e : record.at("evidence"))
            EXPECT_EQ(e.at("cue").get<std::string>().rfind("word:tok2", 0), 0u) << e;
    }
}

}  // namespace
