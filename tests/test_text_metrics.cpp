// Tests for src/eval/text_metrics: multi-label scores (sklearn conventions) and regression scores per target.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "emo/emo.hpp"

namespace {

using emo::evaluate_multilabel;
using emo::evaluate_regression;
using Sets = std::vector<std::vector<std::size_t>>;
using Rows = std::vector<std::vector<double>>;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Five texts over labels a b c d, small enough to check by hand:
//   text  gold   predicted   |gold ∩ pred| / |gold ∪ pred|
//   0     a b    a           1/2
//   1     b      b c         1/2
//   2     -      -           1 (both empty)
//   3     c      a           0
//   4     b c    b           1/2
// a: TP 1 FP 1 FN 0 -> P 1/2 R 1 F1 2/3, support 1. b: TP 2 FP 0 FN 1 -> P 1 R 2/3 F1 4/5, support 3.
// c: TP 0 FP 1 FN 2 -> all 0, support 2. d: never gold nor predicted -> all 0 (zero_division=0), support 0.
// macro-F1 (2/3 + 4/5) / 4 = 11/30; micro: TP 3 FP 2 FN 3 -> 2*3 / (2*3 + 2 + 3) = 6/11; Jaccard 2.5 / 5 = 1/2.
const Sets gold = {{0, 1}, {1}, {}, {2}, {1, 2}};
const Sets predicted = {{0}, {2, 1}, {}, {0}, {1}};
const std::vector<std::string> labels = {"a", "b", "c", "d"};

TEST(TextMetrics, PerLabelScoresMatchHandComputation) {
    const auto r = evaluate_multilabel(gold, predicted, labels);
    EXPECT_EQ(r.count, 5u);
    EXPECT_EQ(r.labels, labels);
    ASSERT_EQ(r.per_label.size(), 4u);
    EXPECT_EQ(r.per_label[0].label, "a");
    EXPECT_NEAR(r.per_label[0].precision, 0.5, 1e-12);
    EXPECT_NEAR(r.per_label[0].recall, 1.0, 1e-12);
    EXPECT_NEAR(r.per_label[0].f1, 2.0 / 3, 1e-12);
    EXPECT_EQ(r.per_label[0].support, 1u);
    EXPECT_NEAR(r.per_label[1].precision, 1.0, 1e-12);
    EXPECT_NEAR(r.per_label[1].recall, 2.0 / 3, 1e-12);
    EXPECT_NEAR(r.per_label[1].f1, 0.8, 1e-12);
    EXPECT_EQ(r.per_label[1].support, 3u);
    EXPECT_EQ(r.per_label[2].precision, 0.0);
    EXPECT_EQ(r.per_label[2].f1, 0.0);
    EXPECT_EQ(r.per_label[2].support, 2u);
}

TEST(TextMetrics, LabelNeverSeenScoresZeroAndStillCountsInMacroF1) {
    const auto r = evaluate_multilabel(gold, predicted, labels);
    EXPECT_EQ(r.per_label[3].precision, 0.0);
    EXPECT_EQ(r.per_label[3].recall, 0.0);
    EXPECT_EQ(r.per_label[3].f1, 0.0);
    EXPECT_EQ(r.per_label[3].support, 0u);
    EXPECT_NEAR(r.macro_f1, 11.0 / 30, 1e-12);
}

TEST(TextMetrics, MicroF1SumsCountsOverLabels) {
    EXPECT_NEAR(evaluate_multilabel(gold, predicted, labels).micro_f1, 6.0 / 11, 1e-12);
}

TEST(TextMetrics, JaccardIsSampleAveragedAndBothEmptyCountsOne) {
    EXPECT_NEAR(evaluate_multilabel(gold, predicted, labels).jaccard, 0.5, 1e-12);
    EXPECT_DOUBLE_EQ(evaluate_multilabel({{}, {}}, {{}, {}}, labels).jaccard, 1.0);
    EXPECT_DOUBLE_EQ(evaluate_multilabel({{0}}, {{}}, labels).jaccard, 0.0);
}

TEST(TextMetrics, PerfectPredictionsScoreOneAndEmptyInputZero) {
    const auto perfect = evaluate_multilabel(gold, gold, {"a", "b", "c"});
    EXPECT_DOUBLE_EQ(perfect.macro_f1, 1.0);
    EXPECT_DOUBLE_EQ(perfect.micro_f1, 1.0);
    EXPECT_DOUBLE_EQ(perfect.jaccard, 1.0);
    const auto empty = evaluate_multilabel({}, {}, labels);
    EXPECT_EQ(empty.count, 0u);
    EXPECT_EQ(empty.macro_f1, 0.0);
    EXPECT_EQ(empty.micro_f1, 0.0);
    EXPECT_EQ(empty.jaccard, 0.0);
}

TEST(TextMetrics, OutOfRangeIndexOrMismatchedSizesThrow) {
    EXPECT_THROW(evaluate_multilabel({{4}}, {{0}}, labels), emo::Error);
    EXPECT_THROW(evaluate_multilabel({{0}}, {{0, 9}}, labels), emo::Error);
    EXPECT_THROW(evaluate_multilabel({{0}, {1}}, {{0}}, labels), emo::Error);
}

TEST(TextMetrics, MultiLabelJsonHasTheDocumentedKeysOnOneLine) {
    const auto r = evaluate_multilabel(gold, predicted, labels);
    const std::string text = emo::to_json(r);
    EXPECT_EQ(text.find('\n'), std::string::npos);
    const auto j = nlohmann::json::parse(text);
    EXPECT_EQ(j["count"].get<int>(), 5);
    EXPECT_NEAR(j["macro_f1"].get<double>(), 11.0 / 30, 1e-12);
    EXPECT_NEAR(j["micro_f1"].get<double>(), 6.0 / 11, 1e-12);
    EXPECT_NEAR(j["jaccard"].get<double>(), 0.5, 1e-12);
    ASSERT_EQ(j["per_label"].size(), 4u);
    EXPECT_EQ(j["per_label"][1]["label"], "b");
    EXPECT_NEAR(j["per_label"][1]["recall"].get<double>(), 2.0 / 3, 1e-12);
    EXPECT_NEAR(j["per_label"][1]["precision"].get<double>(), 1.0, 1e-12);
    EXPECT_NEAR(j["per_label"][1]["f1"].get<double>(), 0.8, 1e-12);
    EXPECT_EQ(j["per_label"][1]["support"].get<int>(), 3);
}

TEST(TextMetrics, MultiLabelTextShowsTheFiguresAndEveryLabel) {
    const std::string text = emo::to_text(evaluate_multilabel(gold, predicted, labels));
    EXPECT_NE(text.find("macro-F1     0.3667"), std::string::npos) << text;
    EXPECT_NE(text.find("micro-F1     0.5455"), std::string::npos) << text;
    EXPECT_NE(text.find("jaccard      0.5000"), std::string::npos) << text;
    for (const auto& l : labels) EXPECT_NE(text.find("\n" + l + " "), std::string::npos) << l;
}

// gold 1 2 3 4, predicted 2 2 4 5: means 2.5 and 3.25; population variances 1.25 and 1.6875, covariance 1.375.
// Pearson 1.375 / sqrt(1.25 * 1.6875); CCC 2 * 1.375 / (1.25 + 1.6875 + 0.75^2) = 2.75 / 3.5 = 11/14; MAE 3/4.
const Rows gold_values = {{1}, {2}, {3}, {4}};
const Rows predicted_values = {{2}, {2}, {4}, {5}};

TEST(TextMetrics, RegressionScoresMatchHandComputation) {
    const auto r = evaluate_regression(gold_values, predicted_values, {"V"});
    ASSERT_EQ(r.targets.size(), 1u);
    const auto& t = r.targets[0];
    EXPECT_EQ(t.name, "V");
    EXPECT_EQ(t.count, 4u);
    EXPECT_NEAR(t.pearson, 1.375 / std::sqrt(1.25 * 1.6875), 1e-12);
    EXPECT_NEAR(t.ccc, 11.0 / 14, 1e-12);
    EXPECT_NEAR(t.mae, 0.75, 1e-12);
}

TEST(TextMetrics, NanGoldValuesAreLeftOutPerTarget) {
    // Target 0 repeats the case above plus a NaN gold pair; target 1 has gold everywhere.
    const Rows gold2 = {{1, 0}, {2, 0}, {nan, 1}, {3, 1}, {4, 1}};
    const Rows predicted2 = {{2, 0}, {2, 0}, {100, 1}, {4, 1}, {5, 1}};
    const auto r = evaluate_regression(gold2, predicted2, {"V", "A"});
    ASSERT_EQ(r.targets.size(), 2u);
    EXPECT_EQ(r.targets[0].count, 4u);
    EXPECT_NEAR(r.targets[0].ccc, 11.0 / 14, 1e-12);
    EXPECT_NEAR(r.targets[0].mae, 0.75, 1e-12);
    EXPECT_EQ(r.targets[1].count, 5u);
    EXPECT_NEAR(r.targets[1].pearson, 1.0, 1e-12);
    EXPECT_NEAR(r.targets[1].ccc, 1.0, 1e-12);
    EXPECT_EQ(r.targets[1].mae, 0.0);
}

TEST(TextMetrics, CccPenalisesAShiftThatPearsonIgnores) {
    const auto r = evaluate_regression({{1}, {2}, {3}}, {{2}, {3}, {4}}, {"V"});
    EXPECT_NEAR(r.targets[0].pearson, 1.0, 1e-12);
    // variances 2/3 each, covariance 2/3, mean shift 1: 2 * 2/3 / (4/3 + 1) = 4/7.
    EXPECT_NEAR(r.targets[0].ccc, 4.0 / 7, 1e-12);
    EXPECT_NEAR(r.targets[0].mae, 1.0, 1e-12);
}

TEST(TextMetrics, TooFewPairsOrConstantValuesGivePearsonZeroNotNan) {
    const auto one = evaluate_regression({{1}, {nan}}, {{2}, {3}}, {"V"});
    EXPECT_EQ(one.targets[0].count, 1u);
    EXPECT_EQ(one.targets[0].pearson, 0.0);
    EXPECT_FALSE(std::isnan(one.targets[0].ccc));
    const auto constant = evaluate_regression({{3}, {3}, {3}}, {{1}, {2}, {3}}, {"V"});
    EXPECT_EQ(constant.targets[0].pearson, 0.0);
    EXPECT_EQ(constant.targets[0].ccc, 0.0);
    const auto none = evaluate_regression({{nan}}, {{1}}, {"V"});
    EXPECT_EQ(none.targets[0].count, 0u);
    EXPECT_EQ(none.targets[0].pearson, 0.0);
    EXPECT_EQ(none.targets[0].ccc, 0.0);
    EXPECT_EQ(none.targets[0].mae, 0.0);
}

TEST(TextMetrics, RegressionShapeMismatchesThrow) {
    EXPECT_THROW(evaluate_regression({{1}, {2}}, {{1}}, {"V"}), emo::Error);
    EXPECT_THROW(evaluate_regression({{1, 2}}, {{1}}, {"V", "A"}), emo::Error);
    EXPECT_THROW(evaluate_regression({{1}}, {{1}}, {"V", "A"}), emo::Error);
}

TEST(TextMetrics, RegressionJsonAndTextShowEveryTarget) {
    const auto r = evaluate_regression(gold_values, predicted_values, {"V"});
    const std::string json_text = emo::to_json(r);
    EXPECT_EQ(json_text.find('\n'), std::string::npos);
    const auto j = nlohmann::json::parse(json_text);
    ASSERT_EQ(j["targets"].size(), 1u);
    EXPECT_EQ(j["targets"][0]["name"], "V");
    EXPECT_NEAR(j["targets"][0]["ccc"].get<double>(), 11.0 / 14, 1e-12);
    EXPECT_NEAR(j["targets"][0]["pearson"].get<double>(), r.targets[0].pearson, 1e-12);
    EXPECT_NEAR(j["targets"][0]["mae"].get<double>(), 0.75, 1e-12);
    EXPECT_EQ(j["targets"][0]["count"].get<int>(), 4);
    const std::string text = emo::to_text(r);
    EXPECT_NE(text.find("pearson"), std::string::npos) << text;
    EXPECT_NE(text.find("\nV "), std::string::npos) << text;
    EXPECT_NE(text.find("0.7857"), std::string::npos) << text;
}

}  // namespace
