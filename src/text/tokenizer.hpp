// Text normalisation and word tokenisation shared by every text feature and by word-vector pretraining.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace emo::text {

// NFKC, case-folded, typographic quotes and dashes mapped to ASCII, whitespace runs collapsed to one space.
// Invalid UTF-8 throws emo::Error (callers add the file and line).
std::string normalize(std::string_view utf8);

// True when the bytes are valid UTF-8.
bool is_valid_utf8(std::string_view bytes);

// Splits normalised text into tokens: words (letters, digits, inner apostrophes: "don't", "i'm") and punctuation
// runs ("!", "?!", "..."). Views point into `normalized`.
std::vector<std::string_view> tokenize(std::string_view normalized);

// True when the token starts with a letter or digit (a word, not punctuation).
bool is_word(std::string_view token);

}  // namespace emo::text
