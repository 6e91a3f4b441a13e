#include "labels/sentiment.hpp"

#include <algorithm>
#include <cctype>

namespace emo::labels {

const std::vector<std::string>& sentiment_labels() {
    static const std::vector<std::string> names = {"negative", "neutral", "positive"};
    return names;
}

namespace {

// Index into sentiment_labels(), or -1 when the polarity is ambiguous or the label unknown.
int polarity(std::string label) {
    std::transform(label.begin(), label.end(), label.begin(), [](unsigned char c) { return std::tolower(c); });
    static const std::map<std::string, int> known = {
        {"anger", 0},     {"disgust", 0},    {"fear", 0},       {"sadness", 0}, {"mad", 0},      {"scared", 0},
        {"sad", 0},       {"neutral", 1},    {"no_emotion", 1}, {"joy", 2},     {"happiness", 2}, {"joyful", 2},
        {"peaceful", 2},  {"powerful", 2}};
    auto it = known.find(label);
    return it == known.end() ? -1 : it->second;
}

}  // namespace

std::map<std::string, double> sentiment_from_emotions(const std::vector<std::string>& labels,
                                                      const std::vector<double>& probs) {
    double mass[3] = {0, 0, 0};
    for (std::size_t i = 0; i < labels.size() && i < probs.size(); ++i) {
        int p = polarity(labels[i]);
        if (p < 0) {
            for (double& m : mass) m += probs[i] / 3.0;
        } else {
            mass[p] += probs[i];
        }
    }
    std::map<std::string, double> out;
    for (int i = 0; i < 3; ++i) out[sentiment_labels()[i]] = mass[i];
    return out;
}

}  // namespace emo::labels
