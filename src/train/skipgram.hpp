// Word vectors by skip-gram with negative sampling (Mikolov et al. 2013), trained on a TokenCorpus.
#pragma once

#include "text/word_vectors.hpp"
#include "train/corpus.hpp"

#include <cstddef>
#include <cstdint>
#include <ostream>

namespace emo::train {

struct SkipGramOptions {
    std::size_t dim = 100;
    std::size_t window = 5;        // the largest distance to a context word; each position draws 1..window
    std::size_t negatives = 5;     // noise words per (word, context) pair, drawn from unigram^0.75
    std::size_t epochs = 5;        // 5 beat 2 for the EmoBank regressor (train out-of-fold r, its model card)
    double sample = 1e-4;          // subsampling threshold t: words more frequent than t are randomly skipped
    double learning_rate = 0.025;  // decays linearly to ~0 over all epochs
    std::size_t threads = 2;       // lock-free ("hogwild") updates of the shared matrices
    std::uint64_t seed = 1;        // with threads = 1 the result depends only on the corpus, options and seed
    std::ostream* progress = nullptr;  // progress lines (rate, % done, ETA), at most every few seconds; null = none
};

// Trains on `corpus` (its vocabulary as built by TokenCorpusBuilder::finish) and returns the input vectors, one
// per vocabulary word, in vocabulary order. Throws emo::Error when an option is out of range or the corpus empty.
text::WordVectors train_skipgram(const TokenCorpus& corpus, const SkipGramOptions& options);

}  // namespace emo::train
