#include "train/penalty_search.hpp"

#include "train/folds.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>

#include <random>

using emo::core::SparseRow;

namespace {

// Two classes told apart by feature 0 alone, plus many noise features, each in one row only: a weak penalty (large
// C) lets the model memorise the noise, a strong one (tiny C) keeps even feature 0 from mattering.
struct Noisy {
    std::vector<SparseRow> rows;
    emo::train::LabelledRows data;
};

Noisy make_noisy(std::size_t n, unsigned seed) {
    Noisy t;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (std::size_t i = 0; i < n; ++i) {
        int y = static_cast<int>(i % 2);
        if (u(rng) < 0.2f) y = 1 - y;  // label noise
        const float signal = (i % 2 ? 1.0f : -1.0f) * (0.5f + u(rng));
        t.rows.push_back({{0, signal}, {static_cast<std::uint32_t>(1 + i), 1.0f}});
        t.data.labels.push_back(y);
    }
    for (auto& r : t.rows) t.data.rows.push_back(&r);
    return t;
}

}  // namespace

TEST(PenaltySearch, ChoosesAModeratePenaltyAndReportsEveryValueTried) {
    auto t = make_noisy(400, 3);
    const unsigned folds = 5;
    const auto fold_of = emo::train::assign_folds(t.rows.size(), folds, 1);
    emo::train::PenaltySearch search;
    search.grid = {1e-5, 1e-3, 0.1, 10, 1000};
    search.patience = 5;  // try them all
    emo::train::FitOptions fit;
    fit.threads = 2;
    const auto choice = emo::train::choose_penalty(
        t.data, 2, 401, fit, fold_of, folds, search,
        [&](const auto& oof) { return emo::train::out_of_fold_accuracy(oof, t.data.labels); });
    ASSERT_EQ(choice.scores.size(), search.grid.size());
    EXPECT_GT(choice.c, 1e-5);  // the strongest penalty leaves the classes unseparated
    EXPECT_GT(choice.score, 0.7);
    EXPECT_EQ(choice.out_of_fold.size(), t.rows.size());
    for (const auto& [c, score] : choice.scores) EXPECT_LE(score, choice.score) << c;
    EXPECT_DOUBLE_EQ(emo::train::out_of_fold_accuracy(choice.out_of_fold, t.data.labels), choice.score);
}

TEST(PenaltySearch, StopsClimbingAfterPatienceWorseValues) {
    auto t = make_noisy(200, 4);
    const auto fold_of = emo::train::assign_folds(t.rows.size(), 4, 1);
    emo::train::PenaltySearch search;
    search.grid = {1, 2, 4, 8, 16, 32};
    search.patience = 1;
    std::size_t calls = 0;
    // A score that falls with every C: the climb stops at the second value.
    const auto choice = emo::train::choose_penalty(t.data, 2, 201, {}, fold_of, 4, search,
                                                   [&](const auto&) { return -static_cast<double>(++calls); });
    EXPECT_EQ(choice.scores.size(), 2u);
    EXPECT_EQ(choice.c, 1);
}

TEST(PenaltySearch, ALargerCMustGainMoreThanMinGainToBeChosen) {
    auto t = make_noisy(200, 4);
    const auto fold_of = emo::train::assign_folds(t.rows.size(), 4, 1);
    emo::train::PenaltySearch search;
    search.grid = {1, 2, 4, 8};
    search.patience = 4;
    const std::vector<double> scores = {0.60, 0.6005, 0.6030, 0.6035};  // C 2 and C 8: within noise of the best
    auto choose = [&](double min_gain) {
        search.min_gain = min_gain;
        std::size_t call = 0;
        return emo::train::choose_penalty(t.data, 2, 201, {}, fold_of, 4, search,
                                          [&](const auto&) { return scores[call++]; });
    };
    EXPECT_EQ(choose(0).c, 8);
    const auto choice = choose(1e-3);
    EXPECT_EQ(choice.c, 4);
    EXPECT_DOUBLE_EQ(choice.score, 0.6030);
    EXPECT_EQ(choice.scores.size(), 4u);  // every value still tried and reported
}

TEST(PenaltySearch, TheSameChoiceWhateverTheThreadCount) {
    auto t = make_noisy(300, 5);
    const auto fold_of = emo::train::assign_folds(t.rows.size(), 3, 2);
    emo::train::PenaltySearch search;
    search.grid = {0.01, 0.1, 1, 10};
    auto run = [&](unsigned threads) {
        emo::train::FitOptions fit;
        fit.threads = threads;
        return emo::train::choose_penalty(
            t.data, 2, 301, fit, fold_of, 3, search,
            [&](const auto& oof) { return emo::train::out_of_fold_accuracy(oof, t.data.labels); });
    };
    const auto one = run(1), three = run(3);
    EXPECT_EQ(one.c, three.c);
    EXPECT_EQ(one.scores, three.scores);
    EXPECT_EQ(one.out_of_fold, three.out_of_fold);
}

TEST(PenaltySearch, TheFoldAverageIsNearTheModelOfAllRowsAndAGoodStartForIt) {
    auto t = make_noisy(400, 7);
    const unsigned folds = 4;
    const auto fold_of = emo::train::assign_folds(t.rows.size(), folds, 1);
    emo::train::PenaltySearch search;
    search.grid = {1};
    emo::train::FitOptions fit;
    const auto choice = emo::train::choose_penalty(
        t.data, 2, 401, fit, fold_of, folds, search,
        [&](const auto& oof) { return emo::train::out_of_fold_accuracy(oof, t.data.labels); });
    ASSERT_EQ(choice.fold_average.weights.size(), 401u * 2u);
    fit.l2 = 1.0 / static_cast<double>(t.rows.size());  // C = 1 over all rows
    const auto cold = emo::train::fit_linear(t.data, 2, 401, fit);
    // Feature 0 carries the signal: every fold model weighs it about as the model of all rows does.
    const double all_rows = cold.weight(0, 1) - cold.weight(0, 0);
    const double averaged = choice.fold_average.weight(0, 1) - choice.fold_average.weight(0, 0);
    EXPECT_NEAR(averaged, all_rows, 0.15 * std::abs(all_rows));
    fit.start = &choice.fold_average;
    const auto warm = emo::train::fit_linear(t.data, 2, 401, fit);
    for (std::size_t j = 0; j < cold.weights.size(); ++j) EXPECT_NEAR(warm.weights[j], cold.weights[j], 1e-3) << j;
}

TEST(PenaltySearch, AnEmptyFoldIsAnErrorThatSaysWhatToDo) {
    auto t = make_noisy(3, 6);
    const std::vector<unsigned> fold_of = {0, 1, 2};
    emo::train::PenaltySearch search;
    search.grid = {1};
    try {
        emo::train::choose_penalty(t.data, 2, 4, {}, fold_of, 5, search, [](const auto&) { return 0.0; });
        FAIL() << "expected an error";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("fewer folds or a fixed C"), std::string::npos) << e.what();
    }
}

TEST(PenaltySearch, DoublingGridSpansItsEnds) {
    EXPECT_EQ(emo::train::doubling_grid(0.25, 4), (std::vector<double>{0.25, 0.5, 1, 2, 4}));
}
