// Single-text input for `emo text`, `emo train text` and `emo eval text`: opening the input, choosing its format and
// finding GoEmotions' label names; the formats themselves live in text_input_formats.cpp.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "emo/emo.hpp"
#include "io/text_input_formats.hpp"

namespace emo {
namespace io {
namespace {

namespace fs = std::filesystem;

// GoEmotions' own names for its label ids: the options', else emotions.txt beside the input.
std::vector<std::string> goemotions_labels(const TextReader& r) {
    if (!r.options.label_names.empty()) return r.options.label_names;
    const fs::path file = fs::path(r.name).parent_path() / "emotions.txt";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw Error("no label names for goemotions ids: give --labels or put emotions.txt beside " + r.name);
    std::vector<std::string> names;
    for_each_line(read_file(file.string()),
                  [&](std::string_view line, std::size_t) { names.emplace_back(trim(line)); });
    return names;
}

TextFormat detect_format(const std::string& name) {
    const std::string extension = lower(fs::path(name).extension().string());
    if (extension == ".tsv") return TextFormat::goemotions;
    if (extension == ".csv") return TextFormat::csv;
    if (extension == ".jsonl" || extension == ".ndjson") return TextFormat::jsonl;
    return TextFormat::lines;
}

std::vector<TextRecord> read_texts(std::string_view data, const std::string& name, const TextReadOptions& options) {
    if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
    TextReader r{name, options, {}};
    switch (options.format == TextFormat::auto_detect ? detect_format(name) : options.format) {
        case TextFormat::csv: read_text_csv(r, data); break;
        case TextFormat::jsonl: read_text_jsonl(r, data); break;
        case TextFormat::goemotions: read_text_goemotions(r, data, goemotions_labels(r)); break;
        default: read_text_lines(r, data); break;
    }
    return std::move(r.records);
}

}  // namespace
}  // namespace io

TextFormat parse_text_format(std::string_view name) {
    static constexpr std::pair<std::string_view, TextFormat> formats[] = {
        {"auto", TextFormat::auto_detect}, {"lines", TextFormat::lines},
        {"csv", TextFormat::csv},          {"jsonl", TextFormat::jsonl},
        {"goemotions", TextFormat::goemotions}};
    for (const auto& [n, format] : formats)
        if (n == name) return format;
    throw Error("unknown text format \"" + io::shorten(name, 40) +
                "\"; valid formats: auto, lines, csv, jsonl, goemotions");
}

std::vector<TextRecord> read_texts(const std::string& path, const TextReadOptions& options) {
    if (path == "-") return read_texts(std::cin, "stdin", options);
    return io::read_texts(io::read_file(path), path, options);
}

std::vector<TextRecord> read_texts(std::istream& in, const std::string& name, const TextReadOptions& options) {
    return io::read_texts(io::slurp(in, name), name, options);
}

}  // namespace emo
