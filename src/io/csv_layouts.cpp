// The CSV conversation layouts: generic CSV (with its optional cause columns), MELD and EmoryNLP.
#include "io/csv_layouts.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "io/cause_fields.hpp"
#include "io/csv.hpp"

namespace emo::io {
namespace {

enum Column { dialogue_col, speaker_col, text_col, label_col, sentiment_col, order_col, season_col, episode_col,
              scene_col, causes_col, cause_spans_col, column_count };

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
                    {order_col, "utterance_id", false}, {causes_col, "causes", false},
                    {cause_spans_col, "cause_spans", false}};
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

}  // namespace

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
            if (has(causes_col) || has(cause_spans_col))
                csv_causes(value(causes_col), value(cause_spans_col), source,
                           has(causes_col) ? column_name[causes_col] : "causes",
                           column_name[cause_spans_col], p.utterance);
        });
    }
}

}  // namespace emo::io
