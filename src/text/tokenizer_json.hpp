// What the checkpoint tokenizers (WordPiece, BPE) share in reading tokenizer.json and classifying characters.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace emo::text {

// The member `key` of object `j`; emo::Error "WHERE: no \"KEY\"" otherwise.
const nlohmann::json& json_field(const nlohmann::json& j, const char* key, const std::string& where);
// The string member "type" of `j` (a normalizer, pre-tokenizer, model ...); emo::Error naming `where` otherwise.
std::string json_type(const nlohmann::json& j, const std::string& where);

// Unicode's White_Space property (Rust's char::is_whitespace, and \s of the regex engines the Rust crate uses).
bool is_unicode_white_space(char32_t c);

}  // namespace emo::text
