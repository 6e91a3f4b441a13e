// RECCON's metrics: F1 of each class of the (target, candidate) pair decisions, and SQuAD's exact match and token
// F1 for spans (lower-cased, punctuation and the articles a / an / the removed, split on whitespace).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace emo::eval {

// Weighted counts of binary decisions.
struct BinaryCounts {
    double true_positive = 0, false_positive = 0, false_negative = 0, true_negative = 0;

    void add(bool gold, bool predicted, double weight = 1);
    double positive_f1() const;
    double negative_f1() const;
    double precision() const;  // of the positive class
    double recall() const;
};

// SQuAD's answer normalisation, as tokens.
std::vector<std::string> squad_tokens(std::string_view text);

// SQuAD token F1 of a predicted span against a gold span (1 when both are empty after normalisation).
double span_token_f1(std::string_view predicted, std::string_view gold);

// True when the two spans are equal after SQuAD's normalisation.
bool span_exact_match(std::string_view predicted, std::string_view gold);

}  // namespace emo::eval
