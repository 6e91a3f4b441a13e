#include "train/thresholds.hpp"

#include <algorithm>
#include <numeric>

namespace emo::train {

double best_f1_threshold(const std::vector<double>& scores, const std::vector<char>& gold) {
    const std::size_t n = scores.size();
    std::size_t positives = 0;
    for (char g : gold) positives += g != 0;
    if (positives == 0 || n == 0) return 1.0;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    // Keeping the top i texts gives tp true positives: F1 = 2 tp / (i + positives).
    double best_f1 = -1, best_cut = 1.0;
    std::size_t tp = 0;
    for (std::size_t i = 0; i < n; ++i) {
        tp += gold[order[i]] != 0;
        // Only cut between different scores: equal scores cannot be told apart by any threshold.
        if (i + 1 < n && scores[order[i + 1]] == scores[order[i]]) continue;
        const double f1 = 2.0 * double(tp) / double(i + 1 + positives);
        if (f1 > best_f1) {
            best_f1 = f1;
            best_cut = i + 1 < n ? 0.5 * (scores[order[i]] + scores[order[i + 1]]) : scores[order[i]];
        }
    }
    return best_cut;
}

}  // namespace emo::train
