#include "eval/cause_metrics.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace emo::eval {

void BinaryCounts::add(bool gold, bool predicted, double weight) {
    if (gold && predicted) true_positive += weight;
    else if (predicted) false_positive += weight;
    else if (gold) false_negative += weight;
    else true_negative += weight;
}

namespace {

double f1(double tp, double fp, double fn) { return tp > 0 ? 2 * tp / (2 * tp + fp + fn) : 0.0; }

}  // namespace

double BinaryCounts::positive_f1() const { return f1(true_positive, false_positive, false_negative); }
double BinaryCounts::negative_f1() const { return f1(true_negative, false_negative, false_positive); }
double BinaryCounts::precision() const {
    return true_positive > 0 ? true_positive / (true_positive + false_positive) : 0.0;
}
double BinaryCounts::recall() const {
    return true_positive > 0 ? true_positive / (true_positive + false_negative) : 0.0;
}

std::vector<std::string> squad_tokens(std::string_view text) {
    std::vector<std::string> tokens;
    std::string current;
    auto flush = [&] {
        if (!current.empty() && current != "a" && current != "an" && current != "the") tokens.push_back(current);
        current.clear();
    };
    for (unsigned char c : text) {
        if (c < 128 && std::isspace(c)) flush();
        else if (c < 128 && std::ispunct(c)) continue;  // SQuAD drops punctuation without splitting on it
        else current += static_cast<char>(c < 128 ? std::tolower(c) : c);
    }
    flush();
    return tokens;
}

double span_token_f1(std::string_view predicted, std::string_view gold) {
    const auto p = squad_tokens(predicted), g = squad_tokens(gold);
    if (p.empty() || g.empty()) return p.empty() && g.empty() ? 1.0 : 0.0;
    std::map<std::string, int> counts;
    for (const auto& t : g) ++counts[t];
    double common = 0;
    for (const auto& t : p)
        if (auto it = counts.find(t); it != counts.end() && it->second > 0) --it->second, ++common;
    if (common == 0) return 0.0;
    const double precision = common / p.size(), recall = common / g.size();
    return 2 * precision * recall / (precision + recall);
}

bool span_exact_match(std::string_view predicted, std::string_view gold) {
    return squad_tokens(predicted) == squad_tokens(gold);
}

}  // namespace emo::eval
