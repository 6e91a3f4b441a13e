#include "dialog/cause_features.hpp"

#include "core/hash.hpp"
#include "labels/emotion_names.hpp"
#include "text/tokenizer.hpp"

#include <algorithm>
#include <iterator>

namespace emo::dialog {

namespace {

// Collects named features into a sorted row; a name seen twice adds up.
class RowBuilder {
public:
    void add(std::string_view name, float value = 1.0f) {
        row_.push_back({static_cast<std::uint32_t>(core::fnv1a(name)) & (cause_feature_dim - 1), value});
    }
    template <typename... Parts>
    void add_joined(float value, const Parts&... parts) {
        name_.clear();
        ((name_ += parts, name_ += '|'), ...);
        add(name_, value);
    }
    core::SparseRow finish() {
        std::sort(row_.begin(), row_.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
        core::SparseRow merged;
        for (const auto& f : row_) {
            if (!merged.empty() && merged.back().index == f.index)
                merged.back().value += f.value;
            else
                merged.push_back(f);
        }
        return merged;
    }

private:
    core::SparseRow row_;
    std::string name_;
};

std::string bin(std::size_t value, std::size_t cap) { return std::to_string(std::min(value, cap)); }

// |a ∩ b| for sorted word lists without repeats.
std::size_t shared_words(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::size_t n = 0;
    for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
        if (*i < *j) ++i;
        else if (*j < *i) ++j;
        else ++n, ++i, ++j;
    }
    return n;
}

std::vector<std::string> sorted_unique(std::vector<std::string> words) {
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
}

bool ends_clause(unsigned char c) {
    return c == ',' || c == ';' || c == ':' || c == '.' || c == '!' || c == '?';
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::vector<std::string> span_words(std::string_view text) {
    std::vector<std::string> words;
    if (!text::is_valid_utf8(text)) return words;
    const std::string normalized = text::normalize(text);
    for (auto token : text::tokenize(normalized))
        if (text::is_word(token)) words.emplace_back(token);
    return words;
}

std::vector<CauseTurn> cause_turns(const Conversation& conversation, const std::vector<std::string>& emotions) {
    std::vector<CauseTurn> turns;
    turns.reserve(conversation.utterances.size());
    for (std::size_t i = 0; i < conversation.utterances.size(); ++i) {
        const auto& u = conversation.utterances[i];
        CauseTurn turn;
        turn.speaker = u.speaker;
        turn.emotion = labels::canonical_emotion(i < emotions.size() ? emotions[i] : std::string());
        auto words = span_words(u.text);
        turn.word_count = words.size();
        turn.words = sorted_unique(std::move(words));
        turn.question = u.text.find('?') != std::string::npos;
        turns.push_back(std::move(turn));
    }
    return turns;
}

core::SparseRow pair_row(const std::vector<CauseTurn>& turns, std::size_t target, std::size_t candidate) {
    const CauseTurn& t = turns[target];
    const CauseTurn& c = turns[candidate];
    const std::size_t distance = target - candidate;
    const std::string d6 = bin(distance, 6), d3 = bin(distance, 3), d2 = bin(distance, 2);
    const std::string same_speaker = t.speaker == c.speaker ? "1" : "0";
    RowBuilder row;
    row.add_joined(1, "d", d6);
    row.add_joined(1, "d", d6, "same", same_speaker);
    row.add_joined(1, "emo", t.emotion, "d", d3);
    row.add_joined(1, "cemo", c.emotion);
    row.add_joined(1, "cemo", c.emotion, "d", d3);
    row.add_joined(1, "sameemo", t.emotion == c.emotion ? "1" : "0", "d", d3);
    row.add_joined(1, "first", target == 0 ? "1" : "0");
    row.add_joined(1, "tpos", bin(target, 8), "d", d3);
    if (distance > 0) {
        std::size_t emotional = 0;
        for (std::size_t k = candidate + 1; k < target; ++k) emotional += turns[k].emotion != "neutral";
        row.add_joined(1, "between", bin(emotional, 3));
    }
    const std::size_t shared = shared_words(t.words, c.words);
    const std::size_t joined = t.words.size() + c.words.size() - shared;
    row.add("overlap", joined ? static_cast<float>(shared) / static_cast<float>(joined) : 0.0f);
    row.add_joined(1, "cq", c.question ? "1" : "0");
    row.add_joined(1, "clen", bin(c.word_count / 5, 6));
    for (const auto& w : c.words) {
        row.add_joined(1, "w", w);
        row.add_joined(1, "w", w, "d", d2);
    }
    return row.finish();
}

std::vector<Clause> split_clauses(std::string_view text) {
    std::vector<Clause> clauses;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) ++i;
        if (i == text.size()) break;
        Clause clause{i, i};
        // A clause runs over whitespace-separated tokens until one ends in clause punctuation.
        while (i < text.size()) {
            std::size_t token_end = i;
            while (token_end < text.size() && !is_space(text[token_end])) ++token_end;
            clause.end = token_end;
            const bool closes = ends_clause(static_cast<unsigned char>(text[token_end - 1]));
            i = token_end;
            while (i < text.size() && is_space(text[i])) ++i;
            if (closes) break;
        }
        if (clauses.size() == max_clauses)
            clauses.back().end = clause.end;
        else
            clauses.push_back(clause);
    }
    return clauses;
}

ClauseText clause_text(std::string_view text) {
    ClauseText out{text, split_clauses(text), {}, {}};
    for (const auto& clause : out.clauses) {
        const auto piece = text.substr(clause.begin, clause.end - clause.begin);
        out.valid.push_back(text::is_valid_utf8(piece));
        out.words.push_back(span_words(piece));
    }
    return out;
}

core::SparseRow span_row(const std::vector<CauseTurn>& turns, std::size_t target, std::size_t candidate,
                         const ClauseText& candidate_text, std::size_t first, std::size_t last) {
    const auto& clauses = candidate_text.clauses;
    const std::size_t n = clauses.size();
    const std::string_view span =
        candidate_text.text.substr(clauses[first].begin, clauses[last - 1].end - clauses[first].begin);
    // Tokens never cross the whitespace between clauses, so the span's words are its clauses' words in order; a
    // span with invalid UTF-8 has none, as span_words gives.
    std::vector<std::string> words;
    const bool valid = std::all_of(candidate_text.valid.begin() + static_cast<std::ptrdiff_t>(first),
                                   candidate_text.valid.begin() + static_cast<std::ptrdiff_t>(last),
                                   [](bool v) { return v; });
    if (valid)
        for (std::size_t c = first; c < last; ++c)
            words.insert(words.end(), candidate_text.words[c].begin(), candidate_text.words[c].end());
    const CauseTurn& t = turns[target];
    const CauseTurn& c = turns[candidate];
    const bool whole = first == 0 && last == n;
    const std::string self = target == candidate ? "1" : "0";
    const std::string at_start = first == 0 ? "1" : "0", at_end = last == n ? "1" : "0";
    const std::size_t coverage = c.word_count ? (10 * words.size()) / c.word_count : 10;  // tenths of the words
    RowBuilder row;
    row.add_joined(1, "whole", whole ? "1" : "0", "self", self);
    row.add_joined(1, "start", at_start, "end", at_end, "self", self);
    row.add_joined(1, "clauses", bin(last - first, 4), "of", bin(n, 6));
    row.add_joined(1, "cover", bin(coverage, 10), "self", self);
    row.add_joined(1, "emo", t.emotion, "whole", whole ? "1" : "0");
    row.add_joined(1, "after", bin(n - last, 3), "before", bin(first, 3));
    const char final_char = span.empty() ? ' ' : span.back();
    row.add_joined(1, "ends", final_char == '?' ? "?" : final_char == '!' ? "!" : final_char == '.' ? "." : "other");
    const auto unique_words = sorted_unique(words);
    if (target != candidate && !unique_words.empty())
        row.add("target_overlap", static_cast<float>(shared_words(unique_words, t.words)) /
                                      static_cast<float>(unique_words.size()));
    row.add_joined(1, "emo", t.emotion, "cover", bin(coverage / 2, 5));
    if (!words.empty()) row.add_joined(1, "first_word", words.front(), "start", at_start);
    for (const auto& w : unique_words) {
        row.add_joined(1, "in", w);
        row.add_joined(1, "in", w, "self", self);
    }
    return row.finish();
}

}  // namespace emo::dialog
