// Tests for src/text/featurizer: hashed TF-IDF n-gram rows, surface cues and evidence origins.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "emo/emo.hpp"
#include "text/featurizer.hpp"

namespace {

using emo::text::Featurized;
using emo::text::Featurizer;
using emo::text::FeaturizerConfig;

double ngram_norm(const Featurizer& f, const Featurized& x) {
    double s = 0;
    for (const auto& feat : x.row)
        if (feat.index < f.surface_offset()) s += double(feat.value) * feat.value;
    return std::sqrt(s);
}

// Value of feature `index` in a row, 0 when absent.
float value_at(const Featurized& x, std::uint32_t index) {
    for (const auto& feat : x.row)
        if (feat.index == index) return feat.value;
    return 0.0f;
}

bool has_surface(const Featurizer& f, const Featurized& x, const char* name) {
    for (std::uint32_t i = 0; i < Featurizer::surface_count; ++i)
        if (std::string(Featurizer::surface_name(i)) == name) return value_at(x, f.surface_offset() + i) != 0.0f;
    ADD_FAILURE() << "no surface cue called " << name;
    return false;
}

// Bucket of the word feature of the token at position `t`: the first origin recorded for that token.
std::uint32_t word_bucket(const Featurized& x, std::uint32_t t) {
    for (const auto& o : x.origins)
        if (o.token == t) return o.index;
    ADD_FAILURE() << "no origin for token " << t;
    return 0;
}

TEST(Featurizer, DimensionIsBucketsPlusSurfaceCues) {
    FeaturizerConfig c;
    c.hash_bits = 10;
    Featurizer f(c);
    EXPECT_EQ(f.surface_offset(), 1024u);
    EXPECT_EQ(f.dimension(), 1024u + Featurizer::surface_count);
    EXPECT_EQ(f.idf().size(), 1024u);
}

TEST(Featurizer, RejectsHashBitsOutOfRange) {
    FeaturizerConfig c;
    c.hash_bits = 4;
    EXPECT_THROW(Featurizer{c}, emo::Error);
    c.hash_bits = 30;  // must be refused before a 4 GB idf table is allocated
    EXPECT_THROW(Featurizer{c}, emo::Error);
    c.hash_bits = 40;  // a shift past the width of the type
    EXPECT_THROW(Featurizer{c}, emo::Error);
}

TEST(Featurizer, RowIsSortedWithUniqueIndicesInRange) {
    Featurizer f;
    for (const char* text : {"I can't believe it!!! This is AMAZING...", "ok", "so so so so so so",
                             "Wait -- what?! \"No\" she said. Café au lait, naïve résumé."}) {
        auto x = f.transform(text);
        ASSERT_FALSE(x.row.empty()) << text;
        for (std::size_t i = 1; i < x.row.size(); ++i) EXPECT_LT(x.row[i - 1].index, x.row[i].index) << text;
        for (const auto& feat : x.row) {
            EXPECT_LT(feat.index, f.dimension()) << text;
            EXPECT_TRUE(std::isfinite(feat.value)) << text;
        }
    }
}

TEST(Featurizer, NgramPartHasUnitL2Norm) {
    Featurizer f;
    f.fit({"hello there", "general kenobi", "you are a bold one", "hello hello"});
    for (const char* text : {"hello there", "so so so so so so", "A totally unseen sentence!", "x"}) {
        auto x = f.transform(text);
        EXPECT_NEAR(ngram_norm(f, x), 1.0, 1e-5) << text;
    }
}

TEST(Featurizer, TextWithoutTokensGivesEmptyNgramPart) {
    Featurizer f;
    auto x = f.transform("   ");
    EXPECT_EQ(ngram_norm(f, x), 0.0);
    for (const auto& feat : x.row) EXPECT_GE(feat.index, f.surface_offset());
}

TEST(Featurizer, RepeatedWordsWeighSublinearly) {
    Featurizer f;
    auto x = f.transform("wow wow wow wow great", true);
    const auto wow = word_bucket(x, 0), great = word_bucket(x, 4);
    ASSERT_NE(wow, great);
    // tf 4 vs 1 with equal idf: (1 + ln 4) / 1, not 4.
    EXPECT_NEAR(value_at(x, wow) / value_at(x, great), 1.0 + std::log(4.0), 1e-4);
}

TEST(Featurizer, FitGivesRarerNgramsMoreWeight) {
    Featurizer f;
    const std::string probe = "common rare";
    auto before = f.transform(probe, true);
    const auto common = word_bucket(before, 0), rare = word_bucket(before, 1);
    ASSERT_NE(common, rare);
    EXPECT_FLOAT_EQ(value_at(before, common), value_at(before, rare));  // unfitted: idf is 1 everywhere

    std::vector<std::string> texts;
    for (int i = 0; i < 20; ++i) texts.push_back("common words " + std::to_string(i));
    texts.push_back("a rare one");
    f.fit(texts);
    EXPECT_GT(f.idf()[rare], f.idf()[common]);
    auto after = f.transform(probe, true);
    EXPECT_GT(value_at(after, rare), value_at(after, common));
}

TEST(Featurizer, FitGivesUnseenBucketsTheLargestIdf) {
    FeaturizerConfig c;
    c.hash_bits = 12;
    Featurizer f(c);
    f.fit({"alpha beta", "alpha gamma", "alpha delta"});
    auto x = f.transform("alpha", true);
    const auto alpha = word_bucket(x, 0);
    float max_idf = 0;
    for (float v : f.idf()) max_idf = std::max(max_idf, v);
    EXPECT_NEAR(f.idf()[alpha], 1.0f, 1e-6);  // in every document: ln(4/4) + 1
    EXPECT_NEAR(max_idf, std::log(4.0) + 1.0, 1e-5);
}

TEST(Featurizer, SetIdfRejectsWrongSize) {
    Featurizer f;
    EXPECT_THROW(f.set_idf(std::vector<float>(10, 1.0f)), emo::Error);
    EXPECT_NO_THROW(f.set_idf(std::vector<float>(f.idf().size(), 2.0f)));
    EXPECT_EQ(f.idf()[0], 2.0f);
}

TEST(Featurizer, FitRejectsInvalidUtf8) {
    Featurizer f;
    EXPECT_THROW(f.fit({"fine", "bad \xff"}), emo::Error);
}

TEST(Featurizer, TransformRejectsInvalidUtf8) {
    Featurizer f;
    EXPECT_THROW(f.transform("bad \xc3"), emo::Error);
}

TEST(Featurizer, AllCapsTextSetsShoutingCue) {
    Featurizer f;
    EXPECT_TRUE(has_surface(f, f.transform("I HATE THIS SO MUCH"), "shouting"));
    EXPECT_FALSE(has_surface(f, f.transform("I hate this so much"), "shouting"));
    EXPECT_FALSE(has_surface(f, f.transform("OK"), "shouting"));  // too few letters to be shouting
}

TEST(Featurizer, ExclamationCueGrowsWithMarksUpToThree) {
    Featurizer f;
    const std::uint32_t bang = f.surface_offset() + 1;
    ASSERT_STREQ(Featurizer::surface_name(1), "exclamations");
    EXPECT_EQ(value_at(f.transform("no"), bang), 0.0f);
    EXPECT_NEAR(value_at(f.transform("no!"), bang), 1.0f / 3, 1e-6);
    EXPECT_NEAR(value_at(f.transform("no!!"), bang), 2.0f / 3, 1e-6);
    EXPECT_NEAR(value_at(f.transform("no!!!!!!"), bang), 1.0f, 1e-6);
}

TEST(Featurizer, QuestionMarkSetsQuestionCue) {
    Featurizer f;
    EXPECT_TRUE(has_surface(f, f.transform("are you sure?"), "questions"));
    EXPECT_FALSE(has_surface(f, f.transform("you are sure."), "questions"));
}

TEST(Featurizer, EllipsisCueCoversUnicodeEllipsis) {
    Featurizer f;
    EXPECT_TRUE(has_surface(f, f.transform("well..."), "ellipsis"));
    EXPECT_TRUE(has_surface(f, f.transform("well\u2026"), "ellipsis"));
    EXPECT_FALSE(has_surface(f, f.transform("well."), "ellipsis"));
}

TEST(Featurizer, LengthCuesMarkShortAndLongUtterances) {
    Featurizer f;
    EXPECT_TRUE(has_surface(f, f.transform("yes"), "short"));
    EXPECT_FALSE(has_surface(f, f.transform("yes"), "long"));
    std::string long_text;
    for (int i = 0; i < 25; ++i) long_text += "word" + std::to_string(i) + " ";
    EXPECT_TRUE(has_surface(f, f.transform(long_text), "long"));
    EXPECT_FALSE(has_surface(f, f.transform(long_text), "short"));
}

TEST(Featurizer, SameTextGivesSameRow) {
    Featurizer f;
    f.fit({"one two", "three four", "two three"});
    const char* text = "Two THREE, five!! Café?";
    auto a = f.transform(text), b = f.transform(text);
    Featurizer g;  // a second featurizer with the same fit agrees too: hashing has no per-instance state
    g.fit({"one two", "three four", "two three"});
    auto c = g.transform(text);
    ASSERT_EQ(a.row.size(), b.row.size());
    ASSERT_EQ(a.row.size(), c.row.size());
    for (std::size_t i = 0; i < a.row.size(); ++i) {
        EXPECT_EQ(a.row[i].index, b.row[i].index);
        EXPECT_EQ(a.row[i].value, b.row[i].value);
        EXPECT_EQ(a.row[i].index, c.row[i].index);
        EXPECT_EQ(a.row[i].value, c.row[i].value);
    }
}

TEST(Featurizer, CaseAndQuoteStyleDoNotChangeNgrams) {
    Featurizer f;
    auto a = f.transform("don\u2019t go"), b = f.transform("DON'T GO");
    std::set<std::uint32_t> na, nb;
    for (auto& x : a.row)
        if (x.index < f.surface_offset()) na.insert(x.index);
    for (auto& x : b.row)
        if (x.index < f.surface_offset()) nb.insert(x.index);
    EXPECT_EQ(na, nb);
}

TEST(Featurizer, DifferentTextsGiveDifferentRows) {
    Featurizer f;
    auto a = f.transform("happy"), b = f.transform("angry");
    std::set<std::uint32_t> na, nb;
    for (auto& x : a.row) na.insert(x.index);
    for (auto& x : b.row) nb.insert(x.index);
    EXPECT_NE(na, nb);
}

TEST(Featurizer, OriginsAreEmptyUnlessRequestedButTokensAlwaysThere) {
    Featurizer f;
    auto x = f.transform("hello there");
    EXPECT_TRUE(x.origins.empty());
    // The word-vector features read the tokens: without them training would see no vectors at all.
    EXPECT_EQ(x.tokens, (std::vector<std::string>{"hello", "there"}));
}

TEST(Featurizer, OriginsPointAtValidTokensAndRowFeatures) {
    Featurizer f;
    auto x = f.transform("Don't YOU dare!!! \"Café\" (no)...", true);
    ASSERT_FALSE(x.origins.empty());
    EXPECT_EQ(x.tokens, (std::vector<std::string>{"don't", "you", "dare", "!!!", "\"", "café", "\"", "(", "no", ")",
                                                  "..."}));
    std::set<std::uint32_t> row_ngrams;
    for (const auto& feat : x.row)
        if (feat.index < f.surface_offset()) row_ngrams.insert(feat.index);
    std::set<std::uint32_t> origin_indices, tokens_seen;
    for (const auto& o : x.origins) {
        ASSERT_LT(o.token, x.tokens.size());
        EXPECT_LT(o.index, f.surface_offset());
        EXPECT_TRUE(row_ngrams.count(o.index)) << "origin index " << o.index << " not in the row";
        origin_indices.insert(o.index);
        tokens_seen.insert(o.token);
    }
    EXPECT_EQ(origin_indices, row_ngrams);          // every n-gram in the row is explained by some token
    EXPECT_EQ(tokens_seen.size(), x.tokens.size());  // and every token contributed something
}

TEST(Featurizer, OneMegabyteUtteranceIsFeaturised) {
    Featurizer f;
    std::string big;
    big.reserve(1 << 20);
    const char* words[] = {"happy ", "ANGRY ", "café ", "don't ", "what?! ", "so... "};
    for (std::size_t i = 0; big.size() < (1u << 20); ++i) big += words[i % 6];
    auto x = f.transform(big, true);
    EXPECT_NEAR(ngram_norm(f, x), 1.0, 1e-4);
    EXPECT_TRUE(has_surface(f, x, "long"));
    EXPECT_GT(x.tokens.size(), 100000u);
}

}  // namespace

TEST(Featurizer, BalancedBlocksEachHaveTheBlockNorm) {
    FeaturizerConfig c;
    c.balanced_blocks = true;
    c.block_norm = 1.0f;
    Featurizer f(c);
    f.fit({"hello there", "general kenobi"});
    const auto x = f.transform("hello there kenobi");
    const std::uint32_t half = f.surface_offset() / 2;
    double words = 0, chars = 0;
    for (const auto& feat : x.row) {
        if (feat.index >= f.surface_offset()) continue;
        (feat.index < half ? words : chars) += static_cast<double>(feat.value) * feat.value;
    }
    EXPECT_NEAR(words, 1.0, 1e-5);
    EXPECT_NEAR(chars, 1.0, 1e-5);
}

TEST(Featurizer, MinDfLeavesOutRareAndUnseenBuckets) {
    FeaturizerConfig c;
    c.min_df = 2;
    Featurizer f(c);
    f.fit({"common rare", "common other", "common"});
    const auto x = f.transform("common rare unseen", true);
    const auto common = word_bucket(x, 0);
    EXPECT_GT(value_at(x, common), 0.0f);
    EXPECT_EQ(value_at(x, word_bucket(x, 1)), 0.0f);  // one training text: left out
    EXPECT_EQ(value_at(x, word_bucket(x, 2)), 0.0f);  // no training text
    EXPECT_NEAR(ngram_norm(f, x), 1.0, 1e-5);           // the norm counts only what is kept
}

namespace {

FeaturizerConfig words_and_marks(bool on) {
    FeaturizerConfig c;
    c.balanced_blocks = true;
    if (on) c.ngram_tokens = FeaturizerConfig::NgramTokens::words_and_marks;
    return c;
}

// The indices of a row's word block (balanced blocks: the lower half of the buckets).
std::set<std::uint32_t> word_block(const Featurizer& f, const Featurized& x) {
    std::set<std::uint32_t> out;
    for (const auto& feat : x.row)
        if (feat.index < f.surface_offset() / 2) out.insert(feat.index);
    return out;
}

std::set<std::uint32_t> char_block(const Featurizer& f, const Featurized& x) {
    std::set<std::uint32_t> out;
    for (const auto& feat : x.row)
        if (feat.index >= f.surface_offset() / 2 && feat.index < f.surface_offset()) out.insert(feat.index);
    return out;
}

}  // namespace

TEST(Featurizer, WordsAndMarksKeepOnlyExclamationAndQuestionRunsAmongWordNgrams) {
    Featurizer marks(words_and_marks(true)), all(words_and_marks(false));
    // A comma or quotes are not words: "hello, world" has the word n-grams of "hello world".
    EXPECT_EQ(word_block(marks, marks.transform("hello, \"world\"")), word_block(marks, marks.transform("hello world")));
    EXPECT_NE(word_block(all, all.transform("hello, \"world\"")), word_block(all, all.transform("hello world")));
    // "!" and "?" runs stay words.
    EXPECT_NE(word_block(marks, marks.transform("hello world!")), word_block(marks, marks.transform("hello world")));
    EXPECT_NE(word_block(marks, marks.transform("hello world?!")), word_block(marks, marks.transform("hello world!")));
}

TEST(Featurizer, WordsAndMarksTakeCharacterNgramsOverWhitespaceChunks) {
    Featurizer marks(words_and_marks(true)), all(words_and_marks(false));
    // In-word character n-grams do not see the mark glued to a word; whitespace chunks do.
    EXPECT_EQ(char_block(all, all.transform("great!")), char_block(all, all.transform("great")));
    EXPECT_NE(char_block(marks, marks.transform("great!")), char_block(marks, marks.transform("great")));
    // Plain words give the same character n-grams either way.
    EXPECT_EQ(char_block(marks, marks.transform("so great")), char_block(all, all.transform("so great")));
}

TEST(Featurizer, WordsAndMarksCreditChunkNgramsToTheChunksWord) {
    Featurizer f(words_and_marks(true));
    const auto x = f.transform("(sigh) ... fine", true);
    ASSERT_EQ(x.tokens, (std::vector<std::string>{"(", "sigh", ")", "...", "fine"}));
    std::set<std::uint32_t> credited;
    for (const auto& o : x.origins) {
        ASSERT_LT(o.token, x.tokens.size());
        credited.insert(o.token);
    }
    // "(sigh)" goes to "sigh", "..." (a chunk without a word) to itself; "(" and ")" explain nothing.
    EXPECT_EQ(credited, (std::set<std::uint32_t>{1, 3, 4}));
}

TEST(Featurizer, WordsAndMarksRowHasBlockNormsAndHandlesPunctuationOnlyText) {
    Featurizer f(words_and_marks(true));
    const auto x = f.transform("... , ;", true);
    EXPECT_TRUE(word_block(f, x).empty());  // no word and no "!"/"?" run
    EXPECT_FALSE(char_block(f, x).empty());
    const auto y = f.transform("Wow!!! Café, naïve (really?)", true);
    double words = 0, chars = 0;
    for (const auto& feat : y.row) {
        if (feat.index >= f.surface_offset()) continue;
        (feat.index < f.surface_offset() / 2 ? words : chars) += static_cast<double>(feat.value) * feat.value;
    }
    EXPECT_NEAR(words, f.config().block_norm * f.config().block_norm, 1e-5);
    EXPECT_NEAR(chars, f.config().block_norm * f.config().block_norm, 1e-5);
}
