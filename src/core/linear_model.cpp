#include "core/linear_model.hpp"

#include <algorithm>
#include <cmath>

namespace emo::core {

std::vector<double> LinearModel::logits(const SparseRow& row) const {
    std::vector<double> z(bias.begin(), bias.end());
    for (const auto& f : row) {
        if (f.index >= dim) continue;
        const float* w = weights.data() + std::size_t(f.index) * classes;
        for (std::uint32_t k = 0; k < classes; ++k) z[k] += static_cast<double>(w[k]) * f.value;
    }
    return z;
}

double LinearModel::centred_weight(std::uint32_t index, std::uint32_t k) const {
    double mean = 0;
    for (std::uint32_t c = 0; c < classes; ++c) mean += weight(index, c);
    return weight(index, k) - mean / classes;
}

std::vector<double> LinearModel::probabilities(const SparseRow& row) const {
    auto z = logits(row);
    softmax(z);
    return z;
}

double sigmoid(double z) { return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z)); }

void softmax(std::vector<double>& z) {
    if (z.empty()) return;
    double m = *std::max_element(z.begin(), z.end());
    double sum = 0;
    for (auto& v : z) sum += (v = std::exp(v - m));
    for (auto& v : z) v /= sum;
}

}  // namespace emo::core
