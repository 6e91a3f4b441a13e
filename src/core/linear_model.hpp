// A multinomial linear classifier over sparse rows: the inference half of logistic regression.
#pragma once

#include "core/sparse.hpp"

#include <cstdint>
#include <vector>

namespace emo::core {

struct LinearModel {
    std::uint32_t classes = 0;
    std::uint32_t dim = 0;
    std::vector<float> weights;  // [dim][classes]: a feature's class weights sit together for sparse rows
    std::vector<float> bias;     // [classes]

    // Logits of one row; features with an index >= dim are ignored.
    std::vector<double> logits(const SparseRow& row) const;
    // Softmax probabilities of one row.
    std::vector<double> probabilities(const SparseRow& row) const;
    // The weight of feature `index` for class `k`.
    float weight(std::uint32_t index, std::uint32_t k) const { return weights[std::size_t(index) * classes + k]; }
    // The weight of feature `index` for class `k` above the classes' mean: what makes k win a softmax, not what
    // makes every class likely (the evidence of softmax models).
    double centred_weight(std::uint32_t index, std::uint32_t k) const;
};

// In-place softmax of logits.
void softmax(std::vector<double>& z);

// The logistic function, written so that neither sign of z overflows.
double sigmoid(double z);

}  // namespace emo::core
