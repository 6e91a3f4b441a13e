// read_audio_list: labelled recordings from a CSV (RAVDESS's labels.csv and any file with the same columns).
#include "io/csv.hpp"
#include "io/reader_common.hpp"

#include <emo/emo.hpp>

#include <filesystem>

namespace emo {

namespace {

// The index of the first header field named one of `names` (case-insensitive), or -1.
long find_column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
    for (const char* name : names)
        for (std::size_t i = 0; i < header.size(); ++i)
            if (io::lower(io::trim(header[i])) == name) return static_cast<long>(i);
    return -1;
}

}  // namespace

std::vector<AudioInput> read_audio_list(const std::string& csv_path) {
    const std::string data = io::read_file(csv_path);
    io::CsvReader reader(data, csv_path);
    io::CsvRecord record;
    if (!reader.next(record)) throw Error(csv_path + ": empty (expected a header with path, emotion and speaker)");
    const auto header = record.fields;
    const long path_column = find_column(header, {"path", "file"});
    const long label_column = find_column(header, {"emotion", "label"});
    const long speaker_column = find_column(header, {"speaker"});
    if (path_column < 0) throw Error(io::place(csv_path, record.line) + ": no 'path' (or 'file') column in the header");
    if (label_column < 0) throw Error(io::place(csv_path, record.line) + ": no 'emotion' (or 'label') column");
    if (speaker_column < 0) throw Error(io::place(csv_path, record.line) + ": no 'speaker' column");
    const std::filesystem::path folder = std::filesystem::path(csv_path).parent_path();
    std::vector<AudioInput> inputs;
    while (reader.next(record)) {
        const std::string where = io::place(csv_path, record.line);
        const auto field = [&](long column, const char* name) {
            if (static_cast<std::size_t>(column) >= record.fields.size())
                throw Error(where + ": the record has no '" + name + "' field");
            const std::string value = io::field_text(record.fields[static_cast<std::size_t>(column)], where, name);
            if (value.empty()) throw Error(where + ": empty '" + name + "'");
            return value;
        };
        AudioInput input;
        const std::filesystem::path path(field(path_column, "path"));
        input.path = (path.is_absolute() ? path : folder / path).string();
        input.label = field(label_column, "emotion");
        input.speaker = field(speaker_column, "speaker");
        input.source = where;
        inputs.push_back(std::move(input));
    }
    if (inputs.empty()) throw Error(csv_path + ": no recordings listed");
    return inputs;
}

}  // namespace emo
