// End-to-end tests of `emo text`, `emo train text` and `emo eval text`: the suite trains a small emotion model and a
// VAD model stacked on it through the CLI, then runs the binary on small files in a temporary directory.
#include "cli_runner.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using emo_test::CliRun;
using emo_test::run_emo;
using emo_test::write_file;
using nlohmann::json;

// Joy words, anger words, both, or plain words (neutral); valence 4, 2, 3, 3.
std::string synthetic_rows(std::size_t n, unsigned seed, bool rated) {
    const std::vector<std::string> joy = {"happy", "wonderful", "great", "love", "glad"},
                                   anger = {"angry", "furious", "hate", "terrible", "mad"},
                                   plain = {"table", "report", "meeting", "paper", "office"};
    std::mt19937 rng(seed);
    auto pick = [&](const std::vector<std::string>& v) {
        return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
    };
    std::string out = rated ? "id,split,V,A,D,text\n" : "id,text,labels\n";
    for (std::size_t i = 0; i < n; ++i) {
        const int kind = static_cast<int>(i % 4);
        std::string text = "the " + pick(plain), labels;
        if (kind == 0 || kind == 2) text += " " + pick(joy), labels = "joy";
        if (kind == 1 || kind == 2) text += " " + pick(anger), labels += labels.empty() ? "anger" : ",anger";
        if (kind == 3) labels = "neutral";
        const std::string id = std::string("s").append(std::to_string(i));
        if (rated)
            out += id + "," + (i % 5 ? "train" : "dev") + "," + (kind == 0 ? "4" : kind == 1 ? "2" : "3") + ",3,3," +
                   text + "\n";
        else
            out += id + "," + text + ",\"" + labels + "\"\n";
    }
    return out;
}

class CliText : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = fs::temp_directory_path() / ("emo_cli_text_" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_);
        write_file(root_ / "train.csv", synthetic_rows(300, 1, false));
        write_file(root_ / "rated.csv", synthetic_rows(300, 2, true));
        // A fixed C: these tests pin the records' shape and content; on separable synthetic data every C of the
        // cross-validated grid ties, and the tie goes to the strongest penalty.
        setup_ = run_emo(root_, {"train", "text", "--train", (root_ / "train.csv").string(), "--out",
                                 emotions().string(), "--c", "4", "--threads", "1", "--quiet"});
        if (setup_.code == 0)
            setup_ = run_emo(root_, {"train", "text", "--task", "regression", "--train", (root_ / "rated.csv").string(),
                                     "--dev", (root_ / "rated.csv").string(), "--base", emotions().string(), "--out",
                                     vad().string(), "--threads", "1", "--quiet"});
    }
    static void TearDownTestSuite() { fs::remove_all(root_); }

    void SetUp() override {
        if (setup_.code != 0) GTEST_SKIP() << "emo train text failed (exit " << setup_.code << "): " << setup_.err;
        dir_ = root_ / ::testing::UnitTest::GetInstance()->current_test_info()->name();
        fs::create_directories(dir_);
    }

    static fs::path emotions() { return root_ / "emotions"; }
    static fs::path vad() { return root_ / "vad"; }

    std::string file(const std::string& name, const std::string& content) const {
        write_file(dir_ / name, content);
        return (dir_ / name).string();
    }
    // `emo text --model M --vad-model V args...`
    CliRun text(std::vector<std::string> args, const std::string& in = "") const {
        std::vector<std::string> all = {"text", "--model", emotions().string(), "--vad-model", vad().string()};
        all.insert(all.end(), args.begin(), args.end());
        return run_emo(dir_, all, in);
    }
    static std::vector<json> jsonl(const CliRun& r) {
        std::vector<json> out;
        for (const auto& line : r.out_lines()) out.push_back(json::parse(line));
        return out;
    }

    static inline fs::path root_;
    static inline CliRun setup_;
    fs::path dir_;
};

}  // namespace

TEST_F(CliText, ArgumentsGiveOneFullRecordEach) {
    const auto r = text({"so happy and glad", "the office"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = jsonl(r);
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0]["text"], "so happy and glad");
    EXPECT_EQ(j[0]["labels"], json::array({"joy"}));
    EXPECT_EQ(j[0]["scores"].size(), 3u);
    for (const char* d : {"valence", "arousal", "dominance"}) EXPECT_TRUE(j[0]["vad"].contains(d)) << d;
    EXPECT_GT(j[0]["vad"]["valence"].get<double>(), 3.3);
    EXPECT_FALSE(j[0]["evidence"].empty());
    EXPECT_EQ(j[0]["evidence"][0]["label"], "joy");
    EXPECT_EQ(j[1]["labels"], json::array({"neutral"}));
}

TEST_F(CliText, StandardInputGivesOneRecordPerLineEmptyLinesIncluded) {
    const auto in = file("in.txt", "the office, angry\n\nthe office, happy\n");
    const auto r = text({"-"}, in);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = jsonl(r);
    ASSERT_EQ(j.size(), 3u);
    EXPECT_EQ(j[0]["labels"], json::array({"anger"}));
    EXPECT_EQ(j[1]["text"], "");
    EXPECT_FALSE(j[1]["labels"].empty()) << "an empty text gets a well-defined prediction";
    EXPECT_EQ(j[2]["labels"], json::array({"joy"}));
}

TEST_F(CliText, CsvAndJsonlInputPassIdsThrough) {
    const auto csv = file("in.csv", "id,text\na1,so happy\na2,so angry\n");
    auto j = jsonl(text({"--input", csv}));
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0]["id"], "a1");
    EXPECT_EQ(j[1]["id"], "a2");
    const auto jl = file("in.jsonl", "{\"id\": 7, \"text\": \"so glad\"}\n");
    j = jsonl(text({"--input", jl}));
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["id"], "7");
}

TEST_F(CliText, BadRecordsFailNamingThePlaceOrAreKeptInOrderWithSkip) {
    const auto jl = file("bad.jsonl", "{\"text\": \"the office, happy\"}\n{\"text\": \n{\"text\": \"the office, angry\"}\n");
    auto r = text({"--input", jl});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.out.empty());
    ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
    EXPECT_NE(r.err.find("bad.jsonl:2"), std::string::npos) << r.err;

    r = text({"--input", jl, "--on-error", "skip"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = jsonl(r);
    ASSERT_EQ(j.size(), 3u);
    EXPECT_FALSE(j[0].contains("error"));
    ASSERT_TRUE(j[1].contains("error"));
    EXPECT_FALSE(j[1].contains("labels"));
    EXPECT_EQ(j[2]["labels"], json::array({"anger"}));
    EXPECT_NE(r.err.find("1 of 3"), std::string::npos) << r.err;
}

TEST_F(CliText, InvalidUtf8ArgumentFailsOrIsReportedWithSkip) {
    auto r = text({"so happy", "caf\xC3"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("argument 2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("invalid UTF-8"), std::string::npos) << r.err;
    r = text({"so happy", "caf\xC3", "--on-error", "skip"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = r.out_lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[1].find("\"error\""), std::string::npos);
}

TEST_F(CliText, PerspectiveBothIsRefusedWhenTheModelHasNone) {
    const auto r = text({"so happy", "--perspective", "both"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("perspective"), std::string::npos) << r.err;
}

TEST_F(CliText, NothingToReadIsAnError) {
    const auto r = text({});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("--input"), std::string::npos) << r.err;
}

TEST_F(CliText, MissingModelDirectoryIsNamed) {
    const auto r = run_emo(dir_, {"text", "--model", (dir_ / "nowhere").string(), "hi"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("nowhere"), std::string::npos) << r.err;
}

TEST_F(CliText, EvalTextReportsMultiLabelAndRegressionScores) {
    const auto dev = file("dev.csv", synthetic_rows(80, 9, false));
    auto r = run_emo(dir_, {"eval", "text", dev, "--model", emotions().string(), "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = json::parse(r.out);
    for (const char* key : {"macro_f1", "micro_f1", "jaccard", "per_label"}) EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_GT(j["micro_f1"].get<double>(), 0.8);

    r = run_emo(dir_, {"eval", "text", (root_ / "rated.csv").string(), "--model", vad().string(), "--split", "dev",
                       "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    j = json::parse(r.out);
    ASSERT_EQ(j["targets"].size(), 3u);
    EXPECT_EQ(j["targets"][0]["name"], "V");
    EXPECT_GT(j["targets"][0]["pearson"].get<double>(), 0.8);
    EXPECT_EQ(j["targets"][0]["count"], 60);
}

TEST_F(CliText, TrainTextWithAnUnknownTaskFails) {
    const auto r = run_emo(dir_, {"train", "text", "--task", "ranking", "--train", (root_ / "train.csv").string(),
                                  "--out", (dir_ / "m").string()});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("ranking"), std::string::npos) << r.err;
}
