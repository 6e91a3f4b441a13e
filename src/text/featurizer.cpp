#include "text/featurizer.hpp"

#include "core/hash.hpp"
#include "text/tokenizer.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace emo::text {

namespace {

using core::fnv1a;

// Seeded per feature kind so that the word "ha" and the character n-gram "ha" land in different buckets.
constexpr std::uint64_t word_seed = core::fnv1a_offset;
constexpr std::uint64_t bigram_seed = 0x9e3779b97f4a7c15ULL;
constexpr std::uint64_t char_seed = 0xc2b2ae3d27d4eb4fULL;

// Byte offsets of UTF-8 code point starts in `s`, plus s.size(), so character n-grams never split a code point.
void code_point_starts(std::string_view s, std::vector<std::size_t>& starts) {
    starts.clear();
    for (std::size_t i = 0; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
    starts.push_back(s.size());
}

}  // namespace

// Checked before the idf table is sized from it: 1u << 30 would allocate 4 GB, and 32 or more is undefined.
static unsigned checked_hash_bits(unsigned bits) {
    if (bits < 8 || bits > 24) throw Error("featurizer: hash_bits must be in 8..24");
    return bits;
}

Featurizer::Featurizer(FeaturizerConfig config)
    : config_(config), buckets_(1u << checked_hash_bits(config.hash_bits)), idf_(buckets_, 1.0f) {}

std::uint32_t Featurizer::dimension() const { return buckets_ + surface_count; }

const char* Featurizer::surface_name(std::uint32_t i) {
    static const char* names[surface_count] = {"shouting", "exclamations", "questions",
                                               "ellipsis", "short",        "long"};
    return i < surface_count ? names[i] : "?";
}

void Featurizer::set_idf(std::vector<float> idf) {
    if (idf.size() != buckets_) throw Error("featurizer: idf table has the wrong size");
    idf_ = std::move(idf);
}

namespace {

// A run of "!" and "?" only: the punctuation that words_and_marks keeps in the word n-grams.
bool is_mark_run(std::string_view token) {
    return !token.empty() && token.find_first_not_of("!?") == std::string_view::npos;
}

}  // namespace

void Featurizer::count_char_ngrams(std::string_view piece, std::uint32_t origin,
                                   std::vector<FeatureOrigin>& hits) const {
    const std::uint32_t mask = config_.balanced_blocks ? buckets_ / 2 - 1 : buckets_ - 1;
    const std::uint32_t char_offset = config_.balanced_blocks ? buckets_ / 2 : 0;
    // Padded with spaces so prefixes and suffixes are marked ("char_wb"); buffers kept between calls, as this runs
    // for every word of every text.
    thread_local std::string padded;
    thread_local std::vector<std::size_t> starts;
    padded.assign(piece.size() + 2, ' ');
    piece.copy(padded.data() + 1, piece.size());
    code_point_starts(padded, starts);
    const std::size_t n_chars = starts.size() - 1;
    for (unsigned n = config_.char_min; n <= config_.char_max && n <= n_chars; ++n) {
        for (std::size_t i = 0; i + n <= n_chars; ++i) {
            std::string_view gram(padded.data() + starts[i], starts[i + n] - starts[i]);
            hits.push_back({char_offset + (static_cast<std::uint32_t>(fnv1a(gram, char_seed)) & mask), origin});
        }
    }
}

void Featurizer::count_ngrams(std::string_view normalized, const std::vector<std::string_view>& tokens,
                              std::vector<FeatureOrigin>& hits) const {
    // Balanced blocks: words in [0, buckets/2), character n-grams in [buckets/2, buckets).
    const std::uint32_t mask = config_.balanced_blocks ? buckets_ / 2 - 1 : buckets_ - 1;
    const bool marks_only = config_.ngram_tokens == FeaturizerConfig::NgramTokens::words_and_marks;
    // Word 1-2-grams over the tokens that take part (all of them, or words and mark runs); with all_tokens, each
    // word's character n-grams follow its word n-grams, the order that evidence of older models was built in.
    std::vector<std::uint32_t> used;
    used.reserve(tokens.size());
    for (std::uint32_t t = 0; t < tokens.size(); ++t)
        if (!marks_only || is_word(tokens[t]) || is_mark_run(tokens[t])) used.push_back(t);
    for (std::size_t i = 0; i < used.size(); ++i) {
        const std::uint32_t t = used[i];
        hits.push_back({static_cast<std::uint32_t>(fnv1a(tokens[t], word_seed)) & mask, t});
        if (config_.word_bigrams && i + 1 < used.size()) {
            std::uint64_t h = fnv1a(tokens[t], bigram_seed);
            h = fnv1a(" ", h);
            hits.push_back({static_cast<std::uint32_t>(fnv1a(tokens[used[i + 1]], h)) & mask, t});
        }
        if (!marks_only && is_word(tokens[t])) count_char_ngrams(tokens[t], t, hits);
    }
    if (!marks_only || tokens.empty()) return;
    // Character n-grams over whitespace-separated chunks (normalised text has single spaces), each credited to
    // the chunk's first word ("(sigh" to "sigh"), or to its first token where it has no word.
    auto offset_of = [&](std::uint32_t t) { return static_cast<std::size_t>(tokens[t].data() - normalized.data()); };
    std::uint32_t t = 0;
    for (std::size_t begin = 0; begin < normalized.size();) {
        std::size_t end = normalized.find(' ', begin);
        if (end == std::string_view::npos) end = normalized.size();
        if (end > begin) {
            while (t + 1 < tokens.size() && offset_of(t) < begin) ++t;
            std::uint32_t credited = t;
            for (std::uint32_t w = t; w < tokens.size() && offset_of(w) < end; ++w)
                if (is_word(tokens[w])) {
                    credited = w;
                    break;
                }
            count_char_ngrams(normalized.substr(begin, end - begin), credited, hits);
        }
        begin = end + 1;
    }
}

void Featurizer::fit(const std::vector<std::string>& texts) {
    std::vector<std::uint32_t> df(buckets_, 0);
    std::vector<FeatureOrigin> hits;
    std::vector<std::uint32_t> seen;
    for (const auto& raw : texts) {
        std::string norm = normalize(raw);
        auto tokens = tokenize(norm);
        hits.clear();
        count_ngrams(norm, tokens, hits);
        seen.clear();
        for (auto& h : hits) seen.push_back(h.index);
        std::sort(seen.begin(), seen.end());
        seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
        for (auto i : seen) ++df[i];
    }
    // Smoothed idf, as in the usual TF-IDF: unseen buckets get the largest weight but carry no learned signal anyway.
    const double n = static_cast<double>(texts.size());
    for (std::uint32_t i = 0; i < buckets_; ++i)
        idf_[i] = config_.min_df > 1 && df[i] < config_.min_df
                      ? 0.0f
                      : static_cast<float>(std::log((1.0 + n) / (1.0 + df[i])) + 1.0);
}

Featurized Featurizer::transform(std::string_view raw, bool with_origins) const {
    Featurized out;
    std::string norm = normalize(raw);
    auto tokens = tokenize(norm);
    std::vector<FeatureOrigin> hits;
    hits.reserve(tokens.size() * 16);
    count_ngrams(norm, tokens, hits);

    // Sublinear TF-IDF over the hashed buckets, then L2 normalisation.
    std::vector<std::uint32_t> idx;
    idx.reserve(hits.size());
    for (auto& h : hits) idx.push_back(h.index);
    std::sort(idx.begin(), idx.end());
    const std::uint32_t split = config_.balanced_blocks ? buckets_ / 2 : buckets_;
    double norm2[2] = {0, 0};  // of the word block and the character block (one block when not balanced)
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        while (j < idx.size() && idx[j] == idx[i]) ++j;
        float v = static_cast<float>((1.0 + std::log(static_cast<double>(j - i))) * idf_[idx[i]]);
        if (v == 0.0f) {  // a bucket below min_df in training
            i = j;
            continue;
        }
        out.row.push_back({idx[i], v});
        norm2[idx[i] >= split] += static_cast<double>(v) * v;
        i = j;
    }
    const double target = config_.balanced_blocks ? config_.block_norm : 1.0;
    for (auto& f : out.row) {
        const double n2 = norm2[f.index >= split];
        f.value *= static_cast<float>(target / std::sqrt(n2));  // n2 > 0: the feature itself is in it
    }

    // Surface cues from the raw text, which case folding and tokenisation would otherwise erase.
    std::size_t letters = 0, upper = 0, bangs = 0, questions = 0;
    for (unsigned char c : raw) {
        if (c >= 'A' && c <= 'Z') ++upper, ++letters;
        else if (c >= 'a' && c <= 'z') ++letters;
        else if (c == '!') ++bangs;
        else if (c == '?') ++questions;
    }
    const std::uint32_t s = surface_offset();
    if (letters >= 4 && upper * 10 >= letters * 7) out.row.push_back({s + 0, 1.0f});
    if (bangs) out.row.push_back({s + 1, static_cast<float>(std::min<std::size_t>(bangs, 3)) / 3.0f});
    if (questions) out.row.push_back({s + 2, static_cast<float>(std::min<std::size_t>(questions, 3)) / 3.0f});
    if (norm.find("...") != std::string::npos) out.row.push_back({s + 3, 1.0f});
    if (tokens.size() <= 2) out.row.push_back({s + 4, 1.0f});
    if (tokens.size() >= 20) out.row.push_back({s + 5, 1.0f});

    // Tokens always: the word-vector features need them, in training as at inference.
    out.tokens.reserve(tokens.size());
    for (auto t : tokens) out.tokens.emplace_back(t);
    if (with_origins) out.origins = std::move(hits);
    return out;
}

}  // namespace emo::text
