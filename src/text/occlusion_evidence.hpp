// Evidence for a Hugging Face classifier's decision by occlusion: each whitespace-separated word of the text is left
// out in turn and the text classified again; a word's weight is how far the label's log-odds fall without it. It
// needs no gradients and no attention weights, so it works the same for every architecture and precision, and it
// speaks in the user's words; it costs one more pass through the checkpoint per word (the variants of a text run as
// one batch), which is why it is off unless asked for (CheckpointOptions::occlusion).
#pragma once

#include "text/checkpoint_text_model.hpp"

#include <emo/emo.hpp>

#include <string_view>
#include <vector>

namespace emo::text {

// The words that speak most for each of `labels` (indices into model.labels()), at most `per_label` each, strongest
// first within a label; only words whose removal lowers the label's log-odds count. `probs` are the model's
// probabilities for the whole text; `context` is its second segment (empty: none), kept whole in every variant.
std::vector<EvidenceItem> occlusion_evidence(const CheckpointTextModel& model, std::string_view text,
                                             std::string_view context, const std::vector<double>& probs,
                                             const std::vector<std::size_t>& labels, std::size_t per_label);

}  // namespace emo::text
