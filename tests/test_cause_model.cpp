// The emotion-cause model end to end: train on a small annotated set, save, load, find causes, evaluate.
#include <emo/emo.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

// Dialogues in which the cause of an emotion is always the utterance just before it, whose second clause
// ("because ...") carries the cause.
std::string training_jsonl(int dialogues) {
    const char* events[] = {"I lost my keys", "my dog is sick", "we won the cup", "the bus left"};
    const char* feelings[] = {"sadness", "sadness", "happiness", "anger"};
    std::ostringstream out;
    for (int d = 0; d < dialogues; ++d) {
        const int e = d % 4;
        std::string id = "d";
        id += std::to_string(d);  // not "d" + ...: GCC 12 warns falsely (-Wrestrict) on that
        out << R"({"dialogue_id":")" << id << R"(","speaker":"A","text":"Hello there .","label":"neutral"})" << '\n';
        out << R"({"dialogue_id":")" << id << R"(","speaker":"B","text":"Well , because )" << events[e]
            << R"( today .","label":"neutral"})" << '\n';
        out << R"({"dialogue_id":")" << id << R"(","speaker":"A","text":"Oh really ?","label":")" << feelings[e]
            << R"(","causes":[{"index":1,"span":"because )" << events[e] << R"( today ."}]})" << '\n';
    }
    return out.str();
}

class CauseModelTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("emo_cause_model_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        std::ofstream(dir_ / "train.jsonl") << training_jsonl(40);
        emo::CauseTrainOptions o;
        o.train_path = (dir_ / "train.jsonl").string();
        o.valid_path = o.train_path;
        o.out_dir = (dir_ / "model").string();
        o.c_pair = 1;
        o.c_span = 1;
        o.threads = 1;
        o.verbose = false;
        emo::train_cause_model(o);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

}  // namespace

TEST_F(CauseModelTest, FindsThePreviousUtteranceAndItsCauseClause) {
    const auto model = emo::CauseModel::load((dir_ / "model").string());
    EXPECT_GT(model.threshold(), 0.0);
    EXPECT_LT(model.threshold(), 1.0);
    const auto conversations = emo::read_conversations((dir_ / "train.jsonl").string());
    std::vector<emo::Result> results(3);
    results[2].emotion = "joy";  // as the MELD conversation model names it
    emo::CauseOptions options;
    options.candidates = true;
    model.find_causes(conversations[0], results, options);
    EXPECT_FALSE(results[0].causes.has_value());  // neutral: not a target
    ASSERT_TRUE(results[2].causes.has_value());
    ASSERT_EQ(results[2].causes->size(), 1u);
    const auto& cause = results[2].causes->front();
    EXPECT_EQ(cause.index, 1u);
    EXPECT_EQ(cause.span, "because I lost my keys today .");
    EXPECT_EQ(cause.start, 7u);
    EXPECT_EQ(cause.end, 7u + cause.span.size());
    ASSERT_EQ(results[2].cause_candidates.size(), 3u);
    EXPECT_GT(results[2].cause_candidates[1].score, results[2].cause_candidates[0].score);

    const std::string json = emo::to_json(results[2]);
    EXPECT_NE(json.find(R"("causes":[{"index":1,"score":)"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("span":"because I lost my keys today .","start":7,"end":37)"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("candidates":[{"index":0,"score":)"), std::string::npos) << json;
}

TEST_F(CauseModelTest, GoldEmotionsComeFromTheLabelsAndAMissingLabelIsAnError) {
    const auto model = emo::CauseModel::load((dir_ / "model").string());
    auto conversation = emo::read_conversations((dir_ / "train.jsonl").string())[0];
    std::vector<emo::Result> results(3);  // predictions all empty = neutral
    emo::CauseOptions gold;
    gold.gold_emotions = true;
    model.find_causes(conversation, results, gold);
    ASSERT_TRUE(results[2].causes.has_value());
    EXPECT_FALSE(results[2].causes->empty());

    conversation.utterances[1].label.clear();
    std::vector<emo::Result> again(3);
    EXPECT_THROW(model.find_causes(conversation, again, gold), emo::Error);
    std::vector<emo::Result> too_few(2);
    EXPECT_THROW(model.find_causes(conversation, too_few), emo::Error);
}

TEST_F(CauseModelTest, EvaluatesPairsAndSpansAndWritesTheFiguresIntoTheManifest) {
    const auto model = emo::CauseModel::load((dir_ / "model").string());
    const auto conversations = emo::read_conversations((dir_ / "train.jsonl").string());
    std::ostringstream warnings;
    const auto report = emo::evaluate_causes(model, conversations, nullptr, warnings);
    EXPECT_EQ(report.targets, 40u);
    EXPECT_DOUBLE_EQ(report.pairs, 40.0 * 3);
    EXPECT_DOUBLE_EQ(report.positive_pairs, 40.0);
    EXPECT_GT(report.positive_f1, 0.95);
    EXPECT_GT(report.span_f1, report.whole_f1);
    EXPECT_TRUE(warnings.str().empty());
    std::ifstream manifest(dir_ / "model" / "manifest.json");
    std::string text((std::istreambuf_iterator<char>(manifest)), {});
    EXPECT_NE(text.find("\"gold_emotions\""), std::string::npos);
    EXPECT_NE(text.find("\"threshold\""), std::string::npos);
}

TEST_F(CauseModelTest, CorruptOrForeignModelDirectoriesAreErrorsNamingTheFile) {
    EXPECT_THROW(emo::CauseModel::load((dir_ / "missing").string()), emo::Error);
    fs::remove(dir_ / "model" / "weights.safetensors");
    try {
        emo::CauseModel::load((dir_ / "model").string());
        FAIL() << "no error for missing weights";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("weights.safetensors"), std::string::npos) << e.what();
    }
    std::ofstream(dir_ / "model" / "manifest.json") << R"({"task":"conversation-emotion"})";
    EXPECT_THROW(emo::CauseModel::load((dir_ / "model").string()), emo::Error);
}

TEST(CauseTraining, FailsClearlyWithoutAnnotations) {
    const auto path = fs::temp_directory_path() / ("emo_no_causes_" + std::to_string(::getpid()) + ".jsonl");
    std::ofstream(path) << R"({"dialogue_id":"d","speaker":"A","text":"Hi .","label":"happiness"})" << '\n';
    emo::CauseTrainOptions o;
    o.train_path = path.string();
    o.out_dir = (fs::temp_directory_path() / "emo_no_causes_model").string();
    o.verbose = false;
    try {
        emo::train_cause_model(o);
        FAIL() << "trained without annotations";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("no usable cause annotations"), std::string::npos) << e.what();
    }
    fs::remove(path);
}
