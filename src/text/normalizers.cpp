#include "text/normalizers.hpp"

#include "text/tokenizer.hpp"
#include "text/tokenizer_json.hpp"
#include "text/tokenizer_regex.hpp"

#include <utf8proc.h>

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <optional>

namespace emo::text {

namespace {

void append_utf8(std::string& out, char32_t cp) {
    utf8proc_uint8_t buffer[4];
    const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

// Calls `f(code point, byte offset, byte length)` for each code point of valid UTF-8.
template <typename F>
void for_each_code_point(std::string_view s, F&& f) {
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    std::size_t at = 0;
    while (at < s.size()) {
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(p + at, static_cast<utf8proc_ssize_t>(s.size() - at), &cp);
        if (n <= 0) throw Error("invalid UTF-8");
        f(static_cast<char32_t>(cp), at, static_cast<std::size_t>(n));
        at += static_cast<std::size_t>(n);
    }
}

struct UnicodeForm : Normalizer::Step {
    explicit UnicodeForm(int options) : options_(options) {}
    void apply(std::string& text) const override {
        utf8proc_uint8_t* mapped = nullptr;
        const auto n =
            utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                         static_cast<utf8proc_ssize_t>(text.size()), &mapped, static_cast<utf8proc_option_t>(options_));
        if (n < 0) {
            std::free(mapped);
            throw Error(std::string("Unicode normalisation failed: ") + utf8proc_errmsg(n));
        }
        text.assign(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
        std::free(mapped);
    }
    int options_;
};

// Rust's char::to_lowercase, one character at a time: Unicode's simple mapping, and U+0130 (the only letter whose
// full lowercase is two characters) as "i" + U+0307.
struct Lowercase : Normalizer::Step {
    void apply(std::string& text) const override {
        std::string out;
        out.reserve(text.size());
        for_each_code_point(text, [&](char32_t c, std::size_t, std::size_t) {
            if (c == 0x130) {
                out += "i\xCC\x87";
                return;
            }
            append_utf8(out, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
        });
        text = std::move(out);
    }
};

struct Strip : Normalizer::Step {
    Strip(bool left, bool right) : left_(left), right_(right) {}
    void apply(std::string& text) const override {
        std::size_t begin = text.size(), end = 0;  // the first and past the last non-white-space character
        for_each_code_point(text, [&](char32_t c, std::size_t at, std::size_t n) {
            if (is_unicode_white_space(c)) return;
            begin = std::min(begin, at);
            end = at + n;
        });
        if (begin >= end) {
            if (left_ || right_) text.clear();  // all white space: either side takes all of it
            return;
        }
        text = text.substr(left_ ? begin : 0, (right_ ? end : text.size()) - (left_ ? begin : 0));
    }
    bool left_, right_;
};

// The Rust crate drops every mark (General_Category M: Mn, Mc, Me), usually after NFD.
struct StripAccents : Normalizer::Step {
    void apply(std::string& text) const override {
        std::string out;
        out.reserve(text.size());
        for_each_code_point(text, [&](char32_t c, std::size_t at, std::size_t n) {
            const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
            if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME) return;
            out.append(text, at, n);
        });
        text = std::move(out);
    }
};

// Every non-overlapping match, leftmost first, replaced by `content` (taken literally).
struct Replace : Normalizer::Step {
    Replace(std::string literal, std::optional<TokenizerRegex> regex, std::string content)
        : literal_(std::move(literal)), regex_(std::move(regex)), content_(std::move(content)) {}
    void apply(std::string& text) const override {
        std::string out;
        std::size_t kept = 0;
        if (regex_) {
            for (const auto& [b, e] : regex_->find_all(text)) {
                out.append(text, kept, b - kept);
                out += content_;
                kept = e;
            }
        } else {
            for (auto at = text.find(literal_); at != std::string::npos; at = text.find(literal_, kept)) {
                out.append(text, kept, at - kept);
                out += content_;
                kept = at + literal_.size();
            }
        }
        out.append(text, kept);
        text = std::move(out);
    }
    std::string literal_;
    std::optional<TokenizerRegex> regex_;
    std::string content_;
};

struct Prepend : Normalizer::Step {
    explicit Prepend(std::string prefix) : prefix_(std::move(prefix)) {}
    void apply(std::string& text) const override {
        if (!text.empty()) text.insert(0, prefix_);
    }
    std::string prefix_;
};

struct Precompiled : Normalizer::Step {
    explicit Precompiled(PrecompiledCharsmap map) : map_(std::move(map)) {}
    void apply(std::string& text) const override { text = map_.apply(text); }
    PrecompiledCharsmap map_;
};

std::string string_field(const nlohmann::json& j, const char* key, const std::string& where) {
    const auto& v = json_field(j, key, where);
    if (!v.is_string()) throw Error(where + "." + key + ": not a string");
    const auto s = v.get<std::string>();
    if (!is_valid_utf8(s)) throw Error(where + "." + key + ": not valid UTF-8");
    return s;
}

void read_steps(const nlohmann::json& j, const std::string& where,
                std::vector<std::shared_ptr<const Normalizer::Step>>& steps) {
    const auto type = json_type(j, where);
    if (type == "Sequence") {
        const auto& list = json_field(j, "normalizers", where);
        if (!list.is_array()) throw Error(where + ".normalizers: not a list");
        for (std::size_t i = 0; i < list.size(); ++i)
            read_steps(list[i], where + ".normalizers[" + std::to_string(i) + "]", steps);
    } else if (type == "NFC") {
        steps.push_back(std::make_shared<UnicodeForm>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    } else if (type == "NFD") {
        steps.push_back(std::make_shared<UnicodeForm>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE));
    } else if (type == "NFKC") {
        steps.push_back(std::make_shared<UnicodeForm>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
    } else if (type == "NFKD") {
        steps.push_back(std::make_shared<UnicodeForm>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT));
    } else if (type == "Lowercase") {
        steps.push_back(std::make_shared<Lowercase>());
    } else if (type == "Strip") {
        steps.push_back(std::make_shared<Strip>(j.value("strip_left", true), j.value("strip_right", true)));
    } else if (type == "StripAccents") {
        steps.push_back(std::make_shared<StripAccents>());
    } else if (type == "Replace") {
        const auto& pattern = json_field(j, "pattern", where);
        const auto content = string_field(j, "content", where);
        if (pattern.is_object() && pattern.contains("String")) {
            const auto literal = string_field(pattern, "String", where + ".pattern");
            if (literal.empty()) throw Error(where + ".pattern.String: empty");
            steps.push_back(std::make_shared<Replace>(literal, std::nullopt, content));
        } else if (pattern.is_object() && pattern.contains("Regex")) {
            TokenizerRegex regex(string_field(pattern, "Regex", where + ".pattern"));
            steps.push_back(std::make_shared<Replace>(std::string(), std::move(regex), content));
        } else {
            throw Error(where + ".pattern: neither {\"String\": ...} nor {\"Regex\": ...}");
        }
    } else if (type == "Prepend") {
        steps.push_back(std::make_shared<Prepend>(string_field(j, "prepend", where)));
    } else if (type == "Precompiled") {
        const auto& map = json_field(j, "precompiled_charsmap", where);
        if (map.is_null()) return;  // no map: the identity
        if (!map.is_string()) throw Error(where + ".precompiled_charsmap: not a base64 string");
        const auto field = where + ".precompiled_charsmap";
        steps.push_back(
            std::make_shared<Precompiled>(PrecompiledCharsmap(decode_base64(map.get<std::string>(), field), field)));
    } else {
        throw Error(where + ".type \"" + type +
                    "\" is not supported (expected Sequence, NFC, NFD, NFKC, NFKD, Lowercase, Strip, StripAccents, "
                    "Replace, Prepend or Precompiled)");
    }
}

// The fields of one darts-clone unit (a 32-bit word of the double array).
bool unit_has_leaf(std::uint32_t u) { return ((u >> 8) & 1) != 0; }
std::uint32_t unit_value(std::uint32_t u) { return u & 0x7FFFFFFFu; }
std::uint32_t unit_label(std::uint32_t u) { return u & (0x80000000u | 0xFFu); }
std::uint32_t unit_offset(std::uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); }

}  // namespace

Normalizer Normalizer::from_json(const nlohmann::json& j, const std::string& where) {
    Normalizer n;
    if (j.is_null()) return n;
    try {
        read_steps(j, where, n.steps_);
    } catch (const nlohmann::json::exception& e) {
        throw Error(where + ": unexpected content: " + e.what());
    }
    return n;
}

std::string Normalizer::apply(std::string_view text) const {
    std::string s(text);
    for (const auto& step : steps_) step->apply(s);
    return s;
}

std::string decode_base64(std::string_view text, const std::string& where) {
    const auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    if (text.size() % 4 == 1) throw Error(where + ": not base64 (a lone character at the end)");
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t bits = 0;
    int count = 0;
    for (const char c : text) {
        const int v = value(c);
        if (v < 0) throw Error(where + ": not base64 (character '" + std::string(1, c) + "')");
        bits = (bits << 6) | static_cast<std::uint32_t>(v);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xFF);
        }
    }
    return out;
}

PrecompiledCharsmap::PrecompiledCharsmap(std::string_view bytes, std::string where) : where_(std::move(where)) {
    if (bytes.empty()) return;
    if (bytes.size() < 4)
        throw Error(where_ + ": " + std::to_string(bytes.size()) + " bytes, too short for its header");
    const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])); };
    const std::uint32_t trie_size = byte(0) | byte(1) << 8 | byte(2) << 16 | byte(3) << 24;
    if (trie_size % 4 != 0) throw Error(where_ + ": trie size " + std::to_string(trie_size) + " is not whole units");
    if (trie_size > bytes.size() - 4)
        throw Error(where_ + ": trie size " + std::to_string(trie_size) + " is beyond the map's " +
                    std::to_string(bytes.size() - 4) + " bytes");
    units_.resize(trie_size / 4);
    for (std::size_t i = 0; i < units_.size(); ++i) {
        const std::size_t at = 4 + 4 * i;
        units_[i] = byte(at) | byte(at + 1) << 8 | byte(at + 2) << 16 | byte(at + 3) << 24;
    }
    pool_.assign(bytes.substr(4 + trie_size));
}

bool PrecompiledCharsmap::transform(std::string_view s, std::string_view& replacement) const {
    if (units_.empty()) return false;
    const auto unit = [&](std::size_t pos) {
        if (pos >= units_.size())
            throw Error(where_ + ": the trie points to unit " + std::to_string(pos) + " of its " +
                        std::to_string(units_.size()));
        return units_[pos];
    };
    std::size_t pos = unit_offset(unit(0));
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0) break;  // keys never hold a NUL
        pos ^= c;
        const auto u = unit(pos);
        if (unit_label(u) != c) return false;
        pos ^= unit_offset(u);
        if (!unit_has_leaf(u)) continue;
        const auto value = unit_value(unit(pos));
        if (value >= pool_.size())
            throw Error(where_ + ": a replacement at byte " + std::to_string(value) + " is beyond the " +
                        std::to_string(pool_.size()) + "-byte pool");
        const auto end = pool_.find('\0', value);
        replacement = std::string_view(pool_).substr(value, (end == std::string::npos ? pool_.size() : end) - value);
        if (!is_valid_utf8(replacement))
            throw Error(where_ + ": the replacement at byte " + std::to_string(value) + " is not valid UTF-8");
        return true;  // the first (shortest) key, as the Rust crate takes
    }
    return false;
}

std::string PrecompiledCharsmap::apply(std::string_view text) const {
    if (units_.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size());
    // One grapheme at a time (utf8proc's extended grapheme clusters, as Rust's unicode-segmentation).
    std::size_t grapheme_start = 0;
    utf8proc_int32_t state = 0, previous = -1;
    std::vector<std::pair<std::size_t, std::size_t>> chars;  // the grapheme's characters: offset, length
    const auto flush = [&](std::size_t end) {
        if (end == grapheme_start) return;
        const auto grapheme = text.substr(grapheme_start, end - grapheme_start);
        std::string_view replacement;
        if (grapheme.size() < 6 && transform(grapheme, replacement)) {
            out += replacement;
        } else {
            for (const auto& [at, n] : chars) {
                const auto ch = text.substr(at, n);
                out += transform(ch, replacement) ? replacement : ch;
            }
        }
        chars.clear();
        grapheme_start = end;
    };
    for_each_code_point(text, [&](char32_t c, std::size_t at, std::size_t n) {
        const auto cp = static_cast<utf8proc_int32_t>(c);
        if (previous >= 0 && utf8proc_grapheme_break_stateful(previous, cp, &state)) flush(at);
        chars.emplace_back(at, n);
        previous = cp;
    });
    flush(text.size());
    return out;
}

}  // namespace emo::text
