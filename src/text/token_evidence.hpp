// Which input tokens and surface cues pushed a linear model's output up: the evidence every text model reports.
#pragma once

#include "core/sparse.hpp"
#include "text/featurizer.hpp"

#include <emo/emo.hpp>

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace emo::text {

// The split of one text's features among its tokens, computed once so that several labels can be explained
// cheaply. `f` must carry origins; `f` and `row` must outlive this object.
class TokenEvidence {
public:
    TokenEvidence(const Featurizer& featurizer, const Featurized& f, const core::SparseRow& row);

    // The `max` strongest positive contributions (feature value x `weight_of(index)`) gathered per input word
    // ("word:great"; a word's strongest occurrence counts) and per surface cue ("cue:exclamations"), strongest
    // first (ties by cue).
    std::vector<EvidenceItem> strongest(const std::function<double(std::uint32_t index)>& weight_of,
                                        std::size_t max) const;

private:
    struct Share {
        std::uint32_t index;  // feature
        std::uint32_t token;  // position in Featurized::tokens
        float value;          // the feature's value divided among the tokens that produced it
    };
    std::vector<Share> shares_;
    std::vector<std::string_view> words_;  // distinct tokens
    std::vector<std::uint32_t> word_of_token_;
    std::vector<core::Feature> cues_;      // surface-cue features of the row
    std::uint32_t surface_offset_ = 0;
};

// Sorts strongest first (ties by cue) and keeps at most `max` items.
void keep_strongest(std::vector<EvidenceItem>& evidence, std::size_t max);

}  // namespace emo::text
