#include "text/occlusion_evidence.hpp"

#include <algorithm>
#include <cmath>

namespace emo::text {

namespace {

struct Word {
    std::size_t start, end;  // bytes of the text
};

std::vector<Word> whitespace_words(std::string_view text) {
    std::vector<Word> words;
    std::size_t i = 0;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (i < text.size()) {
        while (i < text.size() && space(text[i])) ++i;
        const std::size_t start = i;
        while (i < text.size() && !space(text[i])) ++i;
        if (i > start) words.push_back({start, i});
    }
    return words;
}

double log_odds(double p) {
    p = std::clamp(p, 1e-12, 1.0 - 1e-12);
    return std::log(p / (1.0 - p));
}

}  // namespace

std::vector<EvidenceItem> occlusion_evidence(const CheckpointTextModel& model, std::string_view text,
                                             std::string_view context, const std::vector<double>& probs,
                                             const std::vector<std::size_t>& labels, std::size_t per_label) {
    const auto words = whitespace_words(text);
    if (words.empty() || labels.empty() || per_label == 0) return {};
    // The text without each word in turn (the spaces around it are kept: tokenizers treat runs of spaces alike).
    std::vector<std::string> variants;
    variants.reserve(words.size());
    for (const auto& w : words)
        variants.push_back(std::string(text.substr(0, w.start)) + std::string(text.substr(w.end)));
    const std::vector<std::string_view> texts(variants.begin(), variants.end());
    const auto without = context.empty()
                             ? model.probabilities(texts)
                             : model.probabilities(texts, std::vector<std::string_view>(texts.size(), context));
    std::vector<EvidenceItem> out;
    for (auto k : labels) {
        std::vector<EvidenceItem> items;
        for (std::size_t i = 0; i < words.size(); ++i) {
            const double weight = log_odds(probs[k]) - log_odds(without[i][k]);
            if (weight <= 0) continue;
            const std::string cue = "word:" + std::string(text.substr(words[i].start, words[i].end - words[i].start));
            // A word written twice counts once, by its stronger occurrence.
            auto same = std::find_if(items.begin(), items.end(), [&](const auto& e) { return e.cue == cue; });
            if (same == items.end())
                items.push_back({cue, weight, model.labels()[k]});
            else
                same->weight = std::max(same->weight, weight);
        }
        std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.weight > b.weight; });
        if (items.size() > per_label) items.resize(per_label);
        out.insert(out.end(), items.begin(), items.end());
    }
    return out;
}

}  // namespace emo::text
