#include "train/calibration.hpp"

#include <cmath>

namespace emo::train {

double weighted_f1_with_offsets(const std::vector<std::vector<double>>& logits, const std::vector<int>& gold,
                                const std::vector<double>& offsets) {
    const std::size_t k = offsets.size();
    std::vector<double> tp(k, 0), pred(k, 0), support(k, 0);
    for (std::size_t i = 0; i < logits.size(); ++i) {
        std::size_t best = 0;
        for (std::size_t c = 1; c < k; ++c)
            if (logits[i][c] + offsets[c] > logits[i][best] + offsets[best]) best = c;
        ++pred[best];
        ++support[gold[i]];
        if (static_cast<int>(best) == gold[i]) ++tp[best];
    }
    double f = 0;
    for (std::size_t c = 0; c < k; ++c) {
        if (support[c] == 0 || tp[c] == 0) continue;
        double p = tp[c] / pred[c], r = tp[c] / support[c];
        f += 2 * p * r / (p + r) * support[c];
    }
    return logits.empty() ? 0 : f / static_cast<double>(logits.size());
}

std::vector<double> fit_offsets(const std::vector<std::vector<double>>& logits, const std::vector<int>& gold,
                                unsigned classes, double range, double step, int rounds, double min_gain) {
    std::vector<double> offsets(classes, 0.0);
    double best = weighted_f1_with_offsets(logits, gold, offsets);
    const int steps = static_cast<int>(std::lround(range / step));
    for (int round = 0; round < rounds; ++round) {
        bool moved = false;
        for (unsigned c = 0; c < classes; ++c) {
            double keep = offsets[c], best_value = keep;
            for (int s = -steps; s <= steps; ++s) {
                offsets[c] = s * step;
                double f = weighted_f1_with_offsets(logits, gold, offsets);
                if (f > best + min_gain) best = f, best_value = offsets[c];
            }
            offsets[c] = best_value;
            moved = moved || best_value != keep;
        }
        if (!moved) break;
    }
    return offsets;
}

}  // namespace emo::train
