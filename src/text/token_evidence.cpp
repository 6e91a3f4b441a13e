#include "text/token_evidence.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace emo::text {

std::vector<EvidenceItem> token_evidence(const Featurizer& featurizer, const Featurized& f, const core::SparseRow& row,
                                         const std::function<double(std::uint32_t index)>& weight_of) {
    // A hashed feature hit by several tokens shares its contribution between them.
    std::unordered_map<std::uint32_t, std::pair<float, int>> value_and_hits;
    for (const auto& feat : row) value_and_hits[feat.index].first = feat.value;
    for (const auto& o : f.origins) ++value_and_hits[o.index].second;
    std::vector<double> per_token(f.tokens.size(), 0.0);
    for (const auto& o : f.origins) {
        const auto& [value, hits] = value_and_hits[o.index];
        per_token[o.token] += value / hits * weight_of(o.index);
    }
    std::unordered_map<std::string, double> by_word;
    for (std::size_t t = 0; t < f.tokens.size(); ++t) {
        auto [it, fresh] = by_word.emplace(f.tokens[t], per_token[t]);
        if (!fresh) it->second = std::max(it->second, per_token[t]);
    }
    std::vector<EvidenceItem> out;
    for (auto& [word, w] : by_word)
        if (w > 0) out.push_back({"word:" + word, w});
    // Surface cues are features too; name them when they helped.
    const auto s = featurizer.surface_offset();
    for (const auto& feat : row)
        if (feat.index >= s && feat.index < s + Featurizer::surface_count) {
            double w = feat.value * weight_of(feat.index);
            if (w > 0) out.push_back({std::string("cue:") + Featurizer::surface_name(feat.index - s), w});
        }
    return out;
}

void keep_strongest(std::vector<EvidenceItem>& evidence, std::size_t max) {
    std::sort(evidence.begin(), evidence.end(),
              [](auto& a, auto& b) { return a.weight != b.weight ? a.weight > b.weight : a.cue < b.cue; });
    if (evidence.size() > max) evidence.resize(max);
}

}  // namespace emo::text
