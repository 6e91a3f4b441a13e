#include "dialog/context_features.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace emo::dialog {

namespace {

enum BlockId {
    own_probs,
    own_log_probs,
    prev_same,
    prev_other,
    next_same,
    next_other,
    neighbour_absent,
    speaker_last,
    speaker_next,
    past_mean,
    future_mean,
    position,
    block_count
};

}  // namespace

std::vector<ContextLayout::Block> ContextLayout::blocks() const {
    const unsigned q = per_utterance, w = window;
    const std::pair<const char*, unsigned> spec[block_count] = {
        {"own_text", q},          {"own_text_log", q},       {"previous_same_speaker", w * q},
        {"previous_other_speaker", w * q}, {"next_same_speaker", w * q}, {"next_other_speaker", w * q},
        {"dialogue_edge", 2 * w}, {"speaker_last_turn", q + 1}, {"speaker_next_turn", q + 1},
        {"dialogue_so_far", q + 1},
        {"dialogue_ahead", q + 1}, {"position", 5}};
    std::vector<Block> out;
    unsigned offset = 0;
    for (auto& [name, size] : spec) {
        out.push_back({name, offset, size});
        offset += size;
    }
    return out;
}

unsigned ContextLayout::dimension() const {
    auto b = blocks();
    return b.back().offset + b.back().size;
}

std::vector<core::SparseRow> context_rows(const ContextLayout& layout, const std::vector<std::vector<double>>& probs,
                                          const std::vector<std::string>& speakers, bool online) {
    const auto blocks = layout.blocks();
    const unsigned q = layout.per_utterance;
    const long n = static_cast<long>(probs.size());
    std::vector<core::SparseRow> rows(probs.size());

    // Running sums make the "dialogue so far" and "ahead" means linear in the dialogue length.
    std::vector<double> prefix((n + 1) * q, 0.0);
    for (long i = 0; i < n; ++i)
        for (unsigned k = 0; k < q; ++k) prefix[(i + 1) * q + k] = prefix[i * q + k] + probs[i][k];

    std::vector<long> last_turn_of_speaker(probs.size(), -1), next_turn_of_speaker(probs.size(), -1);
    {
        std::unordered_map<std::string, long> last;
        for (long i = 0; i < n; ++i) {
            auto it = last.find(speakers[i]);
            if (it != last.end()) {
                last_turn_of_speaker[i] = it->second;
                next_turn_of_speaker[it->second] = i;
            }
            last[speakers[i]] = i;
        }
    }

    for (long i = 0; i < n; ++i) {
        auto& row = rows[i];
        auto put = [&](BlockId b, unsigned j, double v) {
            if (v != 0.0) row.push_back({blocks[b].offset + j, static_cast<float>(v)});
        };
        for (unsigned k = 0; k < q; ++k) {
            put(own_probs, k, probs[i][k]);
            put(own_log_probs, k, std::log(std::max(probs[i][k], 1e-4)));
        }
        for (unsigned d = 1; d <= layout.window; ++d) {
            for (int dir : {-1, 1}) {
                long j = i + dir * static_cast<long>(d);
                bool ahead = dir > 0;
                if (ahead && online) continue;
                if (j < 0 || j >= n) {
                    put(neighbour_absent, (ahead ? layout.window : 0) + d - 1, 1.0);
                    continue;
                }
                bool same = speakers[j] == speakers[i];
                BlockId b = ahead ? (same ? next_same : next_other) : (same ? prev_same : prev_other);
                for (unsigned k = 0; k < q; ++k) put(b, (d - 1) * q + k, probs[j][k]);
            }
        }
        if (long j = last_turn_of_speaker[i]; j >= 0) {
            for (unsigned k = 0; k < q; ++k) put(speaker_last, k, probs[j][k]);
        } else {
            put(speaker_last, q, 1.0);
        }
        if (!online) {
            if (long j = next_turn_of_speaker[i]; j >= 0) {
                for (unsigned k = 0; k < q; ++k) put(speaker_next, k, probs[j][k]);
            } else {
                put(speaker_next, q, 1.0);
            }
        }
        if (i > 0) {
            for (unsigned k = 0; k < q; ++k) put(past_mean, k, (prefix[i * q + k]) / i);
        } else {
            put(past_mean, q, 1.0);
        }
        if (!online) {
            if (i + 1 < n) {
                for (unsigned k = 0; k < q; ++k) put(future_mean, k, (prefix[n * q + k] - prefix[(i + 1) * q + k]) / (n - i - 1));
            } else {
                put(future_mean, q, 1.0);
            }
        }
        put(position, 0, i == 0 ? 1.0 : 0.0);
        put(position, 1, std::log1p(static_cast<double>(i)) / 4.0);
        if (!online) {
            put(position, 2, i + 1 == n ? 1.0 : 0.0);
            put(position, 3, n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0.0);
            put(position, 4, std::log1p(static_cast<double>(n)) / 4.0);
        }
    }
    return rows;
}

}  // namespace emo::dialog
