// The normalizers of a Hugging Face tokenizer.json, as a small pipeline the Unigram and WordLevel tokenizers share:
// Sequence, NFC, NFD, NFKC, NFKD, Lowercase, Strip, StripAccents, Replace (a string or one of the regular
// expressions tokenizer_regex knows), Prepend and Precompiled (sentencepiece's compiled character map). Each does
// what the Rust tokenizers crate's normalizer of the same name does to the text (offsets are not tracked).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace emo::text {

class Normalizer {
public:
    // One step of the pipeline (defined in the .cpp).
    struct Step {
        virtual ~Step() = default;
        virtual void apply(std::string& text) const = 0;
    };

    // The identity (tokenizer.json's null normalizer).
    Normalizer() = default;
    // Reads a normalizer object (or null); unknown types and malformed settings throw emo::Error naming `where` and
    // the field.
    static Normalizer from_json(const nlohmann::json& j, const std::string& where);

    // The normalised form of valid UTF-8 `text`; a Precompiled map that points outside itself throws emo::Error.
    std::string apply(std::string_view text) const;
    bool is_identity() const { return steps_.empty(); }

private:
    std::vector<std::shared_ptr<const Step>> steps_;
};

// sentencepiece's precompiled_charsmap, decoded from base64: a little-endian uint32 byte size of the trie, the
// darts-clone double array of that size, then the pool of NUL-terminated replacements. Every read is bounds-checked:
// a map that points outside itself throws emo::Error naming `where`.
class PrecompiledCharsmap {
public:
    // An empty `bytes` is the identity map.
    PrecompiledCharsmap(std::string_view bytes, std::string where);

    // The text as the Rust crate's Precompiled normalizer maps it: each grapheme shorter than 6 bytes replaced as a
    // whole when a key of the map starts it (the first, shortest such key), the characters of other graphemes one
    // by one; what no key starts is kept.
    std::string apply(std::string_view text) const;

private:
    // The replacement for the first key that is a prefix of `s`, or false.
    bool transform(std::string_view s, std::string_view& replacement) const;

    std::vector<std::uint32_t> units_;
    std::string pool_;
    std::string where_;
};

// RFC 4648 base64 (padding optional, no white space); anything else throws emo::Error naming `where`.
std::string decode_base64(std::string_view text, const std::string& where);

}  // namespace emo::text
