// Cross-validation folds shared by the trainers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <random>
#include <vector>

namespace emo::train {

// A deterministic fold in [0, folds) for each of n items: a seeded shuffle dealt round-robin, so folds differ in
// size by at most one.
inline std::vector<unsigned> assign_folds(std::size_t n, unsigned folds, unsigned seed) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<unsigned> fold(n);
    for (std::size_t i = 0; i < n; ++i) fold[order[i]] = static_cast<unsigned>(i % folds);
    return fold;
}

}  // namespace emo::train
