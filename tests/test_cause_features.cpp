// The cause model's features: clauses of raw utterances, turns, pair and span rows.
#include "dialog/cause_features.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace emo;
using namespace emo::dialog;

namespace {

Conversation talk(const std::vector<std::pair<std::string, std::string>>& lines) {
    Conversation c;
    c.id = "d1";
    for (const auto& [speaker, text] : lines) {
        Utterance u;
        u.speaker = speaker;
        u.text = text;
        c.utterances.push_back(u);
    }
    return c;
}

std::string piece(std::string_view text, const Clause& c) { return std::string(text.substr(c.begin, c.end - c.begin)); }

}  // namespace

TEST(SplitClauses, EndsAClauseAfterPunctuationAndKeepsByteOffsets) {
    const std::string text = "  Good ! Here , let me help you.Is it ok ?";
    const auto clauses = split_clauses(text);
    ASSERT_EQ(clauses.size(), 3u);
    EXPECT_EQ(piece(text, clauses[0]), "Good !");
    EXPECT_EQ(piece(text, clauses[1]), "Here ,");
    EXPECT_EQ(piece(text, clauses[2]), "let me help you.Is it ok ?");  // no space after '.': one token
}

TEST(SplitClauses, NothingForBlankTextAndOneClauseWithoutPunctuation) {
    EXPECT_TRUE(split_clauses("").empty());
    EXPECT_TRUE(split_clauses(" \t\n").empty());
    const auto clauses = split_clauses("no punctuation here");
    ASSERT_EQ(clauses.size(), 1u);
    EXPECT_EQ(clauses[0].begin, 0u);
    EXPECT_EQ(clauses[0].end, 19u);
}

TEST(SplitClauses, ManyClausesAreCappedAndTheRestJoinTheLast) {
    std::string text;
    for (int i = 0; i < 100; ++i) text += "a , ";
    const auto clauses = split_clauses(text);
    ASSERT_EQ(clauses.size(), max_clauses);
    EXPECT_EQ(clauses.back().end, text.size() - 1);  // up to the last comma
}

TEST(CauseTurns, CanonicalEmotionsSortedWordsAndQuestions) {
    const auto c = talk({{"A", "Why did you do that ? that !"}, {"B", "\xff broken"}});
    const auto turns = cause_turns(c, {"happiness", "no emotion"});
    ASSERT_EQ(turns.size(), 2u);
    EXPECT_EQ(turns[0].emotion, "joy");
    EXPECT_EQ(turns[1].emotion, "neutral");
    EXPECT_TRUE(turns[0].question);
    EXPECT_EQ(turns[0].word_count, 6u);
    EXPECT_TRUE(std::is_sorted(turns[0].words.begin(), turns[0].words.end()));
    EXPECT_EQ(turns[0].words.size(), 5u);  // "that" once
    EXPECT_TRUE(turns[1].words.empty());   // invalid UTF-8: no words, no throw
}

TEST(PairRow, SortedInRangeAndDependsOnDistanceAndSpeaker) {
    const auto c = talk({{"A", "I lost my job ."}, {"B", "Oh no , I am so sorry ."}, {"A", "It is awful ."}});
    const auto turns = cause_turns(c, {"sadness", "sadness", "sadness"});
    const auto self = pair_row(turns, 2, 2), previous = pair_row(turns, 2, 1), first = pair_row(turns, 2, 0);
    for (const auto* row : {&self, &previous, &first}) {
        ASSERT_FALSE(row->empty());
        for (std::size_t i = 0; i < row->size(); ++i) {
            EXPECT_LT((*row)[i].index, cause_feature_dim);
            if (i) {
                EXPECT_LT((*row)[i - 1].index, (*row)[i].index);
            }
        }
    }
    auto same = [](const core::SparseRow& a, const core::SparseRow& b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
                   return x.index == y.index && x.value == y.value;
               });
    };
    EXPECT_FALSE(same(self, previous));
    EXPECT_FALSE(same(previous, first));
    EXPECT_TRUE(same(pair_row(turns, 2, 1), previous));  // deterministic
}

TEST(SpanRow, DiffersBetweenSpansOfOneUtterance) {
    const auto c = talk({{"A", "Good ! I would be happy to take you around ."}});
    const auto turns = cause_turns(c, {"happiness"});
    const auto pieces = clause_text(c.utterances[0].text);
    const auto& clauses = pieces.clauses;
    ASSERT_EQ(clauses.size(), 2u);
    const auto whole = span_row(turns, 0, 0, pieces, 0, 2);
    const auto last = span_row(turns, 0, 0, pieces, 1, 2);
    EXPECT_FALSE(whole.empty());
    const bool same_indices = whole.size() == last.size() &&
                              std::equal(whole.begin(), whole.end(), last.begin(),
                                         [](const auto& x, const auto& y) { return x.index == y.index; });
    EXPECT_FALSE(same_indices);
}
