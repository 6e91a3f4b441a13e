// Conversation readers: generic CSV / JSONL / JSON and the MELD, EmoryNLP and DailyDialog layouts.
#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "emo/emo.hpp"
#include "io/csv.hpp"

namespace emo {
namespace io {
namespace {

using nlohmann::json;

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

// Every record error carries "file:line: what", the same text under both error policies.
[[noreturn]] void fail(const std::string& source, const std::string& what) { throw Error(source + ": " + what); }

// Length of the longest valid UTF-8 prefix (no overlongs, surrogates or code points past U+10FFFF), so that errors
// can name the line of the first bad byte. ASCII runs take the fast path: most input is ASCII.
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

// A field's value, trimmed, after checking that it is UTF-8.
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

// utterance_id as a number; empty means the record has none.
std::optional<double> parse_order(std::string_view value, const std::string& source, const std::string& column) {
    const std::string text = field_text(value, source, column);
    if (text.empty()) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
        fail(source, column + " is not a number: \"" + shorten(text, 40) + "\"");
    return v;
}

// Groups records into conversations in order of first appearance, then orders each by utterance_id.
class ConversationBuilder {
    struct Dialogue {
        std::string id;
        std::vector<Utterance> utterances;
        std::vector<double> keys;  // utterance_id, or the key of the record before it when the record has none
        bool unsorted = false;
    };

public:
    // Adds an utterance to dialogue `id`; an empty id (unreadable) gives the record a conversation "" of its own.
    void add(const std::string& id, std::optional<double> order, Utterance utterance) {
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

    // Creates dialogue `id` when new, so that a dialogue without utterances still appears; returns its index.
    std::size_t touch(const std::string& id) {
        auto [it, inserted] = index_.try_emplace(id, dialogues_.size());
        if (inserted) dialogues_.push_back({id, {}, {}, false});
        return it->second;
    }

    // The conversations, each sorted (stably) by utterance_id where it was out of order.
    std::vector<Conversation> finish() {
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

private:
    std::vector<Dialogue> dialogues_;
    std::unordered_map<std::string, std::size_t> index_;
};

// What one record yields; parsers fill fields only once they are valid, so a failed record keeps what was readable.
struct Parsed {
    std::string dialogue_id;
    std::optional<double> order;
    Utterance utterance;
};

struct Reader {
    std::string name;
    ErrorPolicy policy;
    ConversationBuilder builder;

    // Runs `parse` on one record. A bad record throws under fail; under skip it stays as an utterance with `error`.
    template <class Parse>
    void record(std::string source, Parse&& parse) {
        Parsed p;
        p.utterance.source = std::move(source);
        try {
            parse(p);
        } catch (const Error& e) {
            if (policy == ErrorPolicy::fail) throw;
            Utterance u;
            u.speaker = std::move(p.utterance.speaker);
            u.text = std::move(p.utterance.text);
            u.source = std::move(p.utterance.source);
            u.error = e.what();
            builder.add(p.dialogue_id, p.order, std::move(u));
            return;
        }
        builder.add(p.dialogue_id, p.order, std::move(p.utterance));
    }

    // Keeps an unreadable record (dialogue `id`, "" when unknown) under skip; throws under fail.
    void add_error(const std::string& id, const std::string& source, const std::string& message) {
        if (policy == ErrorPolicy::fail) throw Error(message);
        Utterance u;
        u.source = source;
        u.error = message;
        builder.add(id, std::nullopt, std::move(u));
    }
};

// ----- CSV layouts ---------------------------------------------------------------------------------------------

enum Column { dialogue_col, speaker_col, text_col, label_col, sentiment_col, order_col, season_col, episode_col,
              scene_col, column_count };

struct ColumnSpec {
    Column column;
    const char* name;  // lower case; headers match case-insensitively
    bool required;
};

std::vector<ColumnSpec> layout_of(InputFormat format) {
    switch (format) {
        case InputFormat::meld:
            return {{text_col, "utterance", true},  {speaker_col, "speaker", true},
                    {label_col, "emotion", false},  {sentiment_col, "sentiment", false},
                    {dialogue_col, "dialogue_id", true}, {order_col, "utterance_id", false}};
        case InputFormat::emorynlp:
            return {{text_col, "utterance", true}, {speaker_col, "speaker", true}, {label_col, "emotion", false},
                    {scene_col, "scene_id", true}, {order_col, "utterance_id", false},
                    {season_col, "season", true},  {episode_col, "episode", true}};
        default:
            return {{dialogue_col, "dialogue_id", true}, {speaker_col, "speaker", true}, {text_col, "text", true},
                    {label_col, "label", false}, {sentiment_col, "sentiment", false},
                    {order_col, "utterance_id", false}};
    }
}

// EmoryNLP writes speakers as a Python list, "['Monica Geller', 'Ross Geller']"; we want "Monica Geller, Ross Geller".
std::string emory_speaker(std::string_view s) {
    s = trim(s);
    if (s.size() < 2 || s.front() != '[' || s.back() != ']') return std::string(s);
    s = s.substr(1, s.size() - 2);
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ',' || s[i] == ' ')) ++i;
        if (i == s.size()) break;
        std::string name;
        if (s[i] == '\'' || s[i] == '"') {
            const char quote = s[i++];
            for (; i < s.size() && s[i] != quote; ++i) {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                name.push_back(s[i]);
            }
            ++i;
        } else {
            const std::size_t end = std::min(s.find(',', i), s.size());
            name = s.substr(i, end - i);
            i = end;
        }
        if (!out.empty()) out += ", ";
        out += trim(name);
    }
    return out;
}

void read_csv_layout(Reader& r, std::string_view data, InputFormat format) {
    CsvReader csv(data, r.name);
    CsvRecord header;
    if (!csv.next(header)) throw Error(r.name + ": empty input");

    std::array<int, column_count> index;
    std::array<std::string, column_count> column_name;  // as the header spells it, for messages
    index.fill(-1);
    std::string missing;
    for (const ColumnSpec& spec : layout_of(format)) {
        for (std::size_t i = 0; i < header.fields.size() && index[spec.column] < 0; ++i) {
            if (lower(trim(header.fields[i])) != spec.name) continue;
            index[spec.column] = static_cast<int>(i);
            column_name[spec.column] = std::string(trim(header.fields[i]));
        }
        if (index[spec.column] < 0 && spec.required) missing += (missing.empty() ? "" : ", ") + std::string(spec.name);
    }
    if (!missing.empty()) fail(place(r.name, header.line), "missing column(s) " + missing);
    const std::size_t width = header.fields.size();

    CsvRecord row;
    for (;;) {
        try {
            if (!csv.next(row)) break;
        } catch (const Error& e) {
            r.add_error("", place(r.name, row.line), e.what());
            continue;
        }
        const auto& f = row.fields;
        auto has = [&](Column c) { return index[c] >= 0 && static_cast<std::size_t>(index[c]) < f.size(); };
        auto value = [&](Column c) -> std::string_view { return has(c) ? std::string_view(f[index[c]]) : ""; };
        auto id_part = [&](Column c, const std::string& source) {
            std::string part = field_text(value(c), source, column_name[c]);
            if (part.empty()) fail(source, "empty " + column_name[c]);
            return part;
        };
        r.record(place(r.name, row.line), [&](Parsed& p) {
            const std::string& source = p.utterance.source;
            // The dialogue comes first so that even a short row, when skipped, lands in its dialogue.
            if (format == InputFormat::emorynlp) {
                if (has(season_col) && has(episode_col) && has(scene_col))
                    p.dialogue_id = id_part(season_col, source) + "_" + id_part(episode_col, source) + "_" +
                                    id_part(scene_col, source);
            } else if (has(dialogue_col)) {
                p.dialogue_id = id_part(dialogue_col, source);
            }
            // Rows longer than the header are accepted: trailing extra fields are common in exports and harmless.
            if (f.size() < width)
                fail(source, "expected " + std::to_string(width) + " fields, found " + std::to_string(f.size()));
            if (has(order_col)) p.order = parse_order(value(order_col), source, column_name[order_col]);
            std::string speaker = field_text(value(speaker_col), source, column_name[speaker_col]);
            p.utterance.speaker = format == InputFormat::emorynlp ? emory_speaker(speaker) : std::move(speaker);
            p.utterance.text = checked_text(value(text_col), source, column_name[text_col]);
            if (has(label_col)) p.utterance.label = field_text(value(label_col), source, column_name[label_col]);
            if (has(sentiment_col))
                p.utterance.sentiment = field_text(value(sentiment_col), source, column_name[sentiment_col]);
        });
    }
}

// ----- JSON and JSONL ------------------------------------------------------------------------------------------

// "invalid JSON: <what nlohmann says>", without its own position (relative to the parsed piece) and kept short.
std::string json_error_text(std::string_view what) {
    const auto column = what.find("column ");
    if (column != std::string_view::npos) {
        const auto colon = what.find(": ", column);
        if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
    }
    return "invalid JSON: " + shorten(what, 200);
}

std::string json_id(const json& value, const std::string& source, const char* field) {
    std::string id;
    if (value.is_string()) id = std::string(trim(value.get_ref<const std::string&>()));
    else if (value.is_number_integer() || value.is_number_unsigned() || value.is_number_float()) id = value.dump();
    else fail(source, std::string(field) + " must be a string or a number");
    if (id.empty()) fail(source, std::string("empty ") + field);
    return id;
}

std::string json_string(const json& object, const char* field, const std::string& source) {
    const auto it = object.find(field);
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_string()) fail(source, std::string(field) + " must be a string");
    return std::string(trim(it->get_ref<const std::string&>()));
}

// Fills an utterance from a JSON object: speaker, text, label, sentiment, utterance_id (strings are valid UTF-8:
// the JSON parser checks them).
void json_utterance(const json& object, Parsed& p) {
    const std::string& source = p.utterance.source;
    if (!object.is_object()) fail(source, "expected a JSON object for the utterance");
    if (const auto it = object.find("utterance_id"); it != object.end() && !it->is_null()) {
        if (it->is_number()) p.order = it->get<double>();
        else if (it->is_string()) p.order = parse_order(it->get_ref<const std::string&>(), source, "utterance_id");
        else fail(source, "utterance_id must be a string or a number");
    }
    p.utterance.speaker = json_string(object, "speaker", source);
    if (!object.contains("text")) fail(source, "missing field text");
    p.utterance.text = json_string(object, "text", source);
    if (p.utterance.text.empty()) fail(source, "empty utterance");
    p.utterance.label = json_string(object, "label", source);
    p.utterance.sentiment = json_string(object, "sentiment", source);
}

std::size_t line_at(std::string_view data, std::size_t pos) {
    return 1 + static_cast<std::size_t>(std::count(data.begin(), data.begin() + std::min(pos, data.size()), '\n'));
}

void read_jsonl(Reader& r, std::string_view data) {
    std::size_t line = 0;
    for (std::size_t pos = 0; pos < data.size();) {
        std::size_t nl = data.find('\n', pos);
        if (nl == std::string_view::npos) nl = data.size();
        const std::string_view text = trim(data.substr(pos, nl - pos));
        pos = nl + 1;
        ++line;
        if (text.empty()) continue;
        r.record(place(r.name, line), [&](Parsed& p) {
            const std::string& source = p.utterance.source;
            if (!valid_utf8(text)) fail(source, "invalid UTF-8");
            json object;
            try {
                object = json::parse(text);
            } catch (const json::parse_error& e) {
                fail(source, json_error_text(e.what()));
            }
            if (!object.is_object()) fail(source, "expected a JSON object");
            if (const auto it = object.find("dialogue_id"); it != object.end()) {
                p.dialogue_id = json_id(*it, source, "dialogue_id");
            } else {
                fail(source, "missing field dialogue_id");
            }
            json_utterance(object, p);
        });
    }
}

// Iterator over the input that publishes how far the JSON parser has read, so that LineTrackingBuilder can tell on
// which line each object starts.
struct TrackingIterator {
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    const char* at = nullptr;
    const char** mark = nullptr;

    reference operator*() const { return *at; }
    TrackingIterator& operator++() {
        *mark = ++at;
        return *this;
    }
    TrackingIterator operator++(int) {
        TrackingIterator old = *this;
        ++*this;
        return old;
    }
    bool operator==(const TrackingIterator& other) const { return at == other.at; }
};

// Where each object starts is stored under this key; a control character keeps it apart from real field names.
const std::string line_key = "\x01line";

// Builds a json value as json::parse does, storing in every object the line it starts on (nlohmann::json keeps no
// positions). nlohmann's own callback parser rescans the parent at every object end, which is quadratic in a long
// utterance array; this builder is linear.
class LineTrackingBuilder : public nlohmann::json_sax<json> {
public:
    // `mark` is the end of what the parser has read so far; `base` and `base_line` are a position and its line.
    LineTrackingBuilder(std::string_view data, const char* const& mark, std::size_t base, std::size_t base_line)
        : data_(data), mark_(mark), counted_to_(base), line_(base_line) {}

    json root;
    std::size_t error_at = 0;  // 1-based offset of a syntax error from the start of the parsed piece
    std::string error;

    bool null() override { return add(nullptr); }
    bool boolean(bool v) override { return add(v); }
    bool number_integer(number_integer_t v) override { return add(v); }
    bool number_unsigned(number_unsigned_t v) override { return add(v); }
    bool number_float(number_float_t v, const string_t&) override { return add(v); }
    bool string(string_t& v) override { return add(std::move(v)); }
    bool binary(binary_t& v) override { return add(json::binary(std::move(v))); }
    bool key(string_t& k) override {
        key_ = std::move(k);
        return true;
    }
    bool start_object(std::size_t) override {
        json* object = slot();
        *object = json::object();
        (*object)[line_key] = current_line();
        open_.push_back(object);
        return true;
    }
    bool start_array(std::size_t) override {
        json* array = slot();
        *array = json::array();
        open_.push_back(array);
        return true;
    }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string&, const json::exception& e) override {
        error_at = position;
        error = e.what();
        return false;
    }

private:
    // Where the next value goes: the root, the end of the open array, or the open object's current key.
    json* slot() {
        if (open_.empty()) return &root;
        json& parent = *open_.back();
        if (parent.is_array()) {
            parent.push_back(nullptr);
            return &parent.back();
        }
        return &parent[key_];
    }
    template <class T>
    bool add(T&& value) {
        *slot() = std::forward<T>(value);
        return true;
    }
    bool close() {
        open_.pop_back();
        return true;
    }
    // Objects start in increasing order, so lines are counted incrementally.
    std::size_t current_line() {
        const auto at = static_cast<std::size_t>(mark_ - data_.data());
        if (at > counted_to_) {
            line_ += static_cast<std::size_t>(std::count(data_.begin() + counted_to_, data_.begin() + at, '\n'));
            counted_to_ = at;
        }
        return line_;
    }

    std::string_view data_;
    const char* const& mark_;
    std::size_t counted_to_;
    std::size_t line_;
    std::vector<json*> open_;
    std::string key_;
};

std::size_t object_line(const json& value, std::size_t fallback) {
    if (!value.is_object()) return fallback;
    const auto it = value.find(line_key);
    return it == value.end() ? fallback : it->get<std::size_t>();
}

// End of the top-level JSON value starting at `begin` (an object or array), by bracket matching outside strings,
// so that a file may hold several documents one after another; data.size() when it never closes.
std::size_t value_end(std::string_view data, std::size_t begin) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = begin; i < data.size(); ++i) {
        const char c = data[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return data.size();
}

void read_json_dialogue(Reader& r, const json& dialogue, std::size_t fallback_line, std::size_t ordinal) {
    const std::size_t line = object_line(dialogue, fallback_line);
    const std::string source = place(r.name, line);
    std::string id;
    const json* utterances = nullptr;
    try {
        if (!dialogue.is_object()) fail(source, "expected a JSON object for the dialogue");
        const auto it = dialogue.find("dialogue_id");
        // Without an id the dialogue is named by its position in the file, so a pasted conversation needs none.
        id = it == dialogue.end() ? std::to_string(ordinal) : json_id(*it, source, "dialogue_id");
        const auto u = dialogue.find("utterances");
        if (u == dialogue.end()) fail(source, "missing field utterances");
        if (!u->is_array()) fail(source, "utterances must be an array");
        utterances = &*u;
    } catch (const Error& e) {
        // A dialogue that cannot be read counts as one bad record.
        r.add_error(id, source, e.what());
        return;
    }
    r.builder.touch(id);
    for (const json& item : *utterances) {
        r.record(place(r.name, object_line(item, line)), [&](Parsed& p) {
            p.dialogue_id = id;
            json_utterance(item, p);
        });
    }
}

void read_json(Reader& r, std::string_view data) {
    if (const std::size_t bad = valid_utf8_prefix(data); bad != data.size())
        fail(place(r.name, line_at(data, bad)), "invalid UTF-8");
    std::size_t ordinal = 0;
    std::size_t pos = 0, line = 1;  // `line` is the line of `pos`
    for (;;) {
        for (; pos < data.size() && std::string_view(" \t\r\n").find(data[pos]) != std::string_view::npos; ++pos)
            line += data[pos] == '\n';
        if (pos == data.size()) break;
        const std::size_t start_line = line;
        if (data[pos] != '{' && data[pos] != '[')
            fail(place(r.name, start_line), "expected a JSON object or array");
        const std::size_t end = value_end(data, pos);

        const char* mark = data.data() + pos;
        LineTrackingBuilder builder(data, mark, pos, start_line);
        if (!json::sax_parse(TrackingIterator{data.data() + pos, &mark}, TrackingIterator{data.data() + end, &mark},
                             &builder)) {
            const std::size_t at = pos + (builder.error_at > 0 ? builder.error_at - 1 : 0);
            fail(place(r.name, line_at(data, at)), json_error_text(builder.error));
        }
        const json& document = builder.root;
        if (document.is_array()) {
            for (const json& dialogue : document) read_json_dialogue(r, dialogue, start_line, ordinal++);
        } else {
            read_json_dialogue(r, document, start_line, ordinal++);
        }
        line += static_cast<std::size_t>(std::count(data.begin() + pos, data.begin() + end, '\n'));
        pos = end;
    }
}

// ----- DailyDialog --------------------------------------------------------------------------------------------

// DailyDialog's emotion ids under MELD's names, so that the two label sets line up: 0 "no emotion" is neutral and
// 4 "happiness" is joy; 1 anger, 2 disgust, 3 fear, 5 sadness and 6 surprise keep their names.
constexpr std::array<const char*, 7> dailydialog_labels = {"neutral", "anger", "disgust", "fear",
                                                           "joy",     "sadness", "surprise"};

// True for a DailyDialog dialogues file name, dialogues_<split>.txt (not its emotion or act sibling).
bool is_dailydialog_name(const std::string& name) {
    const std::string file = std::filesystem::path(name).filename().string();
    return file.starts_with("dialogues_") && file.ends_with(".txt") && !file.starts_with("dialogues_emotion_") &&
           !file.starts_with("dialogues_act_");
}

// The sibling emotion file of a dialogues file, when it exists.
std::optional<std::string> dailydialog_emotion_file(const std::string& name) {
    if (!is_dailydialog_name(name)) return std::nullopt;
    const std::filesystem::path path(name);
    const std::string file = path.filename().string();
    const auto emotion = path.parent_path() / ("dialogues_emotion_" + file.substr(std::strlen("dialogues_")));
    std::error_code ec;
    if (!std::filesystem::exists(emotion, ec)) return std::nullopt;
    return emotion.string();
}

std::vector<std::string_view> split_lines(std::string_view data) {
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos < data.size();) {
        std::size_t nl = data.find('\n', pos);
        if (nl == std::string_view::npos) nl = data.size();
        lines.push_back(data.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return lines;
}

// Parses one line of emotion ids; returns what is wrong with it, empty when it fits `count` utterances.
std::string dailydialog_line_labels(std::string_view line, std::size_t count, std::vector<const char*>& labels) {
    labels.clear();
    for (std::size_t pos = 0;;) {
        pos = line.find_first_not_of(" \t\r", pos);
        if (pos == std::string_view::npos) break;
        const std::size_t end = std::min(line.find_first_of(" \t\r", pos), line.size());
        const std::string_view id = line.substr(pos, end - pos);
        if (id.size() != 1 || id[0] < '0' || id[0] > '6')
            return "unknown emotion id \"" + shorten(id, 20) + "\"";
        labels.push_back(dailydialog_labels[static_cast<std::size_t>(id[0] - '0')]);
        pos = end;
    }
    if (labels.size() != count)
        return std::to_string(count) + " utterances but " + std::to_string(labels.size()) + " emotion labels";
    return {};
}

void read_dailydialog(Reader& r, std::string_view data, const std::optional<std::string>& emotion_name,
                      std::string_view emotions) {
    const std::vector<std::string_view> label_lines = split_lines(emotions);
    const std::vector<std::string_view> lines = split_lines(data);
    constexpr std::string_view eou = "__eou__";
    std::vector<std::string_view> parts;
    std::vector<const char*> labels;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (trim(lines[i]).empty()) continue;
        parts.clear();
        for (std::size_t pos = 0;;) {
            const std::size_t end = lines[i].find(eou, pos);
            if (end == std::string_view::npos) {
                // Every utterance ends with __eou__; text after the last marker is one more utterance.
                if (!trim(lines[i].substr(pos)).empty()) parts.push_back(lines[i].substr(pos));
                break;
            }
            parts.push_back(lines[i].substr(pos, end - pos));
            pos = end + eou.size();
        }
        const std::string source = place(r.name, i + 1);
        bool labelled = false;
        if (emotion_name) {
            const std::string problem = dailydialog_line_labels(i < label_lines.size() ? label_lines[i] : "",
                                                                parts.size(), labels);
            // The text is fine even when its labels are not (train line 7852 has one label too few), so under skip
            // the dialogue is kept unlabelled rather than marked as an error.
            if (!problem.empty() && r.policy == ErrorPolicy::fail)
                fail(source, problem + " in " + place(*emotion_name, i + 1));
            labelled = problem.empty();
        }
        const std::string id = std::to_string(i);
        r.builder.touch(id);
        for (std::size_t j = 0; j < parts.size(); ++j) {
            r.record(source, [&](Parsed& p) {
                p.dialogue_id = id;
                p.utterance.speaker = j % 2 == 0 ? "A" : "B";
                if (!valid_utf8(parts[j])) fail(source, "invalid UTF-8 in utterance #" + std::to_string(j + 1));
                p.utterance.text = std::string(trim(parts[j]));
                if (p.utterance.text.empty()) fail(source, "empty utterance (#" + std::to_string(j + 1) + ")");
                if (labelled) p.utterance.label = labels[j];
            });
        }
    }
}

// ----- Input -----------------------------------------------------------------------------------------------------

InputFormat detect_format(std::string_view data, const std::string& name) {
    // DailyDialog's text has no marks of its own (a line may even start with '['), but its file names are distinct.
    if (is_dailydialog_name(name)) return InputFormat::dailydialog;
    const std::size_t first = data.find_first_not_of(" \t\r\n");
    if (data[first] == '[') return InputFormat::json;
    if (data[first] == '{') {
        const std::size_t nl = data.find('\n', first);
        const std::string_view line = trim(data.substr(first, nl == std::string_view::npos ? nl : nl - first));
        try {
            const json object = json::parse(line);
            return object.is_object() && object.contains("utterances") ? InputFormat::json : InputFormat::jsonl;
        } catch (const json::exception&) {
        }
        // A broken first line: one-line records end with '}', a document spread over lines does not.
        return line.back() == '}' ? InputFormat::jsonl : InputFormat::json;
    }
    try {
        CsvReader csv(data, name);
        CsvRecord header;
        if (csv.next(header)) {
            std::vector<std::string> columns;
            for (const std::string& f : header.fields) columns.push_back(lower(trim(f)));
            auto has = [&](std::initializer_list<std::string_view> names) {
                return std::all_of(names.begin(), names.end(), [&](std::string_view n) {
                    return std::find(columns.begin(), columns.end(), n) != columns.end();
                });
            };
            if (has({"utterance", "emotion", "season", "scene_id"})) return InputFormat::emorynlp;
            if (has({"utterance", "speaker", "dialogue_id"})) return InputFormat::meld;
            if (has({"dialogue_id", "speaker", "text"})) return InputFormat::csv;
        }
    } catch (const Error&) {  // not CSV after all
    }
    throw Error("cannot detect the format of " + name + "; use --format");
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

std::vector<Conversation> read_text(std::string_view data, const std::string& name, const ReadOptions& options) {
    if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
    if (trim(data).empty()) throw Error(name + ": empty input");
    const InputFormat format =
        options.format == InputFormat::auto_detect ? detect_format(data, name) : options.format;
    Reader r{name, options.on_error, {}};
    switch (format) {
        case InputFormat::jsonl: read_jsonl(r, data); break;
        case InputFormat::json: read_json(r, data); break;
        case InputFormat::dailydialog: {
            const std::optional<std::string> emotion_name = dailydialog_emotion_file(name);
            const std::string emotions = emotion_name ? read_file(*emotion_name) : std::string();
            read_dailydialog(r, data, emotion_name, emotions);
            break;
        }
        default: read_csv_layout(r, data, format); break;
    }
    return r.builder.finish();
}

}  // namespace
}  // namespace io

InputFormat parse_input_format(std::string_view name) {
    static constexpr std::pair<std::string_view, InputFormat> formats[] = {
        {"auto", InputFormat::auto_detect}, {"csv", InputFormat::csv},   {"jsonl", InputFormat::jsonl},
        {"json", InputFormat::json},        {"meld", InputFormat::meld}, {"emorynlp", InputFormat::emorynlp},
        {"dailydialog", InputFormat::dailydialog}};
    for (const auto& [n, format] : formats)
        if (n == name) return format;
    throw Error("unknown format \"" + io::shorten(name, 40) +
                "\"; valid formats: auto, csv, jsonl, json, meld, emorynlp, dailydialog");
}

std::vector<Conversation> read_conversations(const std::string& path, const ReadOptions& options) {
    if (path == "-") return read_conversations(std::cin, "stdin", options);
    return io::read_text(io::read_file(path), path, options);
}

std::vector<Conversation> read_conversations(std::istream& in, const std::string& name, const ReadOptions& options) {
    return io::read_text(io::slurp(in, name), name, options);
}

}  // namespace emo
