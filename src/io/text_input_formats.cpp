// Single-text input formats: each record's fields, checked and kept in input order under the error policy.
#include "io/text_input_formats.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "io/csv.hpp"

namespace emo::io {
namespace {

using nlohmann::json;

constexpr double missing = std::numeric_limits<double>::quiet_NaN();

// The text of a record, untrimmed: texts are data down to their spaces and control characters.
std::string text_field(std::string_view value, const std::string& source) {
    if (const std::size_t good = valid_utf8_prefix(value); good != value.size())
        fail(source, "invalid UTF-8 in text at byte " + std::to_string(good + 1));
    return std::string(value);
}

// The pieces of `s` between separators (one piece when there is none).
std::vector<std::string_view> split(std::string_view s, char separator) {
    std::vector<std::string_view> pieces;
    for (std::size_t start = 0;;) {
        const std::size_t end = std::min(s.find(separator, start), s.size());
        pieces.push_back(s.substr(start, end - start));
        if (end == s.size()) return pieces;
        start = end + 1;
    }
}

// Adds a label, trimmed; empty labels are dropped.
void add_label(std::vector<std::string>& labels, std::string_view label) {
    if (label = trim(label); !label.empty()) labels.emplace_back(label);
}

// Comma-separated labels, trimmed, without empty items.
std::vector<std::string> split_labels(std::string_view value) {
    std::vector<std::string> labels;
    for (std::string_view label : split(value, ',')) add_label(labels, label);
    return labels;
}

// An optional string field of a JSON object; empty when absent or null.
std::string json_string(const json& object, const char* field, const std::string& source) {
    const auto it = object.find(field);
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_string()) fail(source, std::string(field) + " must be a string");
    return it->get<std::string>();
}

// Fills `t` from one JSON Lines object; the text comes last so that a record failing on it keeps the other fields.
void read_jsonl_object(const json& object, TextRecord& t, const std::vector<std::string>& target_names) {
    const std::string& source = t.source;
    if (!object.is_object()) fail(source, "expected a JSON object");
    if (const auto it = object.find("id"); it != object.end() && !it->is_null()) {
        if (it->is_string()) t.id = it->get<std::string>();
        else if (it->is_number()) t.id = it->dump();
        else fail(source, "id must be a string or a number");
    }
    t.split = json_string(object, "split", source);
    if (const auto it = object.find("labels"); it != object.end() && !it->is_null()) {
        const auto is_string = [](const json& label) { return label.is_string(); };
        if (it->is_string()) t.labels = split_labels(it->get_ref<const std::string&>());
        else if (it->is_array() && std::all_of(it->begin(), it->end(), is_string))
            for (const json& label : *it) add_label(t.labels, label.get_ref<const std::string&>());
        else fail(source, "labels must be an array of strings or a comma-separated string");
    } else {
        add_label(t.labels, json_string(object, "label", source));
    }
    for (std::size_t k = 0; k < target_names.size(); ++k) {
        const auto it = object.find(target_names[k]);
        if (it == object.end() || it->is_null()) continue;
        if (it->is_number()) t.targets[k] = it->get<double>();
        else if (it->is_string())
            t.targets[k] = parse_order(it->get_ref<const std::string&>(), source, target_names[k]).value_or(missing);
        else fail(source, target_names[k] + " must be a number");
    }
    const auto text = object.find("text");
    if (text == object.end()) fail(source, "missing field text");
    if (!text->is_string()) fail(source, "text must be a string");
    t.text = text->get<std::string>();  // the JSON parser has checked its UTF-8
}

}  // namespace

void read_text_lines(TextReader& r, std::string_view data) {
    for_each_line(data, [&](std::string_view line, std::size_t number) {
        r.record(number, [&](TextRecord& t) { t.text = text_field(line, t.source); });
    });
}

void read_text_csv(TextReader& r, std::string_view data) {
    CsvReader csv(data, r.name);
    CsvRecord header;
    if (!csv.next(header)) throw Error(r.name + ": no header row");
    constexpr int none = -1;
    int text = none, id = none, split = none, labels = none;
    std::vector<int> targets(r.options.target_names.size(), none);
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string_view spelled = trim(header.fields[i]);
        const std::string name = lower(spelled);
        int* column = name == "text" ? &text : name == "id" ? &id : name == "split" ? &split
                      : name == "labels" || name == "label" || name == "emotions" ? &labels : nullptr;
        if (column != nullptr && *column == none) *column = static_cast<int>(i);
        for (std::size_t t = 0; t < targets.size(); ++t)
            if (targets[t] == none && spelled == r.options.target_names[t]) targets[t] = static_cast<int>(i);
    }
    auto no_column = [&](const std::string& column) {
        std::string columns;
        for (const std::string& f : header.fields) columns += (columns.empty() ? "" : ", ") + std::string(trim(f));
        fail(place(r.name, header.line), "missing column " + column + " (header: " + shorten(columns, 200) + ")");
    };
    if (text == none) no_column("text");
    for (std::size_t t = 0; t < targets.size(); ++t)
        if (targets[t] == none) no_column(r.options.target_names[t]);

    CsvRecord row;
    for (;;) {
        try {
            if (!csv.next(row)) break;
        } catch (const Error& e) {
            // The reader has moved past the broken record: keep it as an error and go on.
            r.record(row.line, [&](TextRecord&) { throw Error(e.what()); });
            continue;
        }
        r.record(row.line, [&](TextRecord& t) {
            const auto& f = row.fields;
            // Rows longer than the header are accepted, as for conversations: trailing extra fields are harmless.
            if (f.size() < header.fields.size())
                fail(t.source, "expected " + std::to_string(header.fields.size()) + " fields, found " +
                                   std::to_string(f.size()));
            if (id != none) t.id = field_text(f[id], t.source, "id");
            if (split != none) t.split = field_text(f[split], t.source, "split");
            if (labels != none)
                t.labels = split_labels(field_text(f[labels], t.source, std::string(trim(header.fields[labels]))));
            for (std::size_t k = 0; k < targets.size(); ++k)
                t.targets[k] = parse_order(f[targets[k]], t.source, r.options.target_names[k]).value_or(missing);
            t.text = text_field(f[text], t.source);  // last, as in read_jsonl_object
        });
    }
}

void read_text_jsonl(TextReader& r, std::string_view data) {
    for_each_line(data, [&](std::string_view line, std::size_t number) {
        line = trim(line);
        if (line.empty()) return;
        r.record(number, [&](TextRecord& t) {
            if (const std::size_t good = valid_utf8_prefix(line); good != line.size())
                fail(t.source, "invalid UTF-8 at byte " + std::to_string(good + 1));
            json object;
            try {
                object = json::parse(line);
            } catch (const json::exception& e) {  // syntax errors, and numbers out of range
                fail(t.source, json_error_text(e.what()));
            }
            read_jsonl_object(object, t, r.options.target_names);
        });
    });
}

void read_text_goemotions(TextReader& r, std::string_view data, const std::vector<std::string>& names) {
    for_each_line(data, [&](std::string_view line, std::size_t number) {
        if (line.empty()) return;
        r.record(number, [&](TextRecord& t) {
            // Tabs only, no quoting: the texts hold quotes of their own.
            const std::vector<std::string_view> fields = split(line, '\t');
            if (fields.size() != 3)
                fail(t.source, "expected 3 tab-separated fields (text, label ids, id), found " +
                                   std::to_string(fields.size()));
            t.id = field_text(fields[2], t.source, "id");
            for (std::string_view item : split(fields[1], ',')) {
                item = trim(item);
                std::size_t index = 0;
                const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), index);
                if (ec != std::errc() || end != item.data() + item.size() || index >= names.size())
                    fail(t.source, "label id \"" + shorten(item, 40) + "\" is not an integer in [0, " +
                                       std::to_string(names.size()) + ")");
                t.labels.push_back(names[index]);
            }
            t.text = text_field(fields[0], t.source);
        });
    });
}

}  // namespace emo::io
