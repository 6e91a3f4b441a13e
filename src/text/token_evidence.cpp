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
    // A hashed feature hit by several tokens shares its value between them. Origins sorted by feature, walked
    // beside the row (sorted by index too), give each group its value and size in one pass.
    std::vector<FeatureOrigin> origins = f.origins;
    std::sort(origins.begin(), origins.end(), [](const FeatureOrigin& a, const FeatureOrigin& b) {
        return a.index != b.index ? a.index < b.index : a.token < b.token;
    });
    auto feature = row.begin();
    for (std::size_t i = 0; i < origins.size();) {
        std::size_t j = i;
        while (j < origins.size() && origins[j].index == origins[i].index) ++j;
        while (feature != row.end() && feature->index < origins[i].index) ++feature;
        if (feature != row.end() && feature->index == origins[i].index)
            for (std::size_t o = i; o < j; ++o)
                shares_.push_back({origins[o].index, origins[o].token, feature->value / static_cast<float>(j - i)});
        i = j;
    }
    const auto s = surface_offset_ = featurizer.surface_offset();
    for (const auto& feat : row)
        if (feat.index >= s && feat.index < s + Featurizer::surface_count) cues_.push_back(feat);
}

std::vector<EvidenceItem> TokenEvidence::strongest(const std::function<double(std::uint32_t index)>& weight_of,
                                                   std::size_t max) const {
    std::vector<double> per_token(word_of_token_.size(), 0.0);
    for (const auto& share : shares_) per_token[share.token] += share.value * weight_of(share.index);
    std::vector<double> per_word(words_.size(), 0.0);
    std::vector<char> seen(words_.size(), 0);
    for (std::size_t t = 0; t < per_token.size(); ++t) {
        const auto w = word_of_token_[t];
        per_word[w] = seen[w] ? std::max(per_word[w], per_token[t]) : per_token[t];
        seen[w] = 1;
    }
    // Only the strongest words become strings: long texts have many helpful words and few are reported.
    std::vector<std::uint32_t> helpful;
    for (std::uint32_t w = 0; w < words_.size(); ++w)
        if (per_word[w] > 0) helpful.push_back(w);
    const auto stronger = [&](std::uint32_t a, std::uint32_t b) {
        return per_word[a] != per_word[b] ? per_word[a] > per_word[b] : words_[a] < words_[b];
    };
    const std::size_t keep = std::min(max, helpful.size());
    std::partial_sort(helpful.begin(), helpful.begin() + static_cast<std::ptrdiff_t>(keep), helpful.end(), stronger);
    std::vector<EvidenceItem> out;
    for (std::size_t i = 0; i < keep; ++i)
        out.push_back({"word:" + std::string(words_[helpful[i]]), per_word[helpful[i]], {}});
    // Surface cues are features too; name them when they helped.
    for (const auto& feat : cues_) {
        const double w = feat.value * weight_of(feat.index);
        if (w > 0) out.push_back({std::string("cue:") + Featurizer::surface_name(feat.index - surface_offset_), w, {}});
    }
    keep_strongest(out, max);
    return out;
}

void keep_strongest(std::vector<EvidenceItem>& evidence, std::size_t max) {
    std::sort(evidence.begin(), evidence.end(),
              [](auto& a, auto& b) { return a.weight != b.weight ? a.weight > b.weight : a.cue < b.cue; });
    if (evidence.size() > max) evidence.resize(max);
}

}  // namespace emo::text
