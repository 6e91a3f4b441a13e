// Tests for src/eval/metrics: accuracy, per-class and averaged F1, the confusion matrix and the report formats.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "emo/emo.hpp"

namespace {

using emo::evaluate;
using Labels = std::vector<std::string>;

// Gold and predicted labels over three classes, small enough to check by hand:
//   gold:      a a a a b b c c c c
//   predicted: a a b c b a c c c b
// confusion [gold][predicted]:    a  b  c
//                              a  2  1  1
//                              b  1  1  0
//                              c  0  1  3
// accuracy 6/10. a: P 2/3 R 2/4 F1 4/7; b: P 1/3 R 1/2 F1 2/5; c: P 3/4 R 3/4 F1 3/4.
const Labels gold = {"a", "a", "a", "a", "b", "b", "c", "c", "c", "c"};
const Labels predicted = {"a", "a", "b", "c", "b", "a", "c", "c", "c", "b"};
const Labels labels = {"a", "b", "c"};

TEST(Evaluate, AccuracyIsTheFractionCorrect) {
    auto r = evaluate(gold, predicted, labels);
    EXPECT_EQ(r.count, 10u);
    EXPECT_DOUBLE_EQ(r.accuracy, 0.6);
}

TEST(Evaluate, PerClassPrecisionRecallF1AndSupportMatchHandComputation) {
    auto r = evaluate(gold, predicted, labels);
    ASSERT_EQ(r.per_class.size(), 3u);
    EXPECT_EQ(r.per_class[0].label, "a");
    EXPECT_NEAR(r.per_class[0].precision, 2.0 / 3, 1e-12);
    EXPECT_NEAR(r.per_class[0].recall, 0.5, 1e-12);
    EXPECT_NEAR(r.per_class[0].f1, 4.0 / 7, 1e-12);
    EXPECT_EQ(r.per_class[0].support, 4u);
    EXPECT_EQ(r.per_class[1].label, "b");
    EXPECT_NEAR(r.per_class[1].precision, 1.0 / 3, 1e-12);
    EXPECT_NEAR(r.per_class[1].recall, 0.5, 1e-12);
    EXPECT_NEAR(r.per_class[1].f1, 0.4, 1e-12);
    EXPECT_EQ(r.per_class[1].support, 2u);
    EXPECT_EQ(r.per_class[2].label, "c");
    EXPECT_NEAR(r.per_class[2].precision, 0.75, 1e-12);
    EXPECT_NEAR(r.per_class[2].recall, 0.75, 1e-12);
    EXPECT_NEAR(r.per_class[2].f1, 0.75, 1e-12);
    EXPECT_EQ(r.per_class[2].support, 4u);
}

TEST(Evaluate, WeightedAndMacroF1MatchHandComputation) {
    auto r = evaluate(gold, predicted, labels);
    EXPECT_NEAR(r.macro_f1, (4.0 / 7 + 0.4 + 0.75) / 3, 1e-12);
    EXPECT_NEAR(r.weighted_f1, (4.0 / 7 * 4 + 0.4 * 2 + 0.75 * 4) / 10, 1e-12);
}

TEST(Evaluate, ConfusionMatrixIsIndexedGoldThenPredicted) {
    auto r = evaluate(gold, predicted, labels);
    EXPECT_EQ(r.labels, labels);
    const std::vector<std::vector<std::size_t>> expected = {{2, 1, 1}, {1, 1, 0}, {0, 1, 3}};
    EXPECT_EQ(r.confusion, expected);
    // A single asymmetric case pins the orientation: gold b predicted as c lands in row b, column c.
    auto one = evaluate({"b"}, {"c"}, labels);
    EXPECT_EQ(one.confusion[1][2], 1u);
    EXPECT_EQ(one.confusion[2][1], 0u);
}

TEST(Evaluate, LabelOrderFollowsTheGivenLabels) {
    auto r = evaluate(gold, predicted, {"c", "a", "b"});
    EXPECT_EQ(r.per_class[0].label, "c");
    EXPECT_EQ(r.confusion[0], (std::vector<std::size_t>{3, 0, 1}));  // gold c: 3 c, 0 a, 1 b
}

TEST(Evaluate, ClassNeverPredictedOrAbsentScoresZeroWithoutNan) {
    auto r = evaluate({"a", "a", "b"}, {"a", "a", "a"}, {"a", "b", "c"});
    EXPECT_EQ(r.per_class[1].precision, 0.0);  // b never predicted
    EXPECT_EQ(r.per_class[1].recall, 0.0);
    EXPECT_EQ(r.per_class[1].f1, 0.0);
    EXPECT_EQ(r.per_class[2].support, 0u);  // c absent from gold and predictions
    EXPECT_EQ(r.per_class[2].f1, 0.0);
    // a: P 2/3, R 1, F1 0.8; weighted by support 2 of 3; macro over all three labels.
    EXPECT_NEAR(r.weighted_f1, 0.8 * 2 / 3, 1e-12);
    EXPECT_NEAR(r.macro_f1, 0.8 / 3, 1e-12);
}

TEST(Evaluate, PerfectPredictionsScoreOne) {
    auto r = evaluate(gold, gold, labels);
    EXPECT_DOUBLE_EQ(r.accuracy, 1.0);
    EXPECT_DOUBLE_EQ(r.weighted_f1, 1.0);
    EXPECT_DOUBLE_EQ(r.macro_f1, 1.0);
}

TEST(Evaluate, EmptyInputScoresZero) {
    auto r = evaluate({}, {}, labels);
    EXPECT_EQ(r.count, 0u);
    EXPECT_EQ(r.accuracy, 0.0);
    EXPECT_EQ(r.weighted_f1, 0.0);
}

TEST(Evaluate, UnknownGoldLabelThrowsNamingIt) {
    try {
        evaluate({"a", "surprise"}, {"a", "b"}, labels);
        FAIL() << "unknown gold label accepted";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("surprise"), std::string::npos) << e.what();
    }
}

TEST(Evaluate, UnknownPredictedLabelThrowsNamingIt) {
    try {
        evaluate({"a", "b"}, {"a", "disgust"}, labels);
        FAIL() << "unknown predicted label accepted";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("disgust"), std::string::npos) << e.what();
    }
}

TEST(Evaluate, DifferentNumbersOfGoldAndPredictedThrow) {
    EXPECT_THROW(evaluate({"a", "b"}, {"a"}, labels), emo::Error);
}

TEST(EvalReportJson, HasTheDocumentedKeysAndValues) {
    auto r = evaluate(gold, predicted, labels);
    auto j = nlohmann::json::parse(emo::to_json(r));
    ASSERT_TRUE(j.is_object());
    for (const char* key : {"accuracy", "weighted_f1", "macro_f1", "per_class", "confusion"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_NEAR(j["accuracy"].get<double>(), 0.6, 1e-12);
    EXPECT_NEAR(j["weighted_f1"].get<double>(), r.weighted_f1, 1e-12);
    EXPECT_NEAR(j["macro_f1"].get<double>(), r.macro_f1, 1e-12);
    ASSERT_TRUE(j["per_class"].is_object());
    for (const auto& l : labels) {
        ASSERT_TRUE(j["per_class"].contains(l)) << l;
        for (const char* key : {"precision", "recall", "f1", "support"})
            EXPECT_TRUE(j["per_class"][l].contains(key)) << l << "." << key;
    }
    EXPECT_EQ(j["per_class"]["c"]["support"].get<int>(), 4);
    EXPECT_EQ(j["confusion"].get<std::vector<std::vector<std::size_t>>>(), r.confusion);
    EXPECT_EQ(emo::to_json(r).find('\n'), std::string::npos) << "the report should be one line";
}

TEST(EvalReportText, ShowsTheFiguresAndEveryLabel) {
    auto text = emo::to_text(evaluate(gold, predicted, labels));
    EXPECT_NE(text.find("accuracy"), std::string::npos);
    EXPECT_NE(text.find("0.6000"), std::string::npos);
    EXPECT_NE(text.find("weighted-F1"), std::string::npos);
    for (const auto& l : labels) EXPECT_NE(text.find("\n" + l + " "), std::string::npos) << l;
}

}  // namespace
