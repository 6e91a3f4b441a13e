// The regular expressions of tokenizer.json (Replace and Split patterns), which the Rust tokenizers crate runs with
// Oniguruma: a small backtracking matcher over code points with the same leftmost-first priorities. It knows what
// the patterns of real tokenizers use: literals and escapes, ".", classes with ranges, \s \S \w \W \d \D, \p{..} /
// \P{..} of general categories, groups (capturing ones only group), (?i: ...), (?= ...), (?! ...), alternation,
// greedy and lazy quantifiers, ^ and $. Anything else is refused when the pattern is compiled, naming the construct.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emo::text {

class TokenizerRegex {
public:
    // Compiles `pattern` (UTF-8); an unsupported or malformed pattern throws emo::Error naming it.
    explicit TokenizerRegex(const std::string& pattern);
    ~TokenizerRegex();
    TokenizerRegex(const TokenizerRegex&);
    TokenizerRegex& operator=(const TokenizerRegex&);

    // The non-overlapping matches in valid UTF-8 `text`, leftmost first, as byte ranges [begin, end); an empty match
    // moves the search one character on.
    std::vector<std::pair<std::size_t, std::size_t>> find_all(std::string_view text) const;

    struct Node;  // one piece of the parsed pattern (defined in the .cpp)

private:
    std::vector<Node> nodes_;
    int root_ = 0;
};

// \w of the regex engines the Rust crate uses (Unicode's Alphabetic, marks, decimal digits, connector punctuation,
// joiners): the word characters of the Whitespace pre-tokenizer and of single_word added tokens.
bool is_regex_word_char(char32_t c);

}  // namespace emo::text
