// Tests for single-text models end to end in the library: src/train/text_trainer.cpp trains them,
// src/text/linear_text_model.cpp saves and loads them, src/text/text_model_api.cpp (emo::TextModel) analyses texts.
#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "emo/emo.hpp"
#include "text/linear_text_model.hpp"
#include "text/word_vectors.hpp"

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> joy_words = {"happy", "wonderful", "great", "love", "awesome", "glad"};
const std::vector<std::string> anger_words = {"angry", "furious", "hate", "terrible", "annoyed", "mad"};
const std::vector<std::string> plain_words = {"table", "report", "meeting", "schedule", "paper", "office"};
const std::vector<std::string> fillers = {"i", "the", "so", "really", "this", "is"};

struct Sample {
    std::string text;
    std::vector<std::string> labels;
    double valence;
};

// Texts with joy words, anger words, both (two labels) or neither (neutral); valence follows the words.
std::vector<Sample> samples(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    auto pick = [&](const std::vector<std::string>& v) {
        return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
    };
    std::vector<Sample> out;
    for (std::size_t i = 0; i < n; ++i) {
        Sample s;
        std::vector<std::string> words = {pick(fillers), pick(fillers)};
        const int kind = static_cast<int>(i % 4);
        if (kind == 0 || kind == 2) words.push_back(pick(joy_words)), s.labels.push_back("joy");
        if (kind == 1 || kind == 2) words.push_back(pick(anger_words)), s.labels.push_back("anger");
        if (kind == 3) words.push_back(pick(plain_words)), s.labels.push_back("neutral");
        words.push_back(pick(plain_words));
        std::shuffle(words.begin(), words.end(), rng);
        for (const auto& w : words) s.text += (s.text.empty() ? "" : " ") + w;
        s.valence = kind == 0 ? 4.0 : kind == 1 ? 2.0 : 3.0;
        out.push_back(s);
    }
    return out;
}

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class TextModelTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = fs::temp_directory_path() / ("emo_text_model_" + std::to_string(::getpid()));
        fs::remove_all(root_);
        fs::create_directories(root_ / "data");
        std::string labelled = "id,text,labels\n", rated = "id,split,V,A,D,text\n", writer = "id,V,A,D\n";
        std::size_t id = 0;
        for (const auto& s : samples(400, 1)) {
            labelled += "t" + std::to_string(id) + "," + s.text + ",\"" + join(s.labels) + "\"\n";
            const std::string split = id % 5 == 0 ? "dev" : "train";
            rated += "r" + std::to_string(id) + "," + split + "," + std::to_string(s.valence) + ",3,3," + s.text + "\n";
            writer += "r" + std::to_string(id) + "," + std::to_string(s.valence + 0.5) + ",3,3\n";
            ++id;
        }
        write_file(root_ / "data" / "train.csv", labelled);
        write_file(root_ / "data" / "emobank.csv", rated);
        write_file(root_ / "data" / "writer.csv", writer);
        write_file(root_ / "data" / "ekman_mapping.json", R"({"joy": ["joy"], "anger": ["anger"]})");
        write_file(root_ / "data" / "sentiment_dict.json", R"({"positive": ["joy"], "negative": ["anger"]})");

        emo::TextTrainOptions o;
        o.train_path = (root_ / "data" / "train.csv").string();
        o.out_dir = emotions().string();
        o.threads = 1;
        o.verbose = false;
        emo::train_text_model(o);

        emo::TextTrainOptions r;
        r.task = "regression";
        r.train_path = r.dev_path = (root_ / "data" / "emobank.csv").string();
        r.read.target_names = {"V", "A", "D"};
        r.perspectives = {{"writer", (root_ / "data" / "writer.csv").string()}};
        r.base_dir = emotions().string();
        r.out_dir = vad().string();
        r.threads = 1;
        r.verbose = false;
        emo::train_text_model(r);
    }
    static void TearDownTestSuite() { fs::remove_all(root_); }

    static fs::path emotions() { return root_ / "emotions"; }
    static fs::path vad() { return root_ / "vad"; }
    static emo::TextModel both() { return emo::TextModel::load(emotions().string(), vad().string()); }

    static inline fs::path root_;
};

}  // namespace

TEST_F(TextModelTest, MultiLabelModelFindsTheLabelsOfHeldOutTexts) {
    const auto model = both();
    ASSERT_TRUE(model.multilabel());
    EXPECT_EQ(model.labels(), (std::vector<std::string>{"anger", "joy", "neutral"}));
    std::vector<std::vector<std::size_t>> gold, predicted;
    for (const auto& s : samples(200, 99)) {
        const auto r = model.analyze(s.text);
        ASSERT_TRUE(r.error.empty()) << r.error;
        auto index = [&](const std::string& l) {
            return static_cast<std::size_t>(std::find(model.labels().begin(), model.labels().end(), l) -
                                            model.labels().begin());
        };
        std::vector<std::size_t> g, p;
        for (const auto& l : s.labels) g.push_back(index(l));
        for (const auto& l : r.labels) p.push_back(index(l));
        gold.push_back(g);
        predicted.push_back(p);
    }
    const auto report = emo::evaluate_multilabel(gold, predicted, model.labels());
    EXPECT_GT(report.micro_f1, 0.9);
    EXPECT_GT(report.jaccard, 0.85);
}

// In this training data neutral never comes with another label, so the trainer keeps the rule that says so.
TEST_F(TextModelTest, NeutralNeverComesWithAnotherLabelAndEveryTextGetsALabel) {
    const auto manifest = nlohmann::json::parse(slurp(emotions() / "manifest.json"));
    EXPECT_EQ(manifest.at("label_rule"), nlohmann::json({{"neutral_alone", true}, {"at_least_one", true}}));
    const auto model = both();
    for (const auto& s : samples(100, 7)) {
        const auto r = model.analyze(s.text);
        ASSERT_FALSE(r.labels.empty()) << s.text;
        if (std::find(r.labels.begin(), r.labels.end(), "neutral") != r.labels.end()) {
            EXPECT_EQ(r.labels.size(), 1u) << s.text;
        }
        for (const auto& [label, p] : r.scores) {
            EXPECT_GE(p, 0.0);
            EXPECT_LE(p, 1.0);
        }
    }
}

TEST_F(TextModelTest, LabelsMapToTheGroupsFoundBesideTheTrainingFile) {
    const auto r = both().analyze("so happy and so angry");
    const std::set<std::string> labels(r.labels.begin(), r.labels.end());
    ASSERT_TRUE(labels.count("joy") && labels.count("anger")) << emo::to_json(r);
    EXPECT_EQ(r.ekman, (std::vector<std::string>{"anger", "joy"}));
    EXPECT_EQ(r.sentiment, (std::vector<std::string>{"negative", "positive"}));
    const auto n = both().analyze("the meeting report");
    EXPECT_EQ(n.labels, std::vector<std::string>{"neutral"});
    EXPECT_EQ(n.ekman, std::vector<std::string>{"neutral"}) << "neutral has no group and stays itself";
}

TEST_F(TextModelTest, EvidenceNamesTheWordsOfEachPredictedLabel) {
    const auto r = both().analyze("so happy and so angry");
    bool joy_happy = false, anger_angry = false;
    for (const auto& e : r.evidence) {
        joy_happy |= e.label == "joy" && e.cue == "word:happy";
        anger_angry |= e.label == "anger" && e.cue == "word:angry";
        EXPECT_GT(e.weight, 0);
    }
    EXPECT_TRUE(joy_happy && anger_angry) << emo::to_json(r);
    emo::TextOptions none;
    none.max_evidence = 0;
    EXPECT_TRUE(both().analyze("so happy", none).evidence.empty());
}

TEST_F(TextModelTest, StackedRegressorFollowsValenceAndOffersPerspectives) {
    const auto model = both();
    EXPECT_EQ(model.perspectives(), (std::vector<std::string>{"average", "writer"}));
    const auto happy = model.analyze("i really love this wonderful paper");
    const auto angry = model.analyze("i really hate this terrible paper");
    ASSERT_EQ(happy.vad.size(), 1u);
    EXPECT_GT(happy.vad.at("").at("valence"), angry.vad.at("").at("valence") + 1.0);
    EXPECT_NEAR(happy.vad.at("").at("arousal"), 3.0, 0.2);

    emo::TextOptions writer;
    writer.perspective = "writer";
    EXPECT_NEAR(model.analyze("i really love this wonderful paper", writer).vad.at("").at("valence"),
                happy.vad.at("").at("valence") + 0.5, 0.2);
    emo::TextOptions both_views;
    both_views.perspective = "both";
    const auto r = model.analyze("glad", both_views);
    ASSERT_EQ(r.vad.size(), 1u) << "every perspective other than the average, by name: here only the writer's";
    EXPECT_TRUE(r.vad.count("writer"));
    emo::TextOptions reader;
    reader.perspective = "reader";
    EXPECT_THROW(model.analyze("glad", reader), emo::Error) << "this model has no reader perspective";
    emo::TextOptions bogus;
    bogus.perspective = "editor";
    EXPECT_THROW(model.analyze("glad", bogus), emo::Error);
}

TEST_F(TextModelTest, TheRegressorAloneGivesTheSameValuesAsTogether) {
    const auto alone = emo::TextModel::load("", vad().string());
    EXPECT_TRUE(alone.labels().empty());
    const auto a = alone.analyze("so happy and so angry"), b = both().analyze("so happy and so angry");
    EXPECT_TRUE(a.labels.empty());
    EXPECT_DOUBLE_EQ(a.vad.at("").at("valence"), b.vad.at("").at("valence"));
    EXPECT_EQ(alone.vad_targets(), (std::vector<std::pair<std::string, std::string>>{
                                       {"V", "valence"}, {"A", "arousal"}, {"D", "dominance"}}));
}

TEST_F(TextModelTest, HostileTextsGetAWellDefinedResultOrAnError) {
    const auto model = both();
    const std::vector<std::string> texts = {"",
                                            "   ",
                                            "!!!???...",
                                            "\xF0\x9F\x98\x80\xF0\x9F\x98\xA1",
                                            "\x01\x02\x1b[31mred\x7f",
                                            "happy \xD0\xBF\xD1\x80\xD0\xB8 \xE5\xA5\xBD",
                                            std::string(1 << 20, 'a') + " happy"};
    for (const auto& t : texts) {
        const auto r = model.analyze(t);
        EXPECT_TRUE(r.error.empty()) << r.error;
        EXPECT_FALSE(r.labels.empty());
        EXPECT_EQ(r.scores.size(), 3u);
        for (const auto& [k, v] : r.vad.at("")) EXPECT_TRUE(std::isfinite(v)) << k;
    }
    const auto bad = model.analyze("caf\xC3");
    EXPECT_NE(bad.error.find("invalid UTF-8"), std::string::npos);
    EXPECT_TRUE(bad.labels.empty());
}

TEST_F(TextModelTest, RecordsKeepTheirOrderIdsAndReadErrors) {
    std::vector<emo::TextRecord> records(3);
    records[0].id = "a", records[0].text = "so happy";
    records[1].id = "b", records[1].error = "in.csv:3: invalid UTF-8 in text at byte 2";
    records[2].id = "c", records[2].text = "bad \xFF", records[2].source = "in.csv:4";
    const auto results = both().analyze(records);
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].id, "a");
    EXPECT_TRUE(results[0].error.empty());
    EXPECT_EQ(results[1].error, records[1].error);
    EXPECT_EQ(results[2].id, "c");
    EXPECT_NE(results[2].error.find("in.csv:4"), std::string::npos);
}

TEST_F(TextModelTest, AStackedModelRefusesABaseThatWasRetrained) {
    const fs::path copy = root_ / "copy";
    fs::remove_all(copy);
    fs::create_directories(copy);
    fs::copy(emotions(), copy / "emotions");
    fs::copy(vad(), copy / "vad");
    emo::TextTrainOptions o;
    o.train_path = (root_ / "data" / "train.csv").string();
    o.out_dir = (copy / "emotions").string();
    o.c = 0.5;  // different weights
    o.threads = 1;
    o.verbose = false;
    emo::train_text_model(o);
    try {
        emo::TextModel::load("", (copy / "vad").string());
        FAIL() << "loaded a regressor over a base it was not trained with";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("not the one"), std::string::npos) << e.what();
    }
}

TEST_F(TextModelTest, AManifestNamingItselfAsBaseIsAnErrorNotARecursion) {
    const fs::path loop = root_ / "loop";
    fs::remove_all(loop);
    fs::copy(vad(), loop);
    auto manifest = slurp(loop / "manifest.json");
    const auto at = manifest.find("\"path\": \"");
    ASSERT_NE(at, std::string::npos);
    const auto end = manifest.find('"', at + 9);
    manifest.replace(at + 9, end - at - 9, ".");
    write_file(loop / "manifest.json", manifest);
    EXPECT_THROW(emo::TextModel::load("", loop.string()), emo::Error);
}

// New models cut their n-grams as words and "!"/"?" runs (the manifest says so); a model without the setting (every
// model trained before it) keeps every token, and an unknown value names the manifest.
TEST_F(TextModelTest, ManifestSaysHowNgramsAreCutAndUnknownWaysAreRefused) {
    auto manifest = nlohmann::json::parse(slurp(emotions() / "manifest.json"));
    EXPECT_EQ(manifest.at("featurizer").at("ngram_tokens"), "words_and_marks");
    const fs::path old = root_ / "old_tokens";
    fs::remove_all(old);
    fs::copy(emotions(), old);
    manifest["featurizer"].erase("ngram_tokens");
    write_file(old / "manifest.json", manifest.dump());
    const auto before = both().analyze("I am so happy!!").scores, after = emo::TextModel::load(old.string(), "")
                                                                              .analyze("I am so happy!!")
                                                                              .scores;
    EXPECT_NE(before, after);  // the same weights over the other n-grams
    manifest["featurizer"]["ngram_tokens"] = "bytes";
    write_file(old / "manifest.json", manifest.dump());
    try {
        emo::TextModel::load(old.string(), "");
        FAIL() << "loaded a model with an unknown ngram_tokens";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("ngram_tokens"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("manifest.json"), std::string::npos) << e.what();
    }
}

TEST(LabelRule, DecidesWhetherNeutralStandsAloneAndWhetherEveryTextGetsALabel) {
    emo::text::LinearTextModel m;
    m.outputs = {"anger", "joy", "neutral"};
    m.thresholds = {0.5, 0.4, 0.5};
    using Labels = std::vector<std::size_t>;
    const std::vector<double> anger_and_neutral = {0.6, 0.1, 0.7}, none_passes = {0.1, 0.3, 0.2};
    EXPECT_EQ(m.decide(anger_and_neutral), Labels({0}));
    EXPECT_EQ(m.decide(none_passes), Labels({1}));  // joy: the highest probability / threshold
    m.label_rule = {.neutral_alone = false, .at_least_one = false};
    EXPECT_EQ(m.decide(anger_and_neutral), Labels({0, 2}));
    EXPECT_EQ(m.decide(none_passes), Labels());
}

// Where neutral comes with joy in the training data, the trainer lets it (chosen out of fold, kept in the manifest).
TEST_F(TextModelTest, TheTrainerChoosesTheLabelRuleThatTheDataFollows) {
    std::string labelled = "id,text,labels\n";
    std::size_t id = 0;
    for (const auto& s : samples(400, 3)) {
        std::string labels = join(s.labels);
        if (labels == "joy") labels = "joy,neutral";
        labelled += "t" + std::to_string(id++) + "," + s.text + ",\"" + labels + "\"\n";
    }
    fs::create_directories(root_ / "mixed");
    write_file(root_ / "mixed" / "train.csv", labelled);
    emo::TextTrainOptions o;
    o.train_path = (root_ / "mixed" / "train.csv").string();
    o.out_dir = (root_ / "mixed_model").string();
    o.threads = 1;
    o.verbose = false;
    emo::train_text_model(o);
    const auto manifest = nlohmann::json::parse(slurp(root_ / "mixed_model" / "manifest.json"));
    EXPECT_FALSE(manifest.at("label_rule").at("neutral_alone").get<bool>());
    const auto model = emo::TextModel::load(o.out_dir);
    const auto r = model.analyze("so happy really the report");
    EXPECT_EQ(std::set<std::string>(r.labels.begin(), r.labels.end()), (std::set<std::string>{"joy", "neutral"}));
}

// Regression tries the built-in word vectors and keeps them only where its out-of-fold r says so; "none" skips them.
TEST_F(TextModelTest, RegressionChoosesTheBuiltInWordVectorsByCrossValidation) {
    const std::string builtin = emo::TextModel::default_word_vectors_directory();
    if (!fs::exists(fs::path(builtin) / "vectors.safetensors")) GTEST_SKIP() << "no built-in word vectors";
    const auto training = nlohmann::json::parse(slurp(vad() / "manifest.json")).at("training");
    const auto& choice = training.at("vector_choice");
    const bool kept = choice.at("mean_r_with").get<double>() >= choice.at("mean_r_without").get<double>();
    EXPECT_EQ(training.at("vectors").get<std::string>(), kept ? builtin : std::string());
    EXPECT_EQ(fs::exists(vad() / "vectors.safetensors"), kept);

    emo::TextTrainOptions r;
    r.task = "regression";
    r.train_path = (root_ / "data" / "emobank.csv").string();
    r.read.target_names = {"V"};
    r.vectors_path = "none";
    r.out_dir = (root_ / "no_vectors").string();
    r.threads = 1;
    r.verbose = false;
    emo::train_text_model(r);
    const auto plain = nlohmann::json::parse(slurp(root_ / "no_vectors" / "manifest.json")).at("training");
    EXPECT_EQ(plain.at("vectors"), "");
    EXPECT_FALSE(plain.contains("vector_choice"));
}

TEST_F(TextModelTest, TrainingDoesNotDependOnTheThreadCount) {
    emo::TextTrainOptions o;
    o.train_path = (root_ / "data" / "train.csv").string();
    o.out_dir = (root_ / "two_threads").string();
    o.threads = 2;
    o.verbose = false;
    emo::train_text_model(o);
    EXPECT_EQ(slurp(root_ / "two_threads" / "weights.safetensors"), slurp(emotions() / "weights.safetensors"));
}

TEST_F(TextModelTest, MulticlassModelGivesOneLabelAndScoresSummingToOne) {
    std::string single = "text,label\n";
    for (const auto& s : samples(300, 5))
        if (s.labels.size() == 1) single += s.text + "," + s.labels[0] + "\n";
    write_file(root_ / "single.csv", single);
    emo::TextTrainOptions o;
    o.task = "multiclass";
    o.train_path = (root_ / "single.csv").string();
    o.out_dir = (root_ / "multiclass").string();
    o.threads = 1;
    o.verbose = false;
    emo::train_text_model(o);
    const auto model = emo::TextModel::load((root_ / "multiclass").string());
    EXPECT_FALSE(model.multilabel());
    const auto r = model.analyze("i am so furious");
    ASSERT_EQ(r.labels.size(), 1u);
    EXPECT_EQ(r.labels[0], "anger");
    double sum = 0;
    for (const auto& [k, p] : r.scores) sum += p;
    EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST_F(TextModelTest, MulticlassPenaltyIsChosenByCrossValidationAndRecorded) {
    std::string single = "text,label\n";
    for (const auto& s : samples(300, 6))
        if (s.labels.size() == 1) single += s.text + "," + s.labels[0] + "\n";
    write_file(root_ / "single_cv.csv", single);
    emo::TextTrainOptions o;
    o.task = "multiclass";
    o.train_path = (root_ / "single_cv.csv").string();
    o.out_dir = (root_ / "multiclass_cv").string();
    o.verbose = false;
    emo::train_text_model(o);
    const auto manifest = nlohmann::json::parse(slurp(root_ / "multiclass_cv" / "manifest.json"));
    const auto& training = manifest.at("training");
    const double chosen = training.at("c").get<double>();
    ASSERT_FALSE(training.at("c_search").empty());
    double best = -1, best_c = 0;
    for (const auto& tried : training.at("c_search")) {
        if (tried.at("accuracy").get<double>() > best) best = tried.at("accuracy"), best_c = tried.at("c");
    }
    // A larger C is chosen only when it beats the smaller ones by more than 0.001: the chosen one is within that of
    // the best.
    double chosen_score = -1;
    for (const auto& tried : training.at("c_search"))
        if (tried.at("c").get<double>() == chosen) chosen_score = tried.at("accuracy");
    EXPECT_GE(chosen_score, best - 1e-3) << "best C " << best_c;
    EXPECT_LE(chosen, best_c);
    // Balanced class weights were tried at that C and kept only if they raised out-of-fold accuracy by over 0.001.
    const auto& weights = training.at("class_weight_search");
    EXPECT_DOUBLE_EQ(weights.at("none").get<double>(), chosen_score);
    const bool balanced = weights.at("balanced").get<double>() > chosen_score + 1e-3;
    EXPECT_EQ(training.at("class_weight"), balanced ? "balanced" : "none");
    EXPECT_DOUBLE_EQ(training.at("cross_validated").at("accuracy").get<double>(),
                     balanced ? weights.at("balanced").get<double>() : chosen_score);
}

// A rare class: balanced weights (forced, or none) give different models, and the manifest says which was used.
TEST_F(TextModelTest, ClassWeightsCanBeForcedAndAreRecorded) {
    std::string skewed = "text,label\n";
    std::size_t anger = 0;
    for (const auto& s : samples(400, 8)) {
        if (s.labels.size() != 1) continue;
        if (s.labels[0] == "anger" && anger++ % 6 != 0) continue;  // anger: one text in six kept
        skewed += s.text + "," + s.labels[0] + "\n";
    }
    write_file(root_ / "skewed.csv", skewed);
    auto train = [&](const std::string& weights, const std::string& dir) {
        emo::TextTrainOptions o;
        o.task = "multiclass";
        o.train_path = (root_ / "skewed.csv").string();
        o.out_dir = (root_ / dir).string();
        o.c = 1;
        o.class_weight = weights;
        o.threads = 1;
        o.verbose = false;
        emo::train_text_model(o);
        const auto manifest = nlohmann::json::parse(slurp(root_ / dir / "manifest.json"));
        EXPECT_FALSE(manifest.at("training").contains("class_weight_search"));  // a fixed C: nothing to choose
        return std::make_pair(manifest.at("training").at("class_weight").get<std::string>(),
                              emo::TextModel::load((root_ / dir).string()).analyze("i am so furious").scores);
    };
    const auto [auto_weights, auto_scores] = train("auto", "skewed_auto");
    const auto [none_weights, none_scores] = train("none", "skewed_none");
    const auto [balanced_weights, balanced_scores] = train("balanced", "skewed_balanced");
    EXPECT_EQ(auto_weights, "none");
    EXPECT_EQ(none_weights, "none");
    EXPECT_EQ(balanced_weights, "balanced");
    EXPECT_EQ(auto_scores, none_scores);
    EXPECT_GT(balanced_scores.at("anger"), none_scores.at("anger"));  // the rare class weighs more

    emo::TextTrainOptions multilabel;
    multilabel.train_path = (root_ / "data" / "train.csv").string();
    multilabel.out_dir = (root_ / "unused_weights").string();
    multilabel.class_weight = "balanced";
    multilabel.verbose = false;
    try {
        emo::train_text_model(multilabel);
        FAIL() << "balanced class weights accepted for a multi-label model";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("multiclass"), std::string::npos) << e.what();
    }
}

TEST_F(TextModelTest, FewerTextsThanFoldsIsAnErrorThatSaysWhatToDo) {
    write_file(root_ / "tiny.csv", "text,label\nso happy,joy\nso angry,anger\nvery glad,joy\n");
    emo::TextTrainOptions o;
    o.task = "multiclass";
    o.train_path = (root_ / "tiny.csv").string();
    o.out_dir = (root_ / "unused_tiny").string();
    o.verbose = false;
    try {
        emo::train_text_model(o);
        FAIL() << "cross-validated 3 texts in 5 folds";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("tiny.csv"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--folds 3"), std::string::npos) << e.what();
    }
    o.c = 1;  // a fixed C needs no folds
    EXPECT_NO_THROW(emo::train_text_model(o));
}

TEST_F(TextModelTest, TrainingRejectsALabelUnknownToTheTrainingData) {
    write_file(root_ / "dev_unknown.csv", "text,labels\nso happy,joy\nwhat a surprise,surprise\n");
    emo::TextTrainOptions o;
    o.train_path = (root_ / "data" / "train.csv").string();
    o.dev_path = (root_ / "dev_unknown.csv").string();
    o.out_dir = (root_ / "unused").string();
    o.verbose = false;
    try {
        emo::train_text_model(o);
        FAIL() << "trained with a dev label the model cannot predict";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("dev_unknown.csv:3"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("surprise"), std::string::npos) << e.what();
    }
}

TEST_F(TextModelTest, WordVectorsReachTheTrainedWeights) {
    // Vectors for the synthetic words: joy words near one direction, anger words near another.
    std::vector<std::string> words;
    std::vector<float> matrix;
    for (const auto& w : joy_words) words.push_back(w), matrix.insert(matrix.end(), {1.0f, 0.1f, 0.0f});
    for (const auto& w : anger_words) words.push_back(w), matrix.insert(matrix.end(), {0.1f, 1.0f, 0.0f});
    for (const auto& w : plain_words) words.push_back(w), matrix.insert(matrix.end(), {0.0f, 0.1f, 1.0f});
    emo::text::WordVectors(words, matrix, 3).save((root_ / "vectors.safetensors").string());
    emo::TextTrainOptions o;
    o.train_path = (root_ / "data" / "train.csv").string();
    o.vectors_path = (root_ / "vectors.safetensors").string();
    o.out_dir = (root_ / "with_vectors").string();
    o.threads = 1;
    o.verbose = false;
    emo::train_text_model(o);
    const auto m = emo::text::load_text_model(o.out_dir);
    const auto first_vector_feature = m.encoder->featurizer.dimension();
    ASSERT_EQ(m.dimension(), first_vector_feature + 3);
    double magnitude = 0;
    for (std::uint32_t d = 0; d < 3; ++d)
        for (std::uint32_t k = 0; k < m.head.classes; ++k)
            magnitude += std::abs(m.head.weight(first_vector_feature + d, k));
    EXPECT_GT(magnitude, 0.1) << "the vector features never reached training";
}
