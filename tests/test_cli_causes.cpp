// `emo conv --causes`, `emo eval causes` and `emo train causes` end to end, with the built-in models.
#include "cli_runner.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

using namespace emo_test;

namespace {

// Two RECCON dialogues: a cause from the previous turn, a self-cause, a latent cause and one pointing after its
// target.
const char* reccon_file = R"({
 "va_1": [[
  {"turn": 1, "speaker": "A", "utterance": "I got the job at the bank !", "emotion": "happiness",
   "expanded emotion cause evidence": [1], "expanded emotion cause span": ["I got the job at the bank !"]},
  {"turn": 2, "speaker": "B", "utterance": "Wow , congratulations ! That is wonderful .", "emotion": "happiness",
   "expanded emotion cause evidence": [1, 2, "b"], "expanded emotion cause span": ["I got the job", "That is wonderful .", "b"]},
  {"turn": 3, "speaker": "A", "utterance": "Thanks , see you tomorrow .", "emotion": "neutral"}
 ]],
 "va_2": [[
  {"turn": 1, "speaker": "A", "utterance": "Someone stole my bike again .", "emotion": "anger",
   "expanded emotion cause evidence": [1, 2], "expanded emotion cause span": ["stole my bike", "later"]},
  {"turn": 2, "speaker": "B", "utterance": "That is terrible .", "emotion": "sadness",
   "expanded emotion cause evidence": [1], "expanded emotion cause span": ["Someone stole my bike again ."]}
 ]]
})";

class CliCauses : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("emo_cli_causes_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        write_file(dir_ / "talk.json", reccon_file);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string file() const { return (dir_ / "talk.json").string(); }
    fs::path dir_;
};

std::vector<nlohmann::json> records(const CliRun& r) {
    std::vector<nlohmann::json> out;
    for (const auto& line : r.out_lines()) out.push_back(nlohmann::json::parse(line));
    return out;
}

}  // namespace

TEST_F(CliCauses, GoldEmotionsGiveCausesToEveryNonNeutralUtteranceAndOnlyThose) {
    const auto r = run_emo(dir_, {"conv", "--causes", "--gold-emotions", "--cause-scores", file()});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto out = records(r);
    ASSERT_EQ(out.size(), 5u);
    for (std::size_t i : {0u, 1u, 3u, 4u}) {
        ASSERT_TRUE(out[i].contains("causes")) << out[i].dump();
        double previous = 2;
        for (const auto& c : out[i]["causes"]) {
            const auto index = c["index"].get<std::size_t>();
            EXPECT_LE(index, out[i]["index"].get<std::size_t>());  // the target itself or earlier
            EXPECT_LE(c["score"].get<double>(), previous);          // by score, highest first
            previous = c["score"].get<double>();
            const std::string span = c["span"], cause_text = out[index + (i >= 3 ? 3 : 0)]["text"];
            EXPECT_EQ(cause_text.substr(c["start"].get<std::size_t>(),
                                        c["end"].get<std::size_t>() - c["start"].get<std::size_t>()),
                      span);  // ASCII text: code points are bytes
        }
        EXPECT_EQ(out[i]["candidates"].size(), out[i]["index"].get<std::size_t>() + 1);
    }
    EXPECT_FALSE(out[2].contains("causes"));  // neutral
    EXPECT_FALSE(out[2].contains("candidates"));
}

TEST_F(CliCauses, CauseFlagsNeedCausesAndGoldEmotionsNeedLabels) {
    auto r = run_emo(dir_, {"conv", "--cause-scores", file()});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("need --causes"), std::string::npos) << r.err;
    write_file(dir_ / "nolabels.jsonl", R"({"dialogue_id":"d","speaker":"A","text":"I am so happy today!"})" "\n");
    r = run_emo(dir_, {"conv", "--causes", "--gold-emotions", (dir_ / "nolabels.jsonl").string()});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("nolabels.jsonl:1"), std::string::npos) << r.err;
    r = run_emo(dir_, {"conv", "--causes", "--output", "csv", file()});
    EXPECT_NE(r.code, 0);
}

TEST_F(CliCauses, PredictedEmotionsDecideTheTargets) {
    const auto r = run_emo(dir_, {"conv", "--causes", file()});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const auto& record : records(r))
        EXPECT_EQ(record.contains("causes"), record["emotion"] != "neutral") << record.dump();
}

TEST_F(CliCauses, EvalReportsPairAndSpanFiguresAndTheSkippedAnnotations) {
    const auto r = run_emo(dir_, {"eval", "causes", file(), "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["emotions"], "gold");
    EXPECT_EQ(report["pairs"]["targets"], 4);
    EXPECT_EQ(report["pairs"]["count"], 1 + 2 + 1 + 2);
    EXPECT_EQ(report["pairs"]["positive"], 5);  // the latent cause and the one after its target are left out
    EXPECT_EQ(report["spans"]["count"], 5);     // the spans of the usable causes
    EXPECT_EQ(report["skipped"]["causes"], 2);
    EXPECT_EQ(report["skipped"]["spans"], 0);
    EXPECT_NE(r.err.find("dialogue va_1, utterance 1: cause 3 is latent"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("dialogue va_2, utterance 0: cause 2 points after the target"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("talk.json:"), std::string::npos) << r.err;

    const auto text = run_emo(dir_, {"eval", "causes", file(), "--emotions", "predicted"});
    ASSERT_EQ(text.code, 0) << text.err;
    EXPECT_NE(text.out.find("emotions: predicted"), std::string::npos);
    EXPECT_NE(text.out.find("positive F1"), std::string::npos);
}

TEST_F(CliCauses, TrainWritesAModelThatConvCanUse) {
    const auto train = run_emo(dir_, {"train", "causes", "--train", file(), "--out", (dir_ / "model").string(),
                                      "--c-pair", "1", "--c-span", "1", "--folds", "2", "--threads", "1"});
    ASSERT_EQ(train.code, 0) << train.err;
    EXPECT_NE(train.err.find("skipped 2 cause annotations"), std::string::npos) << train.err;
    const auto r = run_emo(dir_, {"conv", "--causes", "--gold-emotions", "--cause-model", (dir_ / "model").string(),
                                  file()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out_lines().size(), 5u);
    const auto missing = run_emo(dir_, {"conv", "--causes", "--cause-model", (dir_ / "nothing").string(), file()});
    EXPECT_NE(missing.code, 0);
    EXPECT_NE(missing.err.find("nothing"), std::string::npos) << missing.err;
}
