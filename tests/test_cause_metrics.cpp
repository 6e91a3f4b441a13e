// RECCON's metrics: weighted binary F1 and SQuAD's span scores.
#include "eval/cause_metrics.hpp"

#include <gtest/gtest.h>

using namespace emo::eval;

TEST(BinaryCounts, F1OfBothClassesWithWeights) {
    BinaryCounts c;
    c.add(true, true, 2);    // a cause annotated twice, found
    c.add(true, false);      // missed
    c.add(false, true);      // false alarm
    c.add(false, false, 3);  // correct rejections
    EXPECT_DOUBLE_EQ(c.true_positive, 2);
    EXPECT_DOUBLE_EQ(c.positive_f1(), 2.0 * 2 / (2 * 2 + 1 + 1));
    EXPECT_DOUBLE_EQ(c.negative_f1(), 2.0 * 3 / (2 * 3 + 1 + 1));
    EXPECT_DOUBLE_EQ(c.precision(), 2.0 / 3);
    EXPECT_DOUBLE_EQ(c.recall(), 2.0 / 3);
}

TEST(BinaryCounts, NothingPredictedGivesZeroNotNaN) {
    BinaryCounts c;
    c.add(true, false);
    EXPECT_EQ(c.positive_f1(), 0.0);
    EXPECT_EQ(c.precision(), 0.0);
    EXPECT_EQ(c.negative_f1(), 0.0);
}

TEST(SquadTokens, LowerCaseWithoutPunctuationOrArticles) {
    EXPECT_EQ(squad_tokens("The cat , isn't A dog !"), (std::vector<std::string>{"cat", "isnt", "dog"}));
    EXPECT_TRUE(squad_tokens(" . , ").empty());
}

TEST(SpanScores, TokenF1AndExactMatchAsSquad) {
    EXPECT_DOUBLE_EQ(span_token_f1("happy to take you around", "happy to take you around ."), 1.0);
    EXPECT_TRUE(span_exact_match("Happy to go !", "happy to go"));
    EXPECT_FALSE(span_exact_match("happy to go", "happy"));
    // predicted 4 tokens, gold 2, 2 shared: precision 0.5, recall 1.
    EXPECT_NEAR(span_token_f1("I am so happy", "so happy"), 2 * 0.5 * 1 / 1.5, 1e-12);
    EXPECT_EQ(span_token_f1("nothing shared", "other words"), 0.0);
    EXPECT_EQ(span_token_f1("", "gold"), 0.0);
    EXPECT_EQ(span_token_f1("", "."), 1.0);  // both empty after normalisation
}
