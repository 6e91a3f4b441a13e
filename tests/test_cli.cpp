// End-to-end tests of the `emo` command-line tool (apps/emo): each runs the built binary on small files in a
// temporary directory, with a model that the suite trains once through `emo train conv`.
#include "cli_runner.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using emo_test::CliRun;
using emo_test::run_emo;
using emo_test::write_file;
using nlohmann::json;

// ----- synthetic data (as in test_conv_model.cpp): three labels whose words differ -----------------------------

const std::vector<std::string> labels = {"anger", "joy", "neutral"};

std::vector<std::string> words_of(const std::string& label) {
    if (label == "joy") return {"happy", "wonderful", "great", "love", "awesome", "delighted", "glad", "fantastic"};
    if (label == "anger") return {"angry", "furious", "hate", "terrible", "annoyed", "outraged", "mad", "awful"};
    return {"table", "report", "meeting", "schedule", "paper", "tuesday", "office", "email"};
}

std::string synthetic_csv(std::size_t dialogues, unsigned seed, const std::string& prefix) {
    const std::vector<std::string> fillers = {"i", "the", "so", "really", "this", "is", "it", "we"};
    std::mt19937 rng(seed);
    auto pick = [&](const std::vector<std::string>& v) {
        return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
    };
    std::string csv = "dialogue_id,speaker,text,label\n";
    for (std::size_t d = 0; d < dialogues; ++d) {
        const int n = std::uniform_int_distribution<int>(4, 6)(rng);
        for (int i = 0; i < n; ++i) {
            const std::string label = pick(labels);
            std::vector<std::string> w = {pick(words_of(label)), pick(words_of(label)), pick(fillers), pick(fillers)};
            std::shuffle(w.begin(), w.end(), rng);
            csv += prefix + std::to_string(d) + "," + (i % 2 ? "Bob" : "Ann") + "," + w[0] + " " + w[1] + " " + w[2] +
                   " " + w[3] + "," + label + "\n";
        }
    }
    return csv;
}

// ----- fixture -------------------------------------------------------------------------------------------------

class Cli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = fs::temp_directory_path() / ("emo_cli_" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_);
        write_file(root_ / "train.csv", synthetic_csv(40, 1, "d"));
        train_run_ = run_emo(root_, {"train", "conv", "--train", (root_ / "train.csv").string(), "--out",
                                     model().string(), "--threads", "1", "--quiet"});
    }
    static void TearDownTestSuite() { fs::remove_all(root_); }

    void SetUp() override {
        if (train_run_.code != 0 || !fs::exists(model() / "manifest.json"))
            GTEST_SKIP() << "emo train conv failed (exit " << train_run_.code << "): " << train_run_.err;
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = root_ / info->name();
        fs::create_directories(dir_);
    }

    static fs::path model() { return root_ / "model"; }

    std::string file(const std::string& name, const std::string& content) const {
        write_file(dir_ / name, content);
        return (dir_ / name).string();
    }

    CliRun run(std::vector<std::string> args, const std::string& in = "") const { return run_emo(dir_, args, in); }
    // `emo conv FILE --model MODEL extra...`
    CliRun conv(const std::string& path, std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"conv", path, "--model", model().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args);
    }

    // A failed run: non-zero exit, nothing on stdout, and one line on stderr that contains every `needle`.
    static void expect_one_line_failure(const CliRun& r, const std::vector<std::string>& needles) {
        EXPECT_NE(r.code, 0) << "stdout: " << r.out;
        EXPECT_LT(r.code, 128) << "crashed: " << r.err;
        const auto lines = r.err_lines();
        ASSERT_EQ(lines.size(), 1u) << "stderr:\n" << r.err;
        for (const auto& n : needles)
            EXPECT_NE(lines[0].find(n), std::string::npos) << "'" << n << "' not in: " << lines[0];
    }

    // Parses every stdout line as a JSON object.
    static std::vector<json> jsonl(const CliRun& r) {
        std::vector<json> out;
        for (const auto& line : r.out_lines()) {
            try {
                out.push_back(json::parse(line));
            } catch (const json::exception& e) {
                ADD_FAILURE() << "not JSON: " << line.substr(0, 200) << " (" << e.what() << ")";
            }
        }
        return out;
    }

    static inline fs::path root_;
    static inline CliRun train_run_;
    fs::path dir_;
};

const std::string header = "dialogue_id,speaker,text,label\n";

// A CSV whose third line (second record) is `bad_record`, between two good records of the same dialogue.
std::string with_bad_middle_record(const std::string& bad_record) {
    return header + "d1,Ann,happy wonderful day,joy\n" + bad_record + "\n" + "d1,Ann,so angry and furious,anger\n";
}

// Under --on-error skip: exit 0 and one JSON line per record in file order, the middle one with an `error` that
// names `place`.
void expect_skipped_middle(const CliRun& r, const std::string& place) {
    EXPECT_EQ(r.code, 0) << r.err;
    auto lines = CliRun::lines(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    std::vector<json> j;
    for (const auto& l : lines) j.push_back(json::parse(l));
    EXPECT_FALSE(j[0].contains("error"));
    EXPECT_EQ(j[0].value("text", ""), "happy wonderful day");
    ASSERT_TRUE(j[1].contains("error")) << lines[1];
    EXPECT_NE(j[1]["error"].get<std::string>().find(place), std::string::npos) << lines[1];
    EXPECT_FALSE(j[1].contains("emotion")) << "a bad record must not get a prediction";
    EXPECT_FALSE(j[2].contains("error"));
    EXPECT_EQ(j[2].value("text", ""), "so angry and furious");
}

// ----- help ----------------------------------------------------------------------------------------------------

TEST_F(Cli, HelpExitsZeroAndListsSubcommands) {
    auto r = run({"--help"});
    EXPECT_EQ(r.code, 0) << r.err;
    for (const char* sub : {"conv", "train", "eval"}) EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
}

TEST_F(Cli, ConvHelpExitsZeroAndListsOptions) {
    auto r = run({"conv", "--help"});
    EXPECT_EQ(r.code, 0) << r.err;
    for (const char* opt : {"--model", "--format", "--on-error", "--output", "--online"})
        EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

TEST_F(Cli, NoSubcommandFails) { EXPECT_NE(run({}).code, 0); }

// ----- emo conv ------------------------------------------------------------------------------------------------

TEST_F(Cli, ConvWritesOneJsonLinePerUtteranceInInputOrder) {
    const std::string input = file("talk.csv", header +
                                                   "d1,Ann,happy wonderful day,\n"
                                                   "d1,Bob,\"the meeting, on tuesday\",\n"
                                                   "d1,Ann,I hate this terrible mess,\n"
                                                   "d2,Cat,so glad and delighted,\n"
                                                   "d2,Dan,furious and outraged,\n");
    auto r = conv(input);
    ASSERT_EQ(r.code, 0) << r.err;
    auto rows = jsonl(r);
    ASSERT_EQ(rows.size(), 5u) << r.out;
    const std::vector<std::pair<std::string, std::size_t>> where = {
        {"d1", 0}, {"d1", 1}, {"d1", 2}, {"d2", 0}, {"d2", 1}};
    const std::vector<std::string> speakers = {"Ann", "Bob", "Ann", "Cat", "Dan"};
    const std::vector<std::string> texts = {"happy wonderful day", "the meeting, on tuesday",
                                            "I hate this terrible mess", "so glad and delighted",
                                            "furious and outraged"};
    const std::vector<std::string> expected = {"joy", "neutral", "anger", "joy", "anger"};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const json& j = rows[i];
        for (const char* key :
             {"dialogue_id", "index", "speaker", "text", "emotion", "scores", "sentiment", "evidence"})
            EXPECT_TRUE(j.contains(key)) << "line " << i << " lacks " << key;
        EXPECT_EQ(j["dialogue_id"], where[i].first);
        EXPECT_EQ(j["index"], where[i].second);
        EXPECT_EQ(j["speaker"], speakers[i]);
        EXPECT_EQ(j["text"], texts[i]);
        EXPECT_EQ(j["emotion"], expected[i]) << "line " << i;
        ASSERT_TRUE(j["scores"].is_object());
        double sum = 0;
        for (const auto& l : labels) sum += j["scores"].value(l, -1.0);
        EXPECT_NEAR(sum, 1.0, 1e-3);
        ASSERT_TRUE(j["sentiment"].is_object());
        EXPECT_TRUE(j["sentiment"].contains("label"));
        ASSERT_TRUE(j["evidence"].is_array());
        EXPECT_FALSE(j["evidence"].empty());
        EXPECT_FALSE(j.contains("error"));
    }
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(Cli, ConvDynamicsFollowsEachDialogueWithItsDynamicsLine) {
    const std::string input = file("talk.csv", header +
                                                   "d1,Ann,happy wonderful day,\n"
                                                   "d1,Bob,\"the meeting, on tuesday\",\n"
                                                   "d1,Ann,I hate this terrible mess,\n"
                                                   "d2,Cat,so glad and delighted,\n");
    auto r = conv(input, {"--dynamics"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto rows = jsonl(r);
    ASSERT_EQ(rows.size(), 6u) << r.out;
    ASSERT_TRUE(rows[3].contains("dynamics")) << r.out;
    const json& d1 = rows[3]["dynamics"];
    EXPECT_EQ(d1["dialogue_id"], "d1");
    ASSERT_EQ(d1["speakers"].size(), 2u);
    EXPECT_EQ(d1["speakers"][0]["speaker"], "Ann");
    ASSERT_EQ(d1["speakers"][0]["turns"].size(), 2u);
    EXPECT_EQ(d1["speakers"][0]["turns"][1]["emotion"], rows[2]["emotion"]);
    EXPECT_EQ(d1["speakers"][0]["shifts"].size(), rows[0]["emotion"] != rows[2]["emotion"] ? 1u : 0u);
    EXPECT_EQ(rows[5]["dynamics"]["dialogue_id"], "d2");
    EXPECT_NE(conv(input, {"--dynamics", "--output", "csv"}).code, 0);
}

TEST_F(Cli, ConvReadsJsonlAndStandardInput) {
    const std::string input = file("talk.jsonl",
                                   "{\"dialogue_id\": \"a\", \"speaker\": \"Ann\", \"text\": \"happy great day\"}\n"
                                   "{\"dialogue_id\": \"a\", \"speaker\": \"Bob\", \"text\": \"so furious\"}\n");
    auto from_file = conv(input);
    ASSERT_EQ(from_file.code, 0) << from_file.err;
    EXPECT_EQ(from_file.out_lines().size(), 2u);
    auto from_stdin = run({"conv", "-", "--model", model().string(), "--format", "jsonl"}, input);
    ASSERT_EQ(from_stdin.code, 0) << from_stdin.err;
    auto a = jsonl(from_file), b = jsonl(from_stdin);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i]["scores"], b[i]["scores"]);
}

TEST_F(Cli, ConvOnlineModeRuns) {
    const std::string input = file("talk.csv", header + "d1,Ann,happy great day,\nd1,Bob,so furious,\n");
    auto r = conv(input, {"--online"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(jsonl(r).size(), 2u);
}

TEST_F(Cli, ConvCsvOutputHasHeaderAndOneRowPerUtterance) {
    const std::string input = file("talk.csv", header +
                                                   "d1,Ann,happy wonderful day,\n"
                                                   "d1,Bob,\"the meeting, on tuesday\",\n"
                                                   "d2,Cat,so furious,\n");
    auto r = conv(input, {"--output", "csv"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto lines = r.out_lines();
    ASSERT_EQ(lines.size(), 4u) << r.out;
    EXPECT_EQ(lines[0], "dialogue_id,index,speaker,text,emotion,sentiment,score_anger,score_joy,score_neutral,error");
    EXPECT_EQ(lines[1].rfind("d1,0,Ann,happy wonderful day,joy,", 0), 0u) << lines[1];
    EXPECT_EQ(lines[2].rfind("d1,1,Bob,\"the meeting, on tuesday\",neutral,", 0), 0u) << lines[2];
    EXPECT_EQ(lines[3].rfind("d2,0,Cat,so furious,anger,", 0), 0u) << lines[3];
}

TEST_F(Cli, ConvRejectsUnknownOutputFormat) {
    const std::string input = file("talk.csv", header + "d1,Ann,hi,\n");
    auto r = conv(input, {"--output", "xml"});
    EXPECT_NE(r.code, 0);
    EXPECT_TRUE(r.out.empty());
}

// ----- emo eval conv -------------------------------------------------------------------------------------------

TEST_F(Cli, EvalJsonPrintsTheReportObject) {
    const std::string dev = file("dev.csv", synthetic_csv(6, 99, "x"));
    auto r = run({"eval", "conv", dev, "--model", model().string(), "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto lines = r.out_lines();
    ASSERT_EQ(lines.size(), 1u) << r.out;
    json j = json::parse(lines[0]);
    for (const char* key : {"accuracy", "weighted_f1", "macro_f1", "per_class", "confusion"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_GE(j["accuracy"].get<double>(), 0.8);
    for (const auto& l : labels) EXPECT_TRUE(j["per_class"].contains(l)) << l;
    EXPECT_EQ(j["confusion"].size(), labels.size());
}

TEST_F(Cli, EvalTextReportRuns) {
    const std::string dev = file("dev.csv", synthetic_csv(3, 98, "x"));
    auto r = run({"eval", "conv", dev, "--model", model().string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("weighted-F1"), std::string::npos);
}

TEST_F(Cli, EvalOnUnlabelledFileFailsNamingThePlace) {
    const std::string input = file("unlabelled.csv", header + "d1,Ann,happy day,\n");
    auto r = run({"eval", "conv", input, "--model", model().string()});
    expect_one_line_failure(r, {input + ":2"});
}

// ----- bad inputs ----------------------------------------------------------------------------------------------

TEST_F(Cli, InvalidUtf8FailsNamingFileAndLine) {
    const std::string input = file("bad_utf8.csv", with_bad_middle_record("d1,Bob,bad \xff\xfe bytes,anger"));
    expect_one_line_failure(conv(input), {input + ":3"});
}

TEST_F(Cli, InvalidUtf8IsSkippedWithAnErrorFieldInOrder) {
    const std::string input = file("bad_utf8.csv", with_bad_middle_record("d1,Bob,bad \xff\xfe bytes,anger"));
    auto r = conv(input, {"--on-error", "skip"});
    expect_skipped_middle(r, input + ":3");
    EXPECT_EQ(json::parse(r.out_lines()[1])["index"], 1) << "the bad record keeps its place in the dialogue";
}

TEST_F(Cli, EmptyUtteranceFailsNamingFileAndLine) {
    const std::string input = file("empty_utt.csv", with_bad_middle_record("d1,Bob,   ,anger"));
    expect_one_line_failure(conv(input), {input + ":3", "empty"});
}

TEST_F(Cli, EmptyUtteranceIsSkippedWithAnErrorFieldInOrder) {
    const std::string input = file("empty_utt.csv", with_bad_middle_record("d1,Bob,\"\",anger"));
    expect_skipped_middle(conv(input, {"--on-error", "skip"}), input + ":3");
}

TEST_F(Cli, MegabyteUtteranceSucceeds) {
    std::string big;
    while (big.size() < (1u << 20)) big += "so happy and wonderful today ";
    const std::string input = file("big.csv", header + "d1,Ann,hello there,\nd1,Bob," + big + ",\nd1,Ann,ok,\n");
    auto r = conv(input);
    ASSERT_EQ(r.code, 0) << r.err.substr(0, 500);
    auto rows = jsonl(r);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1]["emotion"], "joy");
    EXPECT_GE(rows[1]["text"].get<std::string>().size(), 1u << 20);
}

TEST_F(Cli, CsvWithMissingColumnsFailsNamingFileAndHeaderLine) {
    const std::string input = file("missing.csv", "dialogue_id,speaker,label\nd1,Ann,joy\n");
    expect_one_line_failure(conv(input, {"--format", "csv"}), {input + ":1", "text"});
}

TEST_F(Cli, CsvWithMissingColumnsFailsNamingFileWhenDetectingTheFormat) {
    const std::string input = file("missing.csv", "dialogue_id,speaker,label\nd1,Ann,joy\n");
    expect_one_line_failure(conv(input), {input});
}

TEST_F(Cli, CsvWithExtraColumnsSucceeds) {
    const std::string input = file("extra.csv",
                                   "dialogue_id,speaker,text,label,notes\n"
                                   "d1,Ann,happy wonderful day,joy,first\n"
                                   "d1,Bob,so furious,anger,second,and,more\n");
    auto r = conv(input);
    ASSERT_EQ(r.code, 0) << r.err;
    auto rows = jsonl(r);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0]["text"], "happy wonderful day");
    EXPECT_EQ(rows[1]["text"], "so furious");
}

TEST_F(Cli, CsvWithBrokenQuotingFailsNamingFileAndLine) {
    const std::string input = file("broken.csv", with_bad_middle_record("d1,Bob,\"so \"mad\" now\",anger"));
    expect_one_line_failure(conv(input), {input + ":3"});
}

TEST_F(Cli, CsvWithUnterminatedQuoteFailsNamingFileAndLine) {
    const std::string input = file("unterminated.csv", header + "d1,Ann,happy day,joy\nd1,Bob,\"never closed,anger\n");
    expect_one_line_failure(conv(input), {input + ":3"});
}

// A record whose dialogue cannot be read (broken quoting, a JSON syntax error) still gets exactly one output line,
// with an error naming file and line; the good records keep their order.
void expect_unattributed_error_kept(const CliRun& r, const std::string& place) {
    EXPECT_EQ(r.code, 0) << r.err;
    auto lines = CliRun::lines(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    std::vector<std::string> good;
    int errors = 0;
    for (const auto& l : lines) {
        json j = json::parse(l);
        if (j.contains("error")) {
            ++errors;
            EXPECT_NE(j["error"].get<std::string>().find(place), std::string::npos) << l;
            EXPECT_FALSE(j.contains("emotion"));
        } else {
            good.push_back(j["text"]);
        }
    }
    EXPECT_EQ(errors, 1);
    EXPECT_EQ(good, (std::vector<std::string>{"happy wonderful day", "so angry and furious"}));
}

TEST_F(Cli, CsvWithBrokenQuotingIsSkippedWithAnErrorField) {
    const std::string input = file("broken.csv", with_bad_middle_record("d1,Bob,\"so \"mad\" now\",anger"));
    expect_unattributed_error_kept(conv(input, {"--on-error", "skip"}), input + ":3");
}

TEST_F(Cli, JsonlSyntaxErrorFailsNamingFileAndLine) {
    const std::string input =
        file("bad.jsonl",
             "{\"dialogue_id\": \"d1\", \"speaker\": \"Ann\", \"text\": \"happy wonderful day\"}\n"
             "{\"dialogue_id\": \"d1\", \"speaker\": \"Bob\", \"text\": \"oops\",}\n"
             "{\"dialogue_id\": \"d1\", \"speaker\": \"Ann\", \"text\": \"so angry and furious\"}\n");
    expect_one_line_failure(conv(input), {input + ":2", "JSON"});
}

TEST_F(Cli, JsonlSyntaxErrorIsSkippedWithAnErrorField) {
    const std::string input =
        file("bad.jsonl",
             "{\"dialogue_id\": \"d1\", \"speaker\": \"Ann\", \"text\": \"happy wonderful day\"}\n"
             "{\"dialogue_id\": \"d1\", \"speaker\": \"Bob\", \"text\": \"oops\"\n"
             "{\"dialogue_id\": \"d1\", \"speaker\": \"Ann\", \"text\": \"so angry and furious\"}\n");
    expect_unattributed_error_kept(conv(input, {"--on-error", "skip"}), input + ":2");
}

TEST_F(Cli, UnknownFormatFailsNamingTheValidFormats) {
    const std::string input = file("talk.csv", header + "d1,Ann,hi,\n");
    auto r = conv(input, {"--format", "xml"});
    expect_one_line_failure(r, {"xml", "csv", "jsonl", "json", "meld"});
}

TEST_F(Cli, EmptyFileFailsNamingIt) {
    const std::string input = file("empty.csv", "");
    expect_one_line_failure(conv(input), {input});
    const std::string blank = file("blank.csv", "  \n\n \n");
    expect_one_line_failure(conv(blank), {blank});
    expect_one_line_failure(conv(blank, {"--on-error", "skip"}), {blank});
}

TEST_F(Cli, MissingInputFileFailsNamingIt) {
    const std::string input = (dir_ / "absent.csv").string();
    expect_one_line_failure(conv(input), {input});
}

// ----- emo train conv ------------------------------------------------------------------------------------------

TEST_F(Cli, TrainWithDevLabelUnseenInTrainingFailsNamingLabelAndPlace) {
    const std::string dev = file("dev.csv", header + "x1,Ann,happy great,joy\nx1,Bob,oh wow what,surprise\n");
    auto r = run({"train", "conv", "--train", (root_ / "train.csv").string(), "--dev", dev, "--out",
                  (dir_ / "out").string(), "--threads", "1", "--quiet"});
    expect_one_line_failure(r, {"surprise", dev + ":3"});
    EXPECT_FALSE(fs::exists(dir_ / "out" / "manifest.json"));
}

TEST_F(Cli, TrainedModelIsUsableAndQuietTrainingPrintsNothing) {
    EXPECT_TRUE(train_run_.out.empty()) << train_run_.out;
    EXPECT_TRUE(train_run_.err.empty()) << train_run_.err;
    EXPECT_TRUE(fs::exists(model() / "weights.safetensors"));
}

// ----- broken model directories --------------------------------------------------------------------------------

TEST_F(Cli, MissingModelDirectoryFailsNamingIt) {
    const std::string input = file("talk.csv", header + "d1,Ann,hi,\n");
    const std::string missing = (dir_ / "no_model").string();
    expect_one_line_failure(run({"conv", input, "--model", missing}), {missing});
}

TEST_F(Cli, ModelWithMissingManifestFailsNamingIt) {
    const std::string input = file("talk.csv", header + "d1,Ann,hi,\n");
    const fs::path broken = dir_ / "model";
    fs::copy(model(), broken, fs::copy_options::recursive);
    fs::remove(broken / "manifest.json");
    expect_one_line_failure(run({"conv", input, "--model", broken.string()}), {"manifest.json"});
}

TEST_F(Cli, ModelWithCorruptManifestFailsNamingIt) {
    const std::string input = file("talk.csv", header + "d1,Ann,hi,\n");
    const fs::path broken = dir_ / "model";
    fs::copy(model(), broken, fs::copy_options::recursive);
    write_file(broken / "manifest.json", "{\"format\": \"emo-model/1\", \"labels\": [");
    expect_one_line_failure(run({"conv", input, "--model", broken.string()}), {"manifest.json"});
}

TEST_F(Cli, ModelWithTruncatedWeightsFailsNamingThem) {
    const std::string input = file("talk.csv", header + "d1,Ann,hi,\n");
    const fs::path broken = dir_ / "model";
    fs::copy(model(), broken, fs::copy_options::recursive);
    fs::resize_file(broken / "weights.safetensors", fs::file_size(broken / "weights.safetensors") / 2);
    expect_one_line_failure(run({"conv", input, "--model", broken.string()}), {"weights.safetensors"});
    expect_one_line_failure(run({"eval", "conv", input, "--model", broken.string()}), {"weights.safetensors"});
}

TEST_F(Cli, ModelWithMissingWeightsFailsNamingThem) {
    const std::string input = file("talk.csv", header + "d1,Ann,hi,\n");
    const fs::path broken = dir_ / "model";
    fs::copy(model(), broken, fs::copy_options::recursive);
    fs::remove(broken / "weights.safetensors");
    expect_one_line_failure(run({"conv", input, "--model", broken.string()}), {"weights.safetensors"});
}

}  // namespace
