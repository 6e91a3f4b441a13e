// JSON conversation input: JSON Lines and JSON documents.
#include "io/json_input.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/cause_fields.hpp"
#include "io/json_lines.hpp"

namespace emo::io {
namespace {

using nlohmann::json;

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

// Fills an utterance from a JSON object: speaker, text, label, sentiment, utterance_id, causes (strings are valid
// UTF-8: the JSON parser checks them).
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
    if (const auto it = object.find("causes"); it != object.end() && !it->is_null()) {
        p.utterance.causes = json_causes(*it, source);
        p.utterance.causes_annotated = true;
    }
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

}  // namespace

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
            } catch (const json::exception& e) {  // syntax errors, and numbers out of range
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

        const json document = parse_with_lines(data, pos, end, start_line, r.name).value;
        if (document.is_array()) {
            for (const json& dialogue : document) read_json_dialogue(r, dialogue, start_line, ordinal++);
        } else {
            read_json_dialogue(r, document, start_line, ordinal++);
        }
        line += static_cast<std::size_t>(std::count(data.begin() + pos, data.begin() + end, '\n'));
        pos = end;
    }
}

}  // namespace emo::io
