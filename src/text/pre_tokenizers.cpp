#include "text/pre_tokenizers.hpp"

#include "text/tokenizer.hpp"
#include "text/tokenizer_json.hpp"
#include "text/tokenizer_regex.hpp"

#include <utf8proc.h>

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <optional>

namespace emo::text {

namespace {

using Piece = PreTokenizer::Piece;

// What becomes of the matches when a piece is cut at them (the Rust crate's SplitDelimiterBehavior).
enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

struct Range {
    std::size_t begin, end;
    bool match;
};

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

utf8proc_category_t category(char32_t c) { return utf8proc_category(static_cast<utf8proc_int32_t>(c)); }

// Rust's is_ascii_punctuation (which takes the ASCII symbols $ + < = > ^ ` | ~ too) or any Unicode punctuation.
bool is_punctuation(char32_t c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
    const auto cat = category(c);
    return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

// Rust's char::is_numeric: Nd, Nl and No.
bool is_numeric(char32_t c) {
    const auto cat = category(c);
    return cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
}

// The whole of `text` as matched and unmatched ranges, from the matches (sorted, not overlapping); `invert` swaps
// the two, as the crate's Invert pattern does.
std::vector<Range> ranges_of(std::size_t size, const std::vector<std::pair<std::size_t, std::size_t>>& matches,
                             bool invert) {
    std::vector<Range> out;
    std::size_t kept = 0;
    for (const auto& [b, e] : matches) {
        if (kept < b) out.push_back({kept, b, invert});
        out.push_back({b, e, !invert});
        kept = e;
    }
    if (kept < size || out.empty()) out.push_back({kept, size, invert});
    return out;
}

// The ranges merged as `behavior` says, folded the way the Rust crate folds them.
std::vector<Range> apply_behavior(std::vector<Range> ranges, Behavior behavior) {
    std::vector<Range> out;
    bool previous_match = false;
    switch (behavior) {
        case Behavior::Removed:
            for (const auto& r : ranges)
                if (!r.match) out.push_back(r);
            return out;
        case Behavior::Isolated:
            return ranges;
        case Behavior::MergedWithPrevious:
            for (const auto& r : ranges) {
                if (r.match && !previous_match && !out.empty())
                    out.back().end = r.end;
                else
                    out.push_back({r.begin, r.end, false});
                previous_match = r.match;
            }
            return out;
        case Behavior::MergedWithNext:
            for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
                if (it->match && !previous_match && !out.empty())
                    out.back().begin = it->begin;
                else
                    out.push_back({it->begin, it->end, false});
                previous_match = it->match;
            }
            return {out.rbegin(), out.rend()};
        case Behavior::Contiguous:
            for (const auto& r : ranges) {
                if (r.match == previous_match && !out.empty())
                    out.back().end = r.end;
                else
                    out.push_back(r);
                previous_match = r.match;
            }
            return out;
    }
    return out;
}

// Cuts every piece at its matches (found by `find`) with `behavior`, leaving out empty pieces.
void cut(std::vector<Piece>& pieces, Behavior behavior, bool invert,
         const std::function<std::vector<std::pair<std::size_t, std::size_t>>(std::string_view)>& find) {
    std::vector<Piece> out;
    for (const auto& piece : pieces) {
        const auto ranges = apply_behavior(ranges_of(piece.text.size(), find(piece.text), invert), behavior);
        for (const auto& r : ranges)
            if (r.end > r.begin)
                out.push_back({piece.text.substr(r.begin, r.end - r.begin), piece.at_start && r.begin == 0});
    }
    pieces = std::move(out);
}

// Every character for which `predicate` holds is a match of its own.
std::function<std::vector<std::pair<std::size_t, std::size_t>>(std::string_view)> each_char(
    std::function<bool(char32_t)> predicate) {
    return [predicate = std::move(predicate)](std::string_view text) {
        std::vector<std::pair<std::size_t, std::size_t>> matches;
        for_each_code_point(text, [&](char32_t c, std::size_t at, std::size_t n) {
            if (predicate(c)) matches.emplace_back(at, at + n);
        });
        return matches;
    };
}

struct CharSplit : PreTokenizer::Step {
    CharSplit(std::function<bool(char32_t)> predicate, Behavior behavior)
        : find_(each_char(std::move(predicate))), behavior_(behavior) {}
    void apply(std::vector<Piece>& pieces) const override { cut(pieces, behavior_, false, find_); }
    std::function<std::vector<std::pair<std::size_t, std::size_t>>(std::string_view)> find_;
    Behavior behavior_;
};

// \w+|[^\w\s]+ with Unicode's classes (the crate's Whitespace; the JavaScript port's \w is ASCII only): runs of word
// characters and runs of other non-space characters, white space dropped.
struct Whitespace : PreTokenizer::Step {
    void apply(std::vector<Piece>& pieces) const override {
        std::vector<Piece> out;
        for (const auto& piece : pieces) {
            int run_kind = 0;  // 0: white space, 1: word characters, 2: others
            std::size_t run_start = 0;
            const auto flush = [&](std::size_t end) {
                if (run_kind != 0 && end > run_start)
                    out.push_back({piece.text.substr(run_start, end - run_start), piece.at_start && run_start == 0});
            };
            for_each_code_point(piece.text, [&](char32_t c, std::size_t at, std::size_t) {
                const int kind = is_regex_word_char(c) ? 1 : is_unicode_white_space(c) ? 0 : 2;
                if (kind == run_kind) return;
                flush(at);
                run_kind = kind;
                run_start = at;
            });
            flush(piece.text.size());
        }
        pieces = std::move(out);
    }
};

struct Split : PreTokenizer::Step {
    Split(std::string literal, std::optional<TokenizerRegex> regex, Behavior behavior, bool invert)
        : literal_(std::move(literal)), regex_(std::move(regex)), behavior_(behavior), invert_(invert) {}
    void apply(std::vector<Piece>& pieces) const override {
        cut(pieces, behavior_, invert_, [this](std::string_view text) {
            if (regex_) return regex_->find_all(text);
            std::vector<std::pair<std::size_t, std::size_t>> matches;
            for (auto at = text.find(literal_); at != std::string_view::npos;
                 at = text.find(literal_, at + literal_.size()))
                matches.emplace_back(at, at + literal_.size());
            return matches;
        });
    }
    std::string literal_;
    std::optional<TokenizerRegex> regex_;
    Behavior behavior_;
    bool invert_;
};

// sentencepiece's word marking: every space becomes the replacement (U+2581 "▁"), which the piece is then cut
// before; the replacement is prepended as prepend_scheme says.
struct Metaspace : PreTokenizer::Step {
    enum class Prepend { Always, First, Never };
    Metaspace(char32_t replacement, Prepend prepend, bool split)
        : replacement_(replacement), prepend_(prepend), split_(split) {
        utf8proc_uint8_t buffer[4];
        const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(replacement), buffer);
        rep_.assign(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
    }
    void apply(std::vector<Piece>& pieces) const override {
        for (auto& piece : pieces) {
            std::string replaced;
            replaced.reserve(piece.text.size() + rep_.size());
            for (const char c : piece.text)
                if (c == ' ')
                    replaced += rep_;
                else
                    replaced += c;
            const bool prepend = prepend_ == Prepend::Always || (prepend_ == Prepend::First && piece.at_start);
            if (prepend && !replaced.starts_with(rep_)) replaced.insert(0, rep_);
            piece.text = std::move(replaced);
        }
        if (split_) {
            const char32_t r = replacement_;
            cut(pieces, Behavior::MergedWithNext, false, each_char([r](char32_t c) { return c == r; }));
        }
    }
    char32_t replacement_;
    std::string rep_;
    Prepend prepend_;
    bool split_;
};

Behavior behavior_of(const nlohmann::json& j, const std::string& where, const char* fallback) {
    const std::string name = j.value("behavior", std::string(fallback));
    if (name == "Removed") return Behavior::Removed;
    if (name == "Isolated") return Behavior::Isolated;
    if (name == "MergedWithPrevious") return Behavior::MergedWithPrevious;
    if (name == "MergedWithNext") return Behavior::MergedWithNext;
    if (name == "Contiguous") return Behavior::Contiguous;
    throw Error(where + ".behavior \"" + name +
                "\" is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous");
}

// The single character of a string field (Metaspace's replacement, CharDelimiterSplit's delimiter).
char32_t single_char(const nlohmann::json& j, const char* key, const std::string& where) {
    const auto& v = json_field(j, key, where);
    if (!v.is_string()) throw Error(where + "." + key + ": not a string");
    const auto s = v.get<std::string>();
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                    static_cast<utf8proc_ssize_t>(s.size()), &cp);
    if (s.empty() || n <= 0 || static_cast<std::size_t>(n) != s.size())
        throw Error(where + "." + key + ": not a single character");
    return static_cast<char32_t>(cp);
}

void read_steps(const nlohmann::json& j, const std::string& where,
                std::vector<std::shared_ptr<const PreTokenizer::Step>>& steps) {
    const auto type = json_type(j, where);
    if (type == "Sequence") {
        const auto& list = json_field(j, "pretokenizers", where);
        if (!list.is_array()) throw Error(where + ".pretokenizers: not a list");
        for (std::size_t i = 0; i < list.size(); ++i)
            read_steps(list[i], where + ".pretokenizers[" + std::to_string(i) + "]", steps);
    } else if (type == "Metaspace") {
        auto prepend = Metaspace::Prepend::Always;
        if (j.contains("prepend_scheme") && !j.at("prepend_scheme").is_null()) {
            const auto scheme = j.at("prepend_scheme").get<std::string>();
            if (scheme == "always")
                prepend = Metaspace::Prepend::Always;
            else if (scheme == "first")
                prepend = Metaspace::Prepend::First;
            else if (scheme == "never")
                prepend = Metaspace::Prepend::Never;
            else
                throw Error(where + ".prepend_scheme \"" + scheme + "\" is not always, first or never");
        }
        // The older files' add_prefix_space: false turns prepending off whatever the scheme says, as the crate does.
        if (j.contains("add_prefix_space") && j.at("add_prefix_space").is_boolean() &&
            !j.at("add_prefix_space").get<bool>())
            prepend = Metaspace::Prepend::Never;
        steps.push_back(
            std::make_shared<Metaspace>(single_char(j, "replacement", where), prepend, j.value("split", true)));
    } else if (type == "Whitespace") {
        steps.push_back(std::make_shared<Whitespace>());
    } else if (type == "WhitespaceSplit") {
        steps.push_back(std::make_shared<CharSplit>(is_unicode_white_space, Behavior::Removed));
    } else if (type == "BertPreTokenizer") {
        steps.push_back(std::make_shared<CharSplit>(is_unicode_white_space, Behavior::Removed));
        steps.push_back(std::make_shared<CharSplit>(is_punctuation, Behavior::Isolated));
    } else if (type == "Punctuation") {
        steps.push_back(std::make_shared<CharSplit>(is_punctuation, behavior_of(j, where, "Isolated")));
    } else if (type == "Digits") {
        const bool individual = j.value("individual_digits", false);
        steps.push_back(
            std::make_shared<CharSplit>(is_numeric, individual ? Behavior::Isolated : Behavior::Contiguous));
    } else if (type == "CharDelimiterSplit") {
        const char32_t delimiter = single_char(j, "delimiter", where);
        steps.push_back(
            std::make_shared<CharSplit>([delimiter](char32_t c) { return c == delimiter; }, Behavior::Removed));
    } else if (type == "Split") {
        const auto& pattern = json_field(j, "pattern", where);
        const auto behavior = behavior_of(j, where, "");
        const bool invert = j.value("invert", false);
        const auto text_of = [&](const char* key) {
            const auto& v = pattern.at(key);
            if (!v.is_string() || !is_valid_utf8(v.get<std::string>()))
                throw Error(where + ".pattern." + key + ": not a UTF-8 string");
            return v.get<std::string>();
        };
        if (pattern.is_object() && pattern.contains("String")) {
            const auto literal = text_of("String");
            if (literal.empty()) throw Error(where + ".pattern.String: empty");
            steps.push_back(std::make_shared<Split>(literal, std::nullopt, behavior, invert));
        } else if (pattern.is_object() && pattern.contains("Regex")) {
            steps.push_back(std::make_shared<Split>(std::string(), TokenizerRegex(text_of("Regex")), behavior, invert));
        } else {
            throw Error(where + ".pattern: neither {\"String\": ...} nor {\"Regex\": ...}");
        }
    } else {
        throw Error(where + ".type \"" + type +
                    "\" is not supported (expected Sequence, Metaspace, Whitespace, WhitespaceSplit, BertPreTokenizer, "
                    "Punctuation, Digits, CharDelimiterSplit or Split)");
    }
}

}  // namespace

PreTokenizer PreTokenizer::from_json(const nlohmann::json& j, const std::string& where) {
    PreTokenizer p;
    if (j.is_null()) return p;
    try {
        read_steps(j, where, p.steps_);
    } catch (const nlohmann::json::exception& e) {
        throw Error(where + ": unexpected content: " + e.what());
    }
    return p;
}

void PreTokenizer::split(std::string_view text, bool at_start, std::vector<std::string>& out) const {
    if (text.empty()) return;
    std::vector<Piece> pieces{{std::string(text), at_start}};
    for (const auto& step : steps_) step->apply(pieces);
    for (auto& p : pieces)
        if (!p.text.empty()) out.push_back(std::move(p.text));
}

}  // namespace emo::text
