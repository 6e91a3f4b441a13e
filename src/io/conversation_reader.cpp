// Conversation input: format detection and the public readers; each format's parser lives in its own file.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "emo/emo.hpp"
#include "io/csv.hpp"
#include "io/csv_layouts.hpp"
#include "io/dailydialog_input.hpp"
#include "io/json_input.hpp"
#include "io/reader_common.hpp"
#include "io/reccon_input.hpp"

namespace emo {
namespace io {
namespace {

using nlohmann::json;

InputFormat detect_format(std::string_view data, const std::string& name) {
    // DailyDialog's text has no marks of its own (a line may even start with '['), but its file names are distinct.
    if (is_dailydialog_name(name)) return InputFormat::dailydialog;
    const std::size_t first = data.find_first_not_of(" \t\r\n");
    if (data[first] == '[') return InputFormat::json;
    if (data[first] == '{') {
        // Before the first-line test: a one-line RECCON file parses as one object, like a JSON Lines record.
        if (looks_like_reccon(data.substr(first))) return InputFormat::reccon;
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

std::vector<Conversation> read_text(std::string_view data, const std::string& name, const ReadOptions& options) {
    if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
    if (trim(data).empty()) throw Error(name + ": empty input");
    const InputFormat format =
        options.format == InputFormat::auto_detect ? detect_format(data, name) : options.format;
    Reader r{name, options.on_error, {}};
    switch (format) {
        case InputFormat::jsonl: read_jsonl(r, data); break;
        case InputFormat::json: read_json(r, data); break;
        case InputFormat::reccon: read_reccon(r, data); break;
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
        {"dailydialog", InputFormat::dailydialog}, {"reccon", InputFormat::reccon}};
    for (const auto& [n, format] : formats)
        if (n == name) return format;
    throw Error("unknown format \"" + io::shorten(name, 40) +
                "\"; valid formats: auto, csv, jsonl, json, meld, emorynlp, dailydialog, reccon");
}

std::vector<Conversation> read_conversations(const std::string& path, const ReadOptions& options) {
    if (path == "-") return read_conversations(std::cin, "stdin", options);
    return io::read_text(io::read_file(path), path, options);
}

std::vector<Conversation> read_conversations(std::istream& in, const std::string& name, const ReadOptions& options) {
    return io::read_text(io::slurp(in, name), name, options);
}

}  // namespace emo
