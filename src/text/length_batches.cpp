#include "text/length_batches.hpp"

#include <algorithm>
#include <numeric>

namespace emo::text {

void for_each_length_batch(const std::vector<TokenIds>& encoded, bool with_types,
                           const std::function<void(const nn::TokenBatch&, std::span<const std::size_t>)>& run) {
    std::vector<std::size_t> order(encoded.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return encoded[a].ids.size() < encoded[b].ids.size(); });
    for (std::size_t start = 0; start < order.size(); start += batch_sequences) {
        const std::size_t end = std::min(order.size(), start + batch_sequences);
        nn::TokenBatch batch;
        for (std::size_t i = start; i < end; ++i) {
            const auto& e = encoded[order[i]];
            batch.add(e.ids, with_types ? std::span<const std::int32_t>(e.types) : std::span<const std::int32_t>());
        }
        run(batch, std::span<const std::size_t>(order.data() + start, end - start));
    }
}

}  // namespace emo::text
