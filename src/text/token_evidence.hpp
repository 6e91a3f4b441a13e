// Which input tokens and surface cues pushed a linear model's output up: the evidence every text model reports.
#pragma once

#include "core/sparse.hpp"
#include "text/featurizer.hpp"

#include <emo/emo.hpp>

#include <cstdint>
#include <functional>
#include <vector>

namespace emo::text {

// Contributions (feature value x `weight_of(index)`) gathered per input word ("word:great"; a word's strongest
// occurrence counts) and per surface cue ("cue:exclamations"); only positive ones, unsorted. `f` must carry origins.
std::vector<EvidenceItem> token_evidence(const Featurizer& featurizer, const Featurized& f, const core::SparseRow& row,
                                         const std::function<double(std::uint32_t index)>& weight_of);

// Sorts strongest first (ties by cue) and keeps at most `max` items.
void keep_strongest(std::vector<EvidenceItem>& evidence, std::size_t max);

}  // namespace emo::text
