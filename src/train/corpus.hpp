// Unlabelled text corpora for word-vector pretraining: finding the files, streaming their sentences as tokens, and
// turning the token stream into a compact array of vocabulary ids.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace emo::train {

// How the lines of a corpus file are read.
enum class CorpusKind {
    auto_detect,  // from the path: *.xz is xz_text; *.txt whose lines look like `speaker|text|tag` is swda
    xz_text,      // xz-compressed UTF-8, one paragraph per line (blank lines separate documents)
    swda,         // Switchboard `speaker|text|tag` lines; only the text field is used
    plain_text,   // UTF-8, one text per line
};

struct CorpusFile {
    std::string path;
    CorpusKind kind = CorpusKind::auto_detect;  // never auto_detect once returned by resolve_corpus
};

// Parses "xz", "swda", "text" or "auto"; throws emo::Error otherwise.
CorpusKind parse_corpus_kind(std::string_view name);

// Expands a corpus path into files with their kinds resolved, in a stable (sorted) order. A directory is walked
// recursively and read as one kind: its *.xz files if it has any, else its Switchboard-shaped *.txt files if it has
// any (so metadata lists beside them are ignored), else all its *.txt files as plain text. A "kind:" prefix
// ("swda:DIR", "xz:FILE", "text:FILE") forces the kind. Throws emo::Error when the path is missing or holds no file.
std::vector<CorpusFile> resolve_corpus(const std::string& spec);

struct CorpusStats {
    std::size_t files = 0;
    std::size_t lines = 0;         // lines read, blank ones included
    std::size_t sentences = 0;     // lines that gave at least one token
    std::size_t tokens = 0;
    std::size_t invalid_utf8 = 0;  // lines skipped because they were not valid UTF-8
};

using SentenceSink = std::function<void(const std::vector<std::string_view>& tokens)>;

// Streams every non-empty line of `file`, normalised and tokenised (words and punctuation), to `sink`, and adds to
// `stats`. Lines with invalid UTF-8 are skipped and counted. Throws emo::Error naming the file on I/O or xz errors.
void read_corpus_file(const CorpusFile& file, const SentenceSink& sink, CorpusStats& stats);

// The whole corpus as vocabulary ids: what the trainer iterates over many times, so it lives in memory once.
struct TokenCorpus {
    std::vector<std::string> words;          // vocabulary, most frequent first
    std::vector<std::int64_t> counts;        // occurrences of each word in the corpus
    std::vector<std::int32_t> tokens;        // ids of in-vocabulary tokens, sentences back to back
    std::vector<std::size_t> sentence_ends;  // end offset in `tokens` of each sentence, increasing
    std::size_t dropped_tokens = 0;          // out-of-vocabulary tokens left out of `tokens`
};

// Collects sentences, interning every token, and then cuts the vocabulary down to what the trainer keeps.
class TokenCorpusBuilder {
public:
    // Appends one sentence; empty ones are ignored.
    void add(const std::vector<std::string_view>& tokens);
    // Distinct tokens seen so far.
    std::size_t distinct() const { return words_.size(); }
    // Tokens seen so far.
    std::size_t size() const { return ids_.size(); }
    // Keeps words seen at least `min_count` times, at most `max_vocab` of them (most frequent first, ties broken by
    // the word's bytes so the result is deterministic) and drops the other tokens. Leaves the builder empty.
    TokenCorpus finish(std::int64_t min_count, std::size_t max_vocab);

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> index_;
    std::vector<std::string> words_;
    std::vector<std::int64_t> counts_;
    std::vector<std::int32_t> ids_;
    std::vector<std::size_t> ends_;
};

}  // namespace emo::train
