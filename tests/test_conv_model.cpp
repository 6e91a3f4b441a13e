// Tests for the conversation model end to end in the library: src/train/conv_trainer.cpp trains it,
// src/dialog/conv_model.cpp saves and loads it, src/dialog/model.cpp (emo::Model) analyses conversations with it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "emo/emo.hpp"

namespace {

namespace fs = std::filesystem;

// ----- synthetic data: three labels whose words differ, two speakers ---------------------------------------------

const std::map<std::string, std::vector<std::string>>& vocabulary() {
    static const std::map<std::string, std::vector<std::string>> v = {
        {"joy", {"happy", "wonderful", "great", "love", "awesome", "delighted", "glad", "fantastic"}},
        {"anger", {"angry", "furious", "hate", "terrible", "annoyed", "outraged", "mad", "awful"}},
        {"neutral", {"table", "report", "meeting", "schedule", "paper", "tuesday", "office", "email"}},
    };
    return v;
}

const std::vector<std::string> fillers = {"i", "the", "so", "really", "this", "is", "it", "we"};
const std::vector<std::string> label_names = {"anger", "joy", "neutral"};  // sorted, as training orders them

std::string pick(const std::vector<std::string>& words, std::mt19937& rng) {
    return words[std::uniform_int_distribution<std::size_t>(0, words.size() - 1)(rng)];
}

std::string synthetic_text(const std::string& label, std::mt19937& rng) {
    std::vector<std::string> words = {pick(vocabulary().at(label), rng), pick(vocabulary().at(label), rng),
                                      pick(fillers, rng), pick(fillers, rng)};
    std::shuffle(words.begin(), words.end(), rng);
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
    return text;
}

std::vector<emo::Conversation> synthetic_dialogues(std::size_t count, unsigned seed, const std::string& prefix) {
    std::mt19937 rng(seed);
    std::vector<emo::Conversation> out;
    for (std::size_t d = 0; d < count; ++d) {
        emo::Conversation c;
        c.id = prefix + std::to_string(d);
        const int n = std::uniform_int_distribution<int>(4, 6)(rng);
        for (int i = 0; i < n; ++i) {
            emo::Utterance u;
            u.speaker = i % 2 ? "Bob" : "Ann";
            u.label = pick(label_names, rng);
            u.text = synthetic_text(u.label, rng);
            c.utterances.push_back(u);
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::string to_csv(const std::vector<emo::Conversation>& dialogues) {
    std::string csv = "dialogue_id,speaker,text,label\n";
    for (const auto& c : dialogues)
        for (const auto& u : c.utterances) csv += c.id + "," + u.speaker + "," + u.text + "," + u.label + "\n";
    return csv;
}

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

emo::TrainOptions train_options(const fs::path& train, const fs::path& out, unsigned seed = 1) {
    emo::TrainOptions o;
    o.train_path = train.string();
    o.out_dir = out.string();
    o.seed = seed;
    o.threads = 1;
    o.verbose = false;
    return o;
}

// The message of the emo::Error that `f` throws; a test failure when it throws nothing or something else.
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const emo::Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "threw a non-emo exception: " << e.what();
        return e.what();
    }
    ADD_FAILURE() << "did not throw";
    return "";
}

double sum_of(const std::map<std::string, double>& m) {
    double s = 0;
    for (const auto& [k, v] : m) s += v;
    return s;
}

// ----- fixture: one model trained for the whole suite ----------------------------------------------------------

class ConvModel : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = fs::temp_directory_path() / ("emo_conv_model_" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_);
        write_file(train_csv(), to_csv(synthetic_dialogues(40, 1, "d")));
        try {
            emo::train_conversation_model(train_options(train_csv(), model_dir()));
            model_ = std::make_unique<emo::Model>(emo::Model::load(model_dir().string()));
        } catch (const std::exception& e) {
            ADD_FAILURE() << "training the suite's model failed: " << e.what();
        }
    }
    static void TearDownTestSuite() {
        model_.reset();
        fs::remove_all(root_);
    }
    void SetUp() override {
        if (!model_) GTEST_SKIP() << "the suite's model could not be trained";
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        scratch_ = root_ / info->name();
        fs::create_directories(scratch_);
    }

    static fs::path train_csv() { return root_ / "train.csv"; }
    static fs::path model_dir() { return root_ / "model"; }
    // A copy of the trained model directory that a test may damage.
    fs::path model_copy() const {
        const fs::path dir = scratch_ / "model";
        fs::copy(model_dir(), dir, fs::copy_options::recursive);
        return dir;
    }

    static inline fs::path root_;
    static inline std::unique_ptr<emo::Model> model_;
    fs::path scratch_;
};

TEST_F(ConvModel, LoadedModelHasTheTrainingLabelSet) {
    EXPECT_EQ(model_->labels(), label_names);
    EXPECT_TRUE(model_->sentiment_labels().empty()) << "the training file has no sentiment column";
}

TEST_F(ConvModel, TrainingWritesManifestAndWeights) {
    EXPECT_TRUE(fs::is_regular_file(model_dir() / "manifest.json"));
    EXPECT_TRUE(fs::is_regular_file(model_dir() / "weights.safetensors"));
    EXPECT_FALSE(fs::exists(model_dir() / "vectors.safetensors")) << "no --vectors were given";
    // The utterance n-grams are cut as the text trainer's: words and "!"/"?" runs, character n-grams of chunks.
    std::ifstream in(model_dir() / "manifest.json");
    const std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(manifest.find("\"ngram_tokens\": \"words_and_marks\""), std::string::npos);
}

TEST_F(ConvModel, AnalyzeGivesOneCompleteResultPerUtteranceInOrder) {
    auto conv = synthetic_dialogues(1, 99, "held")[0];
    auto results = model_->analyze(conv);
    ASSERT_EQ(results.size(), conv.utterances.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        EXPECT_EQ(r.dialogue_id, conv.id);
        EXPECT_EQ(r.index, i);
        EXPECT_EQ(r.speaker, conv.utterances[i].speaker);
        EXPECT_EQ(r.text, conv.utterances[i].text);
        EXPECT_EQ(r.gold, conv.utterances[i].label);
        EXPECT_TRUE(r.error.empty()) << r.error;

        ASSERT_EQ(r.scores.size(), 3u);
        EXPECT_NEAR(sum_of(r.scores), 1.0, 1e-9);
        for (const auto& [label, p] : r.scores) {
            EXPECT_GE(p, 0.0);
            EXPECT_LE(p, 1.0);
        }
        auto top = std::max_element(r.scores.begin(), r.scores.end(),
                                    [](auto& a, auto& b) { return a.second < b.second; });
        EXPECT_EQ(r.emotion, top->first);

        EXPECT_FALSE(r.sentiment_scores.empty());
        EXPECT_NEAR(sum_of(r.sentiment_scores), 1.0, 1e-9);
        EXPECT_TRUE(r.sentiment == "negative" || r.sentiment == "neutral" || r.sentiment == "positive")
            << r.sentiment;
        auto top_sentiment = std::max_element(r.sentiment_scores.begin(), r.sentiment_scores.end(),
                                              [](auto& a, auto& b) { return a.second < b.second; });
        EXPECT_EQ(r.sentiment, top_sentiment->first);

        ASSERT_FALSE(r.evidence.empty()) << "utterance " << i;
        EXPECT_LE(r.evidence.size(), emo::ConvOptions{}.max_evidence);
        for (std::size_t e = 0; e < r.evidence.size(); ++e) {
            EXPECT_GT(r.evidence[e].weight, 0.0) << r.evidence[e].cue;
            EXPECT_FALSE(r.evidence[e].cue.empty());
            if (e > 0) {
                EXPECT_GE(r.evidence[e - 1].weight, r.evidence[e].weight) << "evidence not sorted";
            }
        }
    }
}

TEST_F(ConvModel, SentimentFollowsTheEmotionPolarity) {
    emo::Conversation conv;
    conv.id = "s";
    conv.utterances = {{"Ann", "happy wonderful love it", "", "", "", "", {}, false},
                       {"Bob", "angry furious hate it", "", "", "", "", {}, false}};
    auto r = model_->analyze(conv);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].emotion, "joy");
    EXPECT_EQ(r[0].sentiment, "positive");
    EXPECT_EQ(r[1].emotion, "anger");
    EXPECT_EQ(r[1].sentiment, "negative");
}

TEST_F(ConvModel, EvidenceNamesTheWordsThatDroveTheDecision) {
    emo::Conversation conv;
    conv.id = "e";
    conv.utterances = {{"Ann", "the meeting is on tuesday", "", "", "", "", {}, false},
                       {"Bob", "I am so furious", "", "", "", "", {}, false}};
    auto r = model_->analyze(conv);
    ASSERT_EQ(r.size(), 2u);
    ASSERT_EQ(r[1].emotion, "anger");
    std::set<std::string> cues;
    for (const auto& e : r[1].evidence) cues.insert(e.cue);
    EXPECT_TRUE(cues.count("word:furious")) << "evidence lacks word:furious";
}

TEST_F(ConvModel, MaxEvidenceLimitsAndZeroDisablesEvidence) {
    auto conv = synthetic_dialogues(1, 5, "m")[0];
    emo::ConvOptions options;
    options.max_evidence = 1;
    for (const auto& r : model_->analyze(conv, options)) EXPECT_LE(r.evidence.size(), 1u);
    options.max_evidence = 0;
    auto without = model_->analyze(conv, options);
    auto with = model_->analyze(conv);
    for (std::size_t i = 0; i < without.size(); ++i) {
        EXPECT_TRUE(without[i].evidence.empty());
        EXPECT_EQ(without[i].scores, with[i].scores) << "evidence must not change the prediction";
    }
}

TEST_F(ConvModel, HeldOutDialoguesAreClassifiedMostlyRight) {
    std::size_t right = 0, total = 0;
    for (bool online : {false, true}) {
        emo::ConvOptions options;
        options.online = online;
        for (const auto& conv : synthetic_dialogues(6, 12345, "held")) {
            auto results = model_->analyze(conv, options);
            for (std::size_t i = 0; i < results.size(); ++i, ++total) right += results[i].emotion == conv.utterances[i].label;
        }
    }
    EXPECT_GE(static_cast<double>(right) / total, 0.85) << right << " of " << total;
}

TEST_F(ConvModel, EmptyConversationGivesNoResults) {
    emo::Conversation conv;
    conv.id = "empty";
    EXPECT_TRUE(model_->analyze(conv).empty());
    emo::ConvOptions online;
    online.online = true;
    EXPECT_TRUE(model_->analyze(conv, online).empty());
}

TEST_F(ConvModel, UnreadableUtterancesGetAnErrorAndTheRestAreAnalysed) {
    emo::Conversation conv;
    conv.id = "err";
    conv.utterances = {{"Ann", "happy great day", "", "", "in.csv:2", "", {}, false},
                       {"Bob", "", "", "", "in.csv:3", "in.csv:3: empty utterance", {}, false},
                       {"Ann", "bad \xff bytes", "", "", "in.csv:4", "", {}, false},
                       {"Bob", "so angry and mad", "", "", "in.csv:5", "", {}, false}};
    auto r = model_->analyze(conv);
    ASSERT_EQ(r.size(), 4u);
    EXPECT_TRUE(r[0].error.empty());
    EXPECT_EQ(r[0].emotion, "joy");
    EXPECT_EQ(r[1].error, "in.csv:3: empty utterance");
    EXPECT_TRUE(r[1].emotion.empty());
    EXPECT_TRUE(r[1].scores.empty());
    EXPECT_NE(r[2].error.find("in.csv:4"), std::string::npos) << r[2].error;
    EXPECT_TRUE(r[2].scores.empty());
    EXPECT_TRUE(r[3].error.empty());
    EXPECT_EQ(r[3].emotion, "anger");
    EXPECT_EQ(r[3].index, 3u);
}

TEST_F(ConvModel, OnlinePredictionsDoNotDependOnLaterUtterances) {
    auto conv = synthetic_dialogues(1, 77, "o")[0];
    while (conv.utterances.size() < 6) conv.utterances.push_back({"Ann", "great day", "joy", "", "", "", {}, false});
    emo::ConvOptions online;
    online.online = true;
    const auto base = model_->analyze(conv, online);
    for (std::size_t cut = 1; cut < conv.utterances.size(); ++cut) {
        // Replace everything from `cut` on with different text, speakers and length.
        auto changed = conv;
        changed.utterances.resize(cut);
        changed.utterances.push_back({"Zed", "I HATE this awful terrible table!!!", "", "", "", "", {}, false});
        changed.utterances.push_back({"Ann", "wonderful", "", "", "", "", {}, false});
        auto results = model_->analyze(changed, online);
        for (std::size_t i = 0; i < cut; ++i) {
            EXPECT_EQ(results[i].scores, base[i].scores) << "utterance " << i << " changed with utterance " << cut;
            EXPECT_EQ(results[i].sentiment_scores, base[i].sentiment_scores) << "utterance " << i;
        }
    }
}

TEST_F(ConvModel, OfflinePredictionsUseLaterUtterances) {
    auto conv = synthetic_dialogues(1, 78, "f")[0];
    const auto base = model_->analyze(conv);
    auto changed = conv;
    changed.utterances.back().text = "I HATE this awful terrible place!!!";
    auto results = model_->analyze(changed);
    bool any = false;
    for (std::size_t i = 0; i + 1 < conv.utterances.size(); ++i) any = any || results[i].scores != base[i].scores;
    EXPECT_TRUE(any) << "offline mode ignored the future";
}

TEST_F(ConvModel, SameSeedTrainsByteIdenticalWeights) {
    const fs::path again = scratch_ / "again";
    emo::train_conversation_model(train_options(train_csv(), again));
    const std::string a = read_bytes(model_dir() / "weights.safetensors");
    const std::string b = read_bytes(again / "weights.safetensors");
    ASSERT_FALSE(a.empty());
    EXPECT_TRUE(a == b) << "weights differ between two trainings with the same seed";
}

TEST_F(ConvModel, ModelIsMovableAndStillWorks) {
    emo::Model m = emo::Model::load(model_dir().string());
    emo::Model moved = std::move(m);
    auto conv = synthetic_dialogues(1, 3, "mv")[0];
    EXPECT_EQ(moved.analyze(conv).size(), conv.utterances.size());
}

// ----- load errors ---------------------------------------------------------------------------------------------

TEST_F(ConvModel, LoadOfMissingDirectoryThrowsNamingIt) {
    const std::string dir = (scratch_ / "no_such_model").string();
    auto msg = error_of([&] { emo::Model::load(dir); });
    EXPECT_NE(msg.find(dir), std::string::npos) << msg;
}

TEST_F(ConvModel, LoadWithoutManifestThrowsNamingIt) {
    const auto dir = model_copy();
    fs::remove(dir / "manifest.json");
    auto msg = error_of([&] { emo::Model::load(dir.string()); });
    EXPECT_NE(msg.find("manifest.json"), std::string::npos) << msg;
}

TEST_F(ConvModel, LoadWithCorruptManifestJsonThrowsNamingIt) {
    const auto dir = model_copy();
    std::string text = read_bytes(dir / "manifest.json");
    write_file(dir / "manifest.json", text.substr(0, text.size() / 2));
    auto msg = error_of([&] { emo::Model::load(dir.string()); });
    EXPECT_NE(msg.find("manifest.json"), std::string::npos) << msg;
}

TEST_F(ConvModel, LoadWithManifestOfWrongShapeThrowsNamingIt) {
    const auto dir = model_copy();
    write_file(dir / "manifest.json", R"(["not", "an", "object"])");
    auto msg = error_of([&] { emo::Model::load(dir.string()); });
    EXPECT_NE(msg.find("manifest.json"), std::string::npos) << msg;
    write_file(dir / "manifest.json", R"({"task": "conversation-emotion", "architecture": "stacked-linear",
                                          "labels": ["a", "b"], "sentiment_labels": []})");
    msg = error_of([&] { emo::Model::load(dir.string()); });
    EXPECT_NE(msg.find("manifest.json"), std::string::npos) << msg;
}

TEST_F(ConvModel, LoadWithLabelCountDisagreeingWithWeightsThrowsNamingTheFile) {
    const auto dir = model_copy();
    std::string text = read_bytes(dir / "manifest.json");
    const std::string from = "\"neutral\"";
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, from.size(), "\"neutral\", \"surprise\"");
    write_file(dir / "manifest.json", text);
    auto msg = error_of([&] { emo::Model::load(dir.string()); });
    EXPECT_TRUE(msg.find("weights.safetensors") != std::string::npos || msg.find("manifest.json") != std::string::npos)
        << msg;
}

TEST_F(ConvModel, LoadWithAbsurdFeaturizerSizeThrowsNamingTheManifest) {
    const auto dir = model_copy();
    std::string text = read_bytes(dir / "manifest.json");
    const std::string from = "\"hash_bits\": 18";
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << text;
    text.replace(at, from.size(), "\"hash_bits\": 30");
    write_file(dir / "manifest.json", text);
    auto msg = error_of([&] { emo::Model::load(dir.string()); });
    EXPECT_NE(msg.find("manifest.json"), std::string::npos) << msg;
}

TEST_F(ConvModel, LoadWithTruncatedWeightsThrowsNamingTheFile) {
    const auto dir = model_copy();
    const auto weights = dir / "weights.safetensors";
    fs::resize_file(weights, fs::file_size(weights) - 100);
    auto msg = error_of([&] { emo::Model::load(dir.string()); });
    EXPECT_NE(msg.find("weights.safetensors"), std::string::npos) << msg;
    fs::resize_file(weights, 5);
    msg = error_of([&] { emo::Model::load(dir.string()); });
    EXPECT_NE(msg.find("weights.safetensors"), std::string::npos) << msg;
}

TEST_F(ConvModel, LoadWithMissingWeightsThrowsNamingTheFile) {
    const auto dir = model_copy();
    fs::remove(dir / "weights.safetensors");
    auto msg = error_of([&] { emo::Model::load(dir.string()); });
    EXPECT_NE(msg.find("weights.safetensors"), std::string::npos) << msg;
}

// ----- training errors -----------------------------------------------------------------------------------------

TEST_F(ConvModel, DevLabelUnseenInTrainingThrowsNamingLabelAndPlace) {
    const auto dev = scratch_ / "dev.csv";
    write_file(dev, "dialogue_id,speaker,text,label\n"
                    "x1,Ann,happy great,joy\n"
                    "x1,Bob,oh wow what,surprise\n");
    auto options = train_options(train_csv(), scratch_ / "out");
    options.dev_path = dev.string();
    auto msg = error_of([&] { emo::train_conversation_model(options); });
    EXPECT_NE(msg.find("surprise"), std::string::npos) << msg;
    EXPECT_NE(msg.find(dev.string() + ":3"), std::string::npos) << msg;
    EXPECT_FALSE(fs::exists(scratch_ / "out" / "manifest.json")) << "a failed training must not write a model";
}

TEST_F(ConvModel, TrainingWithDevFileRecordsDevMetrics) {
    const auto dev = scratch_ / "dev.csv";
    write_file(dev, to_csv(synthetic_dialogues(5, 4242, "dev")));
    auto options = train_options(train_csv(), scratch_ / "out");
    options.dev_path = dev.string();
    emo::train_conversation_model(options);
    std::string manifest = read_bytes(scratch_ / "out" / "manifest.json");
    EXPECT_NE(manifest.find("dev_metrics"), std::string::npos);
    EXPECT_NE(manifest.find("weighted_f1"), std::string::npos);
}

TEST_F(ConvModel, TrainingOnASingleLabelThrows) {
    const auto train = scratch_ / "one.csv";
    write_file(train, "dialogue_id,speaker,text,label\nd,A,happy,joy\nd,B,glad,joy\n");
    auto msg = error_of([&] { emo::train_conversation_model(train_options(train, scratch_ / "out")); });
    EXPECT_NE(msg.find(train.string()), std::string::npos) << msg;
}

TEST_F(ConvModel, TrainingOnUnlabelledUtteranceThrowsNamingThePlace) {
    const auto train = scratch_ / "unlabelled.csv";
    write_file(train, "dialogue_id,speaker,text,label\nd,A,happy,joy\nd,B,so mad,\nd,A,angry,anger\n");
    auto msg = error_of([&] { emo::train_conversation_model(train_options(train, scratch_ / "out")); });
    EXPECT_NE(msg.find(train.string() + ":3"), std::string::npos) << msg;
}

TEST_F(ConvModel, TrainingOnMissingFileThrowsNamingIt) {
    const auto train = scratch_ / "absent.csv";
    auto msg = error_of([&] { emo::train_conversation_model(train_options(train, scratch_ / "out")); });
    EXPECT_NE(msg.find(train.string()), std::string::npos) << msg;
}

}  // namespace

TEST_F(ConvModel, OneDialogueOfAHundredThousandUtterancesGetsOneResultEach) {
    emo::Conversation conv;
    conv.id = "long";
    const std::vector<std::string> texts = {"happy great day", "so angry and mad", "ok", "what a lovely gift"};
    for (std::size_t i = 0; i < 100000; ++i)
        conv.utterances.push_back({i % 2 ? "Bob" : "Ann", texts[i % texts.size()], "", "", "", "", {}, false});
    emo::ConvOptions options;
    options.max_evidence = 0;
    auto r = model_->analyze(conv, options);
    ASSERT_EQ(r.size(), conv.utterances.size());
    EXPECT_EQ(r.back().index, 99999u);
    EXPECT_EQ(r[1001].emotion, r[1005].emotion);  // same text, same neighbours: same decision
    for (std::size_t i = 0; i < r.size(); i += 9973) EXPECT_FALSE(r[i].emotion.empty()) << i;
}
