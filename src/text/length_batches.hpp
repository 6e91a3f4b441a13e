// Token sequences run through a transformer in batches of similar length: shortest first, so that a batch's work is
// what its tokens cost and the matrix kernels see enough rows.
#pragma once

#include "nn/transformer.hpp"
#include "text/post_processor.hpp"

#include <functional>
#include <span>
#include <vector>

namespace emo::text {

// Sequences per forward pass: enough to fill the matrix kernels, few enough to keep the buffers small.
constexpr std::size_t batch_sequences = 32;

// Calls `run(batch, members)` for each batch of up to batch_sequences of `encoded`'s sequences, packed as the
// transformer takes them; `members` are the indices into `encoded` of the batch's sequences, in batch order. Segment
// types go in only `with_types` (BERT; RoBERTa-family and DistilBERT models have a single segment).
void for_each_length_batch(const std::vector<TokenIds>& encoded, bool with_types,
                           const std::function<void(const nn::TokenBatch&, std::span<const std::size_t>)>& run);

}  // namespace emo::text
