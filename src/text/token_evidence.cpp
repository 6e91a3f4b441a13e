#include "text/token_evidence.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace emo::text {

TokenEvidence::TokenEvidence(const Featurizer& featurizer, const Featurized& f, const core::SparseRow& row) {
    // Distinct words, so that a repeated word is reported once (at its strongest occurrence).
    std::unordered_map<std::string_view, std::uint32_t> word_ids;
    for (const auto& token : f.tokens) {
        auto [it, fresh] = word_ids.emplace(token, static_cast<std::uint32_t>(words_.size()));
        if (fresh) words_.push_back(token);
        word_of_token_.push_back(it->second);
    }
    // A hashed feature hit by several tokens shares its value between them. The row is sorted by index.
    std::vector<std::uint32_t> hit_indices;
    hit_indices.reserve(f.origins.size());
    for (const auto& o : f.origins) hit_indices.push_back(o.index);
    std::sort(hit_indices.begin(), hit_indices.end());
    for (const auto& o : f.origins) {
        const auto [first, last] = std::equal_range(hit_indices.begin(), hit_indices.end(), o.index);
        auto at = std::lower_bound(row.begin(), row.end(), o.index,
                                   [](const core::Feature& a, std::uint32_t i) { return a.index < i; });
        if (at == row.end() || at->index != o.index) continue;
        shares_.push_back({o.index, o.token, at->value / static_cast<float>(last - first)});
    }
    const auto s = surface_offset_ = featurizer.surface_offset();
    for (const auto& feat : row)
        if (feat.index >= s && feat.index < s + Featurizer::surface_count) cues_.push_back(feat);
}

std::vector<EvidenceItem> TokenEvidence::items(const std::function<double(std::uint32_t index)>& weight_of) const {
    std::vector<double> per_token(word_of_token_.size(), 0.0);
    for (const auto& share : shares_) per_token[share.token] += share.value * weight_of(share.index);
    std::vector<double> per_word(words_.size(), 0.0);
    std::vector<char> seen(words_.size(), 0);
    for (std::size_t t = 0; t < per_token.size(); ++t) {
        const auto w = word_of_token_[t];
        per_word[w] = seen[w] ? std::max(per_word[w], per_token[t]) : per_token[t];
        seen[w] = 1;
    }
    std::vector<EvidenceItem> out;
    for (std::size_t w = 0; w < words_.size(); ++w)
        if (per_word[w] > 0) out.push_back({"word:" + std::string(words_[w]), per_word[w], {}});
    // Surface cues are features too; name them when they helped.
    for (const auto& feat : cues_) {
        const double w = feat.value * weight_of(feat.index);
        if (w > 0) out.push_back({std::string("cue:") + Featurizer::surface_name(feat.index - surface_offset_), w, {}});
    }
    return out;
}

void keep_strongest(std::vector<EvidenceItem>& evidence, std::size_t max) {
    std::sort(evidence.begin(), evidence.end(),
              [](auto& a, auto& b) { return a.weight != b.weight ? a.weight > b.weight : a.cue < b.cue; });
    if (evidence.size() > max) evidence.resize(max);
}

}  // namespace emo::text
