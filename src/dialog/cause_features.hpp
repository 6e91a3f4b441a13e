// Features of the emotion-cause model (RECCON's two tasks):
//   pairs: one row per (target utterance, candidate utterance) with the candidate at or before the target; what
//          makes an utterance a cause: how far back it is, who said it, the emotions around it, its words, and the
//          words it shares with the target;
//   spans: one row per candidate span of a cause utterance (a run of its clauses); where the span sits, how much of
//          the utterance it covers, its words.
// Rows are hashed feature names (2^cause_hash_bits buckets), so the feature set can grow without a vocabulary.
#pragma once

#include "core/sparse.hpp"

#include <emo/emo.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace emo::dialog {

inline constexpr unsigned cause_hash_bits = 18;
inline constexpr std::uint32_t cause_feature_dim = 1u << cause_hash_bits;

// One utterance as the cause model sees it.
struct CauseTurn {
    std::string speaker;
    std::string emotion;             // labels::canonical_emotion of its (gold or predicted) emotion
    std::vector<std::string> words;  // normalised word tokens, sorted, without repeats
    bool question = false;           // has a '?'
    std::size_t word_count = 0;      // with repeats
};

// The turns of a conversation, with `emotions[i]` the emotion of utterance i (same size as the conversation).
// Utterances that are not valid UTF-8 get no words.
std::vector<CauseTurn> cause_turns(const Conversation& conversation, const std::vector<std::string>& emotions);

// The row of the pair (target, candidate), candidate <= target.
core::SparseRow pair_row(const std::vector<CauseTurn>& turns, std::size_t target, std::size_t candidate);

// A clause of an utterance: byte range [begin, end) of its raw text, ending after , ; : . ! ? (or the text's end).
struct Clause {
    std::size_t begin = 0, end = 0;
};

// At most this many clauses per utterance (the rest join the last one), so that the candidate spans of a hostile
// 1 MB utterance stay few.
inline constexpr std::size_t max_clauses = 24;

// The clauses of a raw utterance, in order; none for an utterance without non-space characters.
std::vector<Clause> split_clauses(std::string_view text);

// A cause utterance cut into clauses, each tokenised once, so that the words of every run of clauses (every
// candidate span) come without tokenising the text again.
struct ClauseText {
    std::string_view text;
    std::vector<Clause> clauses;
    std::vector<std::vector<std::string>> words;  // span_words of each clause
    std::vector<bool> valid;                      // each clause is valid UTF-8
};

// `text` (which must outlive the result) cut into clauses with their words.
ClauseText clause_text(std::string_view text);

// The row of the candidate span made of clauses [first, last) of `candidate`'s text, as a cause of `target`.
core::SparseRow span_row(const std::vector<CauseTurn>& turns, std::size_t target, std::size_t candidate,
                         const ClauseText& candidate_text, std::size_t first, std::size_t last);

// Word tokens of raw text as span_row and the span metrics compare them: normalised, words only.
std::vector<std::string> span_words(std::string_view text);

}  // namespace emo::dialog
