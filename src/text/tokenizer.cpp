#include "text/tokenizer.hpp"

#include <emo/emo.hpp>
#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace emo::text {

bool is_valid_utf8(std::string_view bytes) {
    auto p = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(bytes.size());
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 0) return false;
        p += n;
        left -= n;
    }
    return true;
}

namespace {

// Typographic characters that NFKC keeps but that carry the same meaning as their ASCII forms in chat text.
const char* ascii_for(utf8proc_int32_t cp) {
    switch (cp) {
        case 0x2018: case 0x2019: case 0x201B: case 0x2032: case 0x0060: case 0x00B4: return "'";
        case 0x201C: case 0x201D: case 0x201F: case 0x2033: return "\"";
        case 0x2013: case 0x2014: case 0x2015: case 0x2212: return "-";
        case 0x2026: return "...";
        default: return nullptr;
    }
}

bool is_space(utf8proc_int32_t cp) {
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') return true;
    auto cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

bool is_alnum(utf8proc_int32_t cp) {
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    auto cat = utf8proc_category(cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

utf8proc_int32_t decode_at(std::string_view s, std::size_t i, std::size_t* length) {
    utf8proc_int32_t cp = -1;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    *length = n > 0 ? static_cast<std::size_t>(n) : 1;
    return n > 0 ? cp : -1;
}

}  // namespace

std::string normalize(std::string_view utf8) {
    if (!is_valid_utf8(utf8)) throw Error("invalid UTF-8");
    std::string out;
    out.reserve(utf8.size());
    bool ascii = true;
    for (unsigned char c : utf8) ascii = ascii && c < 0x80;
    bool pending_space = false;
    auto emit_char = [&](char c) {
        if (c == ' ') {
            pending_space = !out.empty();
            return;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    };
    if (ascii) {  // fast path: most chat text is ASCII, where NFKC is the identity
        for (unsigned char c : utf8) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') emit_char(' ');
            else if (c < 0x20 || c == 0x7f) continue;
            else emit_char(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c == '`' ? '\'' : c));
        }
        return out;
    }
    utf8proc_uint8_t* mapped = nullptr;
    auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                          static_cast<utf8proc_ssize_t>(utf8.size()), &mapped,
                          static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                         UTF8PROC_STRIPCC | UTF8PROC_IGNORE));
    if (n < 0) throw Error(std::string("cannot normalise text: ") + utf8proc_errmsg(n));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
    std::string_view folded(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < folded.size();) {
        std::size_t len;
        auto cp = decode_at(folded, i, &len);
        if (is_space(cp)) {
            emit_char(' ');
        } else if (const char* a = ascii_for(cp)) {
            for (const char* c = a; *c; ++c) emit_char(*c);
        } else {
            if (pending_space) out.push_back(' ');
            pending_space = false;
            out.append(folded.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::vector<std::string_view> tokenize(std::string_view s) {
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t len;
        auto cp = decode_at(s, i, &len);
        if (is_space(cp)) {
            i += len;
            continue;
        }
        std::size_t start = i;
        if (is_alnum(cp)) {
            // A word: alphanumerics, with apostrophes kept only between two alphanumerics ("don't", not "'cause").
            i += len;
            while (i < s.size()) {
                auto c = decode_at(s, i, &len);
                if (is_alnum(c)) {
                    i += len;
                } else if (c == '\'' && i + 1 < s.size()) {
                    std::size_t next_len;
                    if (!is_alnum(decode_at(s, i + 1, &next_len))) break;
                    i += 1;
                } else {
                    break;
                }
            }
        } else {
            // Punctuation: a run of sentence marks ("!!!", "?!", "...") is one token, as is a run of one repeated
            // symbol ("--"); anything else (quotes, brackets) stands alone, so `!"` in a novel and `!` in a chat
            // give the same "!" token.
            auto is_mark = [](utf8proc_int32_t c) { return c == '!' || c == '?' || c == '.'; };
            const bool mark = is_mark(cp);
            i += len;
            while (i < s.size()) {
                auto c = decode_at(s, i, &len);
                if (mark ? !is_mark(c) : c != cp) break;
                i += len;
            }
        }
        tokens.emplace_back(s.substr(start, i - start));
    }
    return tokens;
}

bool is_word(std::string_view token) {
    if (token.empty()) return false;
    std::size_t len;
    return is_alnum(decode_at(token, 0, &len));
}

}  // namespace emo::text
