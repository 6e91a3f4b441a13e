// Choosing a linear model's inverse penalty C (sklearn's convention: l2 = 1 / (C * rows fitted)) by cross-validation
// on the training data alone, with folds given by the caller (so that they can respect dialogues or speakers).
#pragma once

#include "train/linear_fit.hpp"
#include "train/progress.hpp"

#include <functional>
#include <string>
#include <vector>

namespace emo::train {

// Scores the out-of-fold raw outputs (logits or values, one vector per training row); higher is better.
using OutOfFoldScore = std::function<double(const std::vector<std::vector<double>>& out_of_fold)>;

struct PenaltySearch {
    std::vector<double> grid;  // candidate C values, ascending
    unsigned patience = 2;     // stop climbing the grid after this many values in a row worse than the best
    // A larger C replaces the best only when it scores more than this above it: gaps smaller than the folds' noise
    // then go to the stronger penalty (goekman's out-of-fold accuracy: C 1 0.6586, C 2 0.6588, 8 texts of 39,555 apart).
    // 0 takes any gain.
    double min_gain = 0;
    std::string name = "C";    // for the progress lines, e.g. "stage 1 C"
    // The fits' stopping rule (LbfgsOptions::relative_tolerance), looser than a final fit's: the choice needs the
    // held-out predictions, which settle well before the last digits of the objective (MELD: same choice, same
    // scores to 0.0005, a quarter less time).
    double relative_tolerance = 1e-6;
    // The same for sigmoid fits by liblinear (FitOptions::newton_tolerance): the final fit's 1e-3, not looser.
    // liblinear stops when the gradient is below this share of its norm at zero weights, so a fit warm-started at the
    // previous C's optimum may stop almost at once: at 1e-2 GoEmotions' fold models hardly moved from C = 1 to 4,
    // whose out-of-fold macro-F1 read 0.4785 instead of the 0.4711 of fits from zero, and the search chose C = 4
    // (dev 0.4813); at 1e-3 it reads 0.4732 and the search chooses C = 2 (dev 0.4910).
    double newton_tolerance = 1e-3;
    bool verbose = false;
    Clock::time_point start = Clock::now();  // the progress lines' time origin (the trainer's start)
};

struct PenaltyChoice {
    double c = 0;
    double score = 0;
    std::vector<std::pair<double, double>> scores;         // (C, cross-validated score) for every C tried
    std::vector<std::vector<double>> out_of_fold;          // the out-of-fold outputs at the chosen C
    // The average of the fold models at the chosen C: close to the model of all rows at that C, so the final fit
    // starts there (FitOptions::start) and needs fewer iterations.
    core::LinearModel fold_average;
};

// For each C of the grid, from the smallest, fits one model per fold (warm-started from the same fold's model at the
// previous C, which makes the climb cheap) and scores the out-of-fold outputs of all rows together. `fit` carries
// the loss, threads and other settings; its l2 is replaced. Folds run in parallel on fit.threads threads (when the
// outputs are independent, not softmax, and outnumber the folds: one fold after another, each on all the threads).
PenaltyChoice choose_penalty(const LabelledRows& data, std::uint32_t outputs, std::uint32_t dim, const FitOptions& fit,
                             const std::vector<unsigned>& fold_of, unsigned folds, const PenaltySearch& search,
                             const OutOfFoldScore& score);

// The share of rows whose largest output is their label (multiclass accuracy of out-of-fold logits).
double out_of_fold_accuracy(const std::vector<std::vector<double>>& out_of_fold, const std::vector<int>& labels);

// "0.25 0.5 ... 64" for manifests' and help texts' sake.
std::vector<double> doubling_grid(double from, double to);

}  // namespace emo::train
