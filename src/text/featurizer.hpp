// Utterance features for the linear models: hashed word 1-2-grams and character n-grams (within words, or within
// whitespace-separated chunks: FeaturizerConfig::ngram_tokens) with sublinear TF-IDF weights (L2-normalised), plus a
// few surface cues that normalisation removes (shouting, repeated marks, length).
#pragma once

#include "core/sparse.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace emo::text {

struct FeaturizerConfig {
    unsigned hash_bits = 18;       // n-gram buckets = 2^hash_bits
    unsigned char_min = 2, char_max = 5;
    bool word_bigrams = true;
    // Word n-grams and character n-grams in separate halves of the buckets, each half L2-normalised to block_norm:
    // words then weigh as much as the far more numerous character n-grams. Off: one space, one norm of 1.
    bool balanced_blocks = false;
    // 1 (each block a unit vector, as two concatenated TF-IDF blocks are elsewhere, so that a penalty C means what it
    // means in scikit-learn); models trained before it was a setting used 1/sqrt(2) (the whole row a unit vector).
    float block_norm = 0.70710678f;
    // fit(): buckets that occur in fewer training texts get idf 0, so they are left out of every row (and of its
    // norm), unseen ones too: an n-gram of one text can only memorise that text. 1 keeps every bucket, unseen ones
    // with the largest idf (as models before this setting).
    unsigned min_df = 1;
    // Which tokens the n-grams are made of. all_tokens (models before this setting): every token, punctuation
    // included, in the word n-grams, and character n-grams inside words only. words_and_marks: words and runs of
    // "!"/"?" in the word n-grams, and character n-grams over whitespace-separated chunks, so "great!" and "(sigh"
    // keep their marks, as scikit-learn's word and char_wb analysers cut text (figures: the text trainer).
    enum class NgramTokens { all_tokens, words_and_marks };
    NgramTokens ngram_tokens = NgramTokens::all_tokens;
};

// Which input token produced a feature, so the decision can be explained in the user's words.
struct FeatureOrigin {
    std::uint32_t index;
    std::uint32_t token;  // position in Featurized::tokens
};

struct Featurized {
    core::SparseRow row;               // hashed TF-IDF n-grams then surface cues, sorted by index
    std::vector<std::string> tokens;   // the normalised tokens
    std::vector<FeatureOrigin> origins;  // n-gram feature -> token (bigrams count for their first word)
};

class Featurizer {
public:
    explicit Featurizer(FeaturizerConfig config = {});

    // Number of features a row can index: hashed buckets + surface cues.
    std::uint32_t dimension() const;
    std::uint32_t surface_offset() const { return buckets_; }
    static constexpr std::uint32_t surface_count = 6;
    static const char* surface_name(std::uint32_t i);

    // Learns inverse document frequencies from the training texts (raw UTF-8; invalid UTF-8 throws emo::Error).
    void fit(const std::vector<std::string>& texts);
    const std::vector<float>& idf() const { return idf_; }
    void set_idf(std::vector<float> idf);  // from a saved model; size must be 2^hash_bits
    const FeaturizerConfig& config() const { return config_; }

    // Features and tokens of one raw utterance. Evidence origins are filled only when `with_origins`.
    Featurized transform(std::string_view raw_text, bool with_origins = false) const;

private:
    // Hashed n-gram counts of one normalised text, in first-seen order, with the token each came from.
    void count_ngrams(std::string_view normalized, const std::vector<std::string_view>& tokens,
                      std::vector<FeatureOrigin>& hits) const;
    // Character n-grams of one space-padded piece of text, all credited to token `origin`.
    void count_char_ngrams(std::string_view piece, std::uint32_t origin, std::vector<FeatureOrigin>& hits) const;

    FeaturizerConfig config_;
    std::uint32_t buckets_;
    std::vector<float> idf_;
};

}  // namespace emo::text
