#include "text/pipeline_tokenizer.hpp"

#include "text/tokenizer.hpp"
#include "text/tokenizer_json.hpp"
#include "text/tokenizer_regex.hpp"

#include <utf8proc.h>

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace emo::text {

namespace {

// The code point starting at byte `i` of valid UTF-8, and its length.
char32_t code_point_at(std::string_view s, std::size_t i, std::size_t* length = nullptr) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (length) *length = n > 0 ? static_cast<std::size_t>(n) : 1;
    return static_cast<char32_t>(cp);
}

std::size_t previous_start(std::string_view s, std::size_t end) {
    std::size_t i = end - 1;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return i;
}

}  // namespace

void PipelineTokenizer::read_pipeline(const nlohmann::json& config, const std::string& origin) {
    const auto member = [&](const char* key) { return config.contains(key) ? config.at(key) : nlohmann::json(); };
    normalizer_ = Normalizer::from_json(member("normalizer"), origin + ": normalizer");
    pre_tokenizer_ = PreTokenizer::from_json(member("pre_tokenizer"), origin + ": pre_tokenizer");

    const auto& added = member("added_tokens");
    if (!added.is_null()) {
        const std::string where = origin + ": added_tokens";
        if (!added.is_array()) throw Error(where + ": not a list");
        for (const auto& entry : added) {
            AddedToken a;
            const auto& content = json_field(entry, "content", where);
            if (!content.is_string()) throw Error(where + ": a content that is not a string");
            a.content = content.get<std::string>();
            if (a.content.empty()) throw Error(where + ": an empty token");
            if (!is_valid_utf8(a.content)) throw Error(where + ": a token is not valid UTF-8");
            a.single_word = entry.value("single_word", false);
            a.lstrip = entry.value("lstrip", false);
            a.rstrip = entry.value("rstrip", false);
            a.normalized = entry.value("normalized", !entry.value("special", false));
            const auto in_vocab = vocab_.find(a.content);
            if (entry.contains("id")) {
                const auto& id = entry.at("id");
                if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > INT32_MAX)
                    throw Error(where + ": the id of \"" + a.content + "\" is not an integer from 0");
                a.id = static_cast<std::int32_t>(id.get<std::int64_t>());
            } else if (in_vocab != vocab_.end()) {
                a.id = in_vocab->second;
            } else {
                throw Error(where + ": \"" + a.content + "\" has no id and is not in the vocabulary");
            }
            // Tokens beyond the model's vocabulary extend it; one that is in it must keep its id there.
            const auto i = static_cast<std::size_t>(a.id);
            if (i >= tokens_.size()) {
                if (i > tokens_.size() + added.size())
                    throw Error(where + ": id " + std::to_string(i) + " of \"" + a.content +
                                "\" leaves a gap after the vocabulary");
                tokens_.resize(i + 1);
            }
            if (!tokens_[i].empty() && tokens_[i] != a.content)
                throw Error(where + ": id " + std::to_string(i) + " of \"" + a.content + "\" is \"" + tokens_[i] +
                            "\" in the vocabulary");
            tokens_[i] = a.content;
            // Those matched after normalisation are looked for in their normalised form.
            if (a.normalized) a.content = normalizer_.apply(a.content);
            if (!a.content.empty()) added_.push_back(std::move(a));
        }
    }
    post_ = post_processor_from_json(member("post_processor"), origin, tokens_);
}

std::vector<PipelineTokenizer::Segment> PipelineTokenizer::split_added(std::vector<Segment> segments,
                                                                       bool normalized) const {
    if (std::none_of(added_.begin(), added_.end(), [&](const auto& a) { return a.normalized == normalized; }))
        return segments;
    std::vector<Segment> out;
    for (auto& segment : segments) {
        if (segment.id >= 0) {
            out.push_back(std::move(segment));
            continue;
        }
        const std::string_view s = segment.text;
        const auto plain = [&](std::size_t begin, std::size_t end) {
            out.push_back({std::string(s.substr(begin, end - begin)), -1, segment.at_start && begin == 0});
        };
        const auto ends_with_word = [&](std::size_t end) {
            return end > 0 && is_regex_word_char(code_point_at(s, previous_start(s, end)));
        };
        const auto starts_with_word = [&](std::size_t start) {
            return start < s.size() && is_regex_word_char(code_point_at(s, start));
        };
        std::size_t kept = 0;  // where the text not yet given to `out` starts
        for (std::size_t pos = 0; pos < s.size();) {
            // The leftmost match, and the longest token there (the crate's leftmost-longest search).
            const AddedToken* best = nullptr;
            for (const auto& a : added_)
                if (a.normalized == normalized && (!best || a.content.size() > best->content.size()) &&
                    s.substr(pos).starts_with(a.content))
                    best = &a;
            if (!best) {
                ++pos;
                continue;
            }
            std::size_t start = pos, stop = pos + best->content.size();
            pos = stop;
            // A token that must be a word of its own is passed over (its text stays plain) inside a word.
            if (best->single_word && (ends_with_word(start) || starts_with_word(stop))) continue;
            if (best->lstrip) {
                while (start > kept) {
                    const auto prev = previous_start(s, start);
                    if (!is_unicode_white_space(code_point_at(s, prev))) break;
                    start = prev;
                }
            }
            if (best->rstrip) {
                for (std::size_t n = 0; stop < s.size() && is_unicode_white_space(code_point_at(s, stop, &n));)
                    stop += n;
            }
            if (kept < start) plain(kept, start);
            out.push_back({std::string(s.substr(start, stop - start)), best->id, false});
            kept = pos = stop;
        }
        if (kept < s.size()) plain(kept, s.size());
    }
    return out;
}

void PipelineTokenizer::append_id(std::int32_t id, TokenIds& out) const {
    out.ids.push_back(id);
    out.tokens.push_back(tokens_[static_cast<std::size_t>(id)]);
}

std::vector<std::string> PipelineTokenizer::pre_tokenize(std::string_view text) const {
    if (!is_valid_utf8(text)) throw Error("invalid UTF-8");
    std::vector<std::string> out;
    pre_tokenizer_.split(normalizer_.apply(text), true, out);
    return out;
}

TokenIds PipelineTokenizer::encode_plain(std::string_view text) const {
    if (!is_valid_utf8(text)) throw Error("invalid UTF-8");
    // As the Rust crate: added tokens matched in the raw text, the rest normalised and searched for the normalised
    // added tokens, then pre-tokenised and given to the model piece by piece.
    auto segments = split_added({{std::string(text), -1, true}}, false);
    if (!normalizer_.is_identity())
        for (auto& s : segments)
            if (s.id < 0) s.text = normalizer_.apply(s.text);
    segments = split_added(std::move(segments), true);
    TokenIds out;
    std::vector<std::string> words;
    for (const auto& s : segments) {
        if (s.id >= 0) {
            append_id(s.id, out);
            continue;
        }
        words.clear();
        pre_tokenizer_.split(s.text, s.at_start, words);
        for (const auto& w : words) encode_word(w, out);
    }
    return out;
}

}  // namespace emo::text
