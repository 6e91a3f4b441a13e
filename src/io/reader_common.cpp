// Shared by the conversation readers: text helpers, UTF-8 and field checks, and the conversation builder.
#include "io/reader_common.hpp"

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

namespace emo::io {

std::string_view trim(std::string_view s) {
    constexpr std::string_view space = " \t\r\n\f\v";
    const auto first = s.find_first_not_of(space);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(space) - first + 1);
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}

std::string place(const std::string& name, std::size_t line) { return name + ":" + std::to_string(line); }

void fail(const std::string& source, const std::string& what) { throw Error(source + ": " + what); }

// ASCII runs take the fast path: most input is ASCII.
std::size_t valid_utf8_prefix(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else return i;
        if (n - i < len || p[i + 1] < lo || p[i + 1] > hi) return i;
        for (std::size_t k = 2; k < len; ++k)
            if ((p[i + k] & 0xC0) != 0x80) return i;
        i += len;
    }
    return n;
}

bool valid_utf8(std::string_view s) { return valid_utf8_prefix(s) == s.size(); }

std::string field_text(std::string_view value, const std::string& source, const std::string& column) {
    if (!valid_utf8(value)) fail(source, "invalid UTF-8 in column " + column);
    return std::string(trim(value));
}

std::string checked_text(std::string_view value, const std::string& source, const std::string& column) {
    std::string text = field_text(value, source, column);
    if (text.empty()) fail(source, "empty utterance");
    return text;
}

std::string shorten(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // keep whole characters
    return std::string(s.substr(0, cut)) + "...";
}

std::optional<double> parse_order(std::string_view value, const std::string& source, const std::string& column) {
    const std::string text = field_text(value, source, column);
    if (text.empty()) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
        fail(source, column + " is not a number: \"" + shorten(text, 40) + "\"");
    return v;
}

void ConversationBuilder::add(const std::string& id, std::optional<double> order, Utterance utterance) {
    if (id.empty()) {
        dialogues_.push_back({});
        dialogues_.back().utterances.push_back(std::move(utterance));
        return;
    }
    Dialogue& d = dialogues_[touch(id)];
    // A record without an id stays right behind the record before it in the file.
    const double key = order ? *order
                       : d.keys.empty() ? -std::numeric_limits<double>::infinity()
                                        : d.keys.back();
    if (!d.keys.empty() && key < d.keys.back()) d.unsorted = true;
    d.keys.push_back(key);
    d.utterances.push_back(std::move(utterance));
}

std::size_t ConversationBuilder::touch(const std::string& id) {
    auto [it, inserted] = index_.try_emplace(id, dialogues_.size());
    if (inserted) dialogues_.push_back({id, {}, {}, false});
    return it->second;
}

std::vector<Conversation> ConversationBuilder::finish() {
    std::vector<Conversation> out;
    out.reserve(dialogues_.size());
    for (Dialogue& d : dialogues_) {
        Conversation c;
        c.id = std::move(d.id);
        if (!d.unsorted) {
            c.utterances = std::move(d.utterances);
        } else {
            // Sorting positions rather than utterances keeps the sort cheap for long dialogues.
            std::vector<std::size_t> order(d.keys.size());
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t a, std::size_t b) { return d.keys[a] < d.keys[b]; });
            c.utterances.reserve(order.size());
            for (std::size_t i : order) c.utterances.push_back(std::move(d.utterances[i]));
        }
        out.push_back(std::move(c));
    }
    return out;
}

void Reader::add_error(const std::string& id, const std::string& source, const std::string& message) {
    if (policy == ErrorPolicy::fail) throw Error(message);
    Utterance u;
    u.source = source;
    u.error = message;
    builder.add(id, std::nullopt, std::move(u));
}

std::string slurp(std::istream& in, const std::string& name) {
    std::string data;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer), in.gcount() > 0) data.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) throw Error(name + ": read error");
    return data;
}

std::string read_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw Error("cannot open " + path + ": it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open " + path + ": " + std::strerror(errno));
    return slurp(in, path);
}

std::string json_error_text(std::string_view what) {
    // nlohmann's messages start "[json.exception.<kind>.<id>] "; the reader's own words say enough.
    if (what.rfind("[json.exception.", 0) == 0)
        if (const auto close = what.find("] "); close != std::string_view::npos) what.remove_prefix(close + 2);
    const auto column = what.find("column ");
    if (column != std::string_view::npos) {
        const auto colon = what.find(": ", column);
        if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
    }
    return "invalid JSON: " + shorten(what, 200);
}

}  // namespace emo::io
