// Features of an utterance's conversational context for the second-stage model: what the first stage believed about
// the utterance itself, its neighbours (split by same or other speaker: emotional inertia vs contagion), the
// speaker's own last turn and the dialogue so far (and, offline, what comes next).
#pragma once

#include "core/sparse.hpp"

#include <string>
#include <vector>

namespace emo::dialog {

struct ContextLayout {
    unsigned per_utterance;  // probabilities per utterance from the first stage (emotion + sentiment)
    unsigned window = 3;     // neighbours on each side

    // Feature blocks, in order; each has a name used as evidence ("context:previous_same_speaker").
    struct Block {
        std::string name;
        unsigned offset, size;
    };
    std::vector<Block> blocks() const;
    unsigned dimension() const;
};

// Context rows for every utterance of one dialogue. `probs[i]` holds the first-stage probabilities of utterance i;
// `speakers[i]` its speaker. With `online`, nothing after utterance i is used for row i.
std::vector<core::SparseRow> context_rows(const ContextLayout& layout, const std::vector<std::vector<double>>& probs,
                                          const std::vector<std::string>& speakers, bool online);

}  // namespace emo::dialog
