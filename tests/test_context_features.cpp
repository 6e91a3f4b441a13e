// Tests for src/dialog/context_features: the second-stage rows built from an utterance's conversational context.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "dialog/context_features.hpp"

namespace {

using emo::core::SparseRow;
using emo::dialog::context_rows;
using emo::dialog::ContextLayout;

// Random probability vectors of length q (each sums to 1), reproducible from `seed`.
std::vector<std::vector<double>> random_probs(std::size_t n, unsigned q, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.01, 1.0);
    std::vector<std::vector<double>> p(n, std::vector<double>(q));
    for (auto& row : p) {
        double s = 0;
        for (auto& v : row) s += v = u(rng);
        for (auto& v : row) v /= s;
    }
    return p;
}

std::vector<std::string> alternating(std::size_t n) {
    std::vector<std::string> s(n);
    for (std::size_t i = 0; i < n; ++i) s[i] = i % 2 ? "B" : "A";
    return s;
}

ContextLayout::Block block(const ContextLayout& layout, const std::string& name) {
    for (const auto& b : layout.blocks())
        if (b.name == name) return b;
    throw std::runtime_error("no block " + name);
}

// Row as index -> value (the order of pairs in a row is not part of the contract).
std::map<std::uint32_t, float> as_map(const SparseRow& row) {
    std::map<std::uint32_t, float> m;
    for (const auto& f : row) m[f.index] = f.value;
    return m;
}

// Entries of `row` inside `b`, keyed by position within the block.
std::map<unsigned, float> in_block(const SparseRow& row, const ContextLayout::Block& b) {
    std::map<unsigned, float> m;
    for (const auto& f : row)
        if (f.index >= b.offset && f.index < b.offset + b.size) m[f.index - b.offset] = f.value;
    return m;
}

TEST(ContextLayout, BlocksAreContiguousAndCoverTheDimension) {
    ContextLayout layout{10, 3};
    auto blocks = layout.blocks();
    ASSERT_FALSE(blocks.empty());
    unsigned offset = 0;
    std::set<std::string> names;
    for (const auto& b : blocks) {
        EXPECT_EQ(b.offset, offset) << b.name;
        EXPECT_GT(b.size, 0u) << b.name;
        offset += b.size;
        EXPECT_TRUE(names.insert(b.name).second) << "duplicate block " << b.name;
    }
    EXPECT_EQ(layout.dimension(), offset);
    for (const char* name : {"own_text", "previous_same_speaker", "previous_other_speaker", "next_same_speaker",
                             "next_other_speaker", "dialogue_edge", "speaker_last_turn", "dialogue_so_far",
                             "dialogue_ahead", "position"})
        EXPECT_TRUE(names.count(name)) << name;
    EXPECT_EQ(block(layout, "previous_same_speaker").size, 3u * 10u);
    EXPECT_EQ(block(layout, "dialogue_edge").size, 2u * 3u);
}

TEST(ContextRows, OneRowPerUtteranceWithIndicesBelowDimensionAndUnique) {
    for (unsigned window : {1u, 3u, 5u}) {
        ContextLayout layout{7, window};
        const std::size_t n = 12;
        auto probs = random_probs(n, 7, window);
        std::vector<std::string> speakers = {"A", "B", "A", "C", "C", "A", "B", "B", "A", "C", "A", "B"};
        for (bool online : {false, true}) {
            auto rows = context_rows(layout, probs, speakers, online);
            ASSERT_EQ(rows.size(), n);
            for (const auto& row : rows) {
                std::set<std::uint32_t> seen;
                for (const auto& f : row) {
                    EXPECT_LT(f.index, layout.dimension());
                    EXPECT_TRUE(std::isfinite(f.value));
                    EXPECT_TRUE(seen.insert(f.index).second) << "index " << f.index << " twice in a row";
                }
            }
        }
    }
}

TEST(ContextRows, EmptyDialogueGivesNoRows) {
    ContextLayout layout{4, 3};
    EXPECT_TRUE(context_rows(layout, {}, {}, false).empty());
    EXPECT_TRUE(context_rows(layout, {}, {}, true).empty());
}

TEST(ContextRows, OwnProbabilitiesAppearInOwnTextBlock) {
    ContextLayout layout{5, 2};
    auto probs = random_probs(3, 5, 7);
    auto rows = context_rows(layout, probs, alternating(3), false);
    for (std::size_t i = 0; i < 3; ++i) {
        auto own = in_block(rows[i], block(layout, "own_text"));
        auto own_log = in_block(rows[i], block(layout, "own_text_log"));
        for (unsigned k = 0; k < 5; ++k) {
            EXPECT_FLOAT_EQ(own[k], static_cast<float>(probs[i][k]));
            EXPECT_NEAR(own_log[k], std::log(probs[i][k]), 1e-5);
        }
    }
}

TEST(ContextRows, OnlineRowsNeverDependOnLaterUtterances) {
    ContextLayout layout{6, 3};
    const std::size_t n = 10;
    auto probs = random_probs(n, 6, 1);
    std::vector<std::string> speakers = {"A", "B", "A", "A", "B", "C", "A", "B", "B", "A"};
    const auto base = context_rows(layout, probs, speakers, true);
    for (std::size_t c = 1; c < n; ++c) {
        // Change utterance c (its probabilities and speaker) and drop everything after it.
        auto p = probs;
        auto s = speakers;
        p[c] = random_probs(1, 6, 100 + static_cast<unsigned>(c))[0];
        s[c] = "Z";
        for (std::size_t len : {n, c + 1}) {
            std::vector<std::vector<double>> pp(p.begin(), p.begin() + len);
            std::vector<std::string> ss(s.begin(), s.begin() + len);
            auto rows = context_rows(layout, pp, ss, true);
            for (std::size_t i = 0; i < c; ++i)
                EXPECT_EQ(as_map(rows[i]), as_map(base[i])) << "row " << i << " changed when utterance " << c
                                                            << " changed (length " << len << ")";
            EXPECT_NE(as_map(rows[c]), as_map(base[c])) << "row " << c << " should see its own change";
        }
    }
}

TEST(ContextRows, OfflineRowsDependOnLaterUtterances) {
    ContextLayout layout{6, 3};
    const std::size_t n = 8;
    auto probs = random_probs(n, 6, 2);
    auto speakers = alternating(n);
    const auto base = context_rows(layout, probs, speakers, false);
    for (std::size_t c = 1; c < n; ++c) {
        auto p = probs;
        p[c] = random_probs(1, 6, 200 + static_cast<unsigned>(c))[0];
        auto rows = context_rows(layout, p, speakers, false);
        // Every earlier row sees utterance c, at least through the mean of the dialogue ahead.
        for (std::size_t i = 0; i < c; ++i)
            EXPECT_NE(as_map(rows[i]), as_map(base[i])) << "offline row " << i << " ignored utterance " << c;
    }
}

TEST(ContextRows, OnlineRowsUseNoFutureBlocks) {
    ContextLayout layout{4, 3};
    auto rows = context_rows(layout, random_probs(6, 4, 3), alternating(6), true);
    const auto edge = block(layout, "dialogue_edge");
    for (const auto& row : rows) {
        EXPECT_TRUE(in_block(row, block(layout, "next_same_speaker")).empty());
        EXPECT_TRUE(in_block(row, block(layout, "next_other_speaker")).empty());
        EXPECT_TRUE(in_block(row, block(layout, "dialogue_ahead")).empty());
        for (auto& [j, v] : in_block(row, edge)) EXPECT_LT(j, layout.window) << "online row marks a future edge";
    }
}

TEST(ContextRows, SameAndOtherSpeakerNeighboursLandInDifferentBlocks) {
    ContextLayout layout{3, 2};
    // Utterance 2 (A) has utterance 1 (B) one step back and utterance 0 (A) two steps back; ahead, 3 (A) and 4 (B).
    std::vector<std::string> speakers = {"A", "B", "A", "A", "B"};
    auto probs = random_probs(5, 3, 4);
    auto rows = context_rows(layout, probs, speakers, false);
    const auto& row = rows[2];
    auto prev_same = in_block(row, block(layout, "previous_same_speaker"));
    auto prev_other = in_block(row, block(layout, "previous_other_speaker"));
    auto next_same = in_block(row, block(layout, "next_same_speaker"));
    auto next_other = in_block(row, block(layout, "next_other_speaker"));
    const unsigned q = 3;
    for (unsigned k = 0; k < q; ++k) {
        // distance 1 goes to slot k, distance 2 to slot q + k
        EXPECT_FLOAT_EQ(prev_other[k], static_cast<float>(probs[1][k]));
        EXPECT_FLOAT_EQ(prev_same[q + k], static_cast<float>(probs[0][k]));
        EXPECT_FLOAT_EQ(next_same[k], static_cast<float>(probs[3][k]));
        EXPECT_FLOAT_EQ(next_other[q + k], static_cast<float>(probs[4][k]));
    }
    EXPECT_EQ(prev_same.size(), q);   // only distance 2
    EXPECT_EQ(prev_other.size(), q);  // only distance 1
    EXPECT_EQ(next_same.size(), q);
    EXPECT_EQ(next_other.size(), q);
}

TEST(ContextRows, SingleSpeakerDialogueHasNoOtherSpeakerFeatures) {
    ContextLayout layout{3, 3};
    auto rows = context_rows(layout, random_probs(6, 3, 5), std::vector<std::string>(6, "A"), false);
    for (const auto& row : rows) {
        EXPECT_TRUE(in_block(row, block(layout, "previous_other_speaker")).empty());
        EXPECT_TRUE(in_block(row, block(layout, "next_other_speaker")).empty());
    }
    EXPECT_FALSE(in_block(rows[3], block(layout, "previous_same_speaker")).empty());
}

TEST(ContextRows, DialogueEdgesSetTheAbsentIndicators) {
    ContextLayout layout{3, 3};
    const unsigned w = layout.window;
    auto probs = random_probs(5, 3, 6);
    auto rows = context_rows(layout, probs, alternating(5), false);
    const auto edge = block(layout, "dialogue_edge");
    // Slots 0..w-1: nothing d steps back; slots w..2w-1: nothing d steps ahead.
    auto first = in_block(rows[0], edge);
    EXPECT_EQ(first, (std::map<unsigned, float>{{0, 1.0f}, {1, 1.0f}, {2, 1.0f}}));
    auto second = in_block(rows[1], edge);
    EXPECT_EQ(second, (std::map<unsigned, float>{{1, 1.0f}, {2, 1.0f}}));
    auto middle = in_block(rows[2], edge);
    EXPECT_EQ(middle, (std::map<unsigned, float>{{2, 1.0f}, {w + 2, 1.0f}}));
    auto last = in_block(rows[4], edge);
    EXPECT_EQ(last, (std::map<unsigned, float>{{w + 0, 1.0f}, {w + 1, 1.0f}, {w + 2, 1.0f}}));
    // The first utterance has no speaker history and no past; the last has no future.
    const auto last_turn = block(layout, "speaker_last_turn");
    const auto so_far = block(layout, "dialogue_so_far");
    const auto ahead = block(layout, "dialogue_ahead");
    EXPECT_EQ(in_block(rows[0], last_turn), (std::map<unsigned, float>{{3, 1.0f}}));
    EXPECT_EQ(in_block(rows[0], so_far), (std::map<unsigned, float>{{3, 1.0f}}));
    EXPECT_EQ(in_block(rows[4], ahead), (std::map<unsigned, float>{{3, 1.0f}}));
    EXPECT_EQ(in_block(rows[2], ahead).count(3), 0u);
}

TEST(ContextRows, SingleUtteranceDialogueMarksEveryEdge) {
    ContextLayout layout{2, 3};
    auto offline = context_rows(layout, random_probs(1, 2, 8), {"A"}, false);
    EXPECT_EQ(in_block(offline[0], block(layout, "dialogue_edge")).size(), 6u);
    auto online = context_rows(layout, random_probs(1, 2, 8), {"A"}, true);
    EXPECT_EQ(in_block(online[0], block(layout, "dialogue_edge")).size(), 3u);
}

TEST(ContextRows, SpeakerLastTurnAndDialogueMeansAreRight) {
    ContextLayout layout{2, 1};
    std::vector<std::vector<double>> probs = {{0.9, 0.1}, {0.2, 0.8}, {0.5, 0.5}, {0.3, 0.7}};
    std::vector<std::string> speakers = {"A", "B", "B", "A"};
    auto rows = context_rows(layout, probs, speakers, false);
    // Utterance 3 (A): A's last turn is utterance 0, far outside the window of 1.
    auto last = in_block(rows[3], block(layout, "speaker_last_turn"));
    EXPECT_FLOAT_EQ(last[0], 0.9f);
    EXPECT_FLOAT_EQ(last[1], 0.1f);
    // Utterance 2: the mean of utterances 0 and 1 before it, and of utterance 3 after it.
    auto so_far = in_block(rows[2], block(layout, "dialogue_so_far"));
    EXPECT_FLOAT_EQ(so_far[0], 0.55f);
    EXPECT_FLOAT_EQ(so_far[1], 0.45f);
    auto ahead = in_block(rows[1], block(layout, "dialogue_ahead"));
    EXPECT_FLOAT_EQ(ahead[0], 0.4f);
    EXPECT_FLOAT_EQ(ahead[1], 0.6f);
}

// One long dialogue: every utterance gets its row, and the running "dialogue so far" stays exact at the far end
// (speed is measured by benchmarks, not asserted here).
void check_hundred_thousand(bool online) {
    ContextLayout layout{10, 3};
    const std::size_t n = 100000;
    auto probs = random_probs(n, 10, 9);
    std::vector<std::string> speakers(n);
    for (std::size_t i = 0; i < n; ++i) speakers[i] = "speaker" + std::to_string(i % 5);
    auto rows = context_rows(layout, probs, speakers, online);
    ASSERT_EQ(rows.size(), n);
    double mean0 = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) mean0 += probs[i][0];
    mean0 /= static_cast<double>(n - 1);
    auto so_far = in_block(rows.back(), block(layout, "dialogue_so_far"));
    EXPECT_NEAR(so_far[0], mean0, 1e-4);
}

TEST(ContextRows, HundredThousandUtteranceDialogueOffline) { check_hundred_thousand(false); }

TEST(ContextRows, HundredThousandUtteranceDialogueOnline) { check_hundred_thousand(true); }

}  // namespace
