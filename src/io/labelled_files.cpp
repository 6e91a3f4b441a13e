// read_labelled_files: labelled files from a CSV (RAVDESS's and FER2013's labels.csv and any file alike).
#include "io/labelled_files.hpp"

#include "io/csv.hpp"
#include "io/reader_common.hpp"

#include <emo/emo.hpp>

#include <filesystem>
#include <fstream>

namespace emo::io {

namespace {

// The index of the first header field named one of `names` (case-insensitive), or -1.
long find_column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
    for (const char* name : names)
        for (std::size_t i = 0; i < header.size(); ++i)
            if (lower(trim(header[i])) == name) return static_cast<long>(i);
    return -1;
}

}  // namespace

std::vector<LabelledFile> read_labelled_files(const std::string& csv_path, bool with_speaker, const std::string& what) {
    const std::string data = read_file(csv_path);
    CsvReader reader(data, csv_path);
    CsvRecord record;
    if (!reader.next(record))
        throw Error(csv_path + ": empty (expected a header with path, emotion" +
                    (with_speaker ? " and speaker)" : ")"));
    const auto header = record.fields;
    const long path_column = find_column(header, {"path", "file"});
    const long label_column = find_column(header, {"emotion", "label"});
    const long speaker_column = with_speaker ? find_column(header, {"speaker"}) : -1;
    if (path_column < 0) throw Error(place(csv_path, record.line) + ": no 'path' (or 'file') column in the header");
    if (label_column < 0) throw Error(place(csv_path, record.line) + ": no 'emotion' (or 'label') column");
    if (with_speaker && speaker_column < 0) throw Error(place(csv_path, record.line) + ": no 'speaker' column");
    const std::filesystem::path folder = std::filesystem::path(csv_path).parent_path();
    std::vector<LabelledFile> files;
    while (reader.next(record)) {
        const std::string where = place(csv_path, record.line);
        const auto field = [&](long column, const char* name) {
            if (static_cast<std::size_t>(column) >= record.fields.size())
                throw Error(where + ": the record has no '" + name + "' field");
            const std::string value = field_text(record.fields[static_cast<std::size_t>(column)], where, name);
            if (value.empty()) throw Error(where + ": empty '" + name + "'");
            return value;
        };
        LabelledFile file;
        const std::filesystem::path path(field(path_column, "path"));
        file.path = (path.is_absolute() ? path : folder / path).string();
        file.label = field(label_column, "emotion");
        if (with_speaker) file.speaker = field(speaker_column, "speaker");
        file.source = where;
        files.push_back(std::move(file));
    }
    if (files.empty()) throw Error(csv_path + ": no " + what + " listed");
    return files;
}

bool lists_labelled_files(const std::string& csv_path) {
    std::ifstream in(csv_path, std::ios::binary);
    std::string line;
    if (!std::getline(in, line)) return false;
    CsvReader reader(line, csv_path);  // only the header is read, whatever the file's length
    CsvRecord header;
    try {
        if (!reader.next(header)) return false;
    } catch (const Error&) {
        return false;  // broken quoting: the conversation reader names the fault
    }
    return find_column(header.fields, {"path", "file"}) >= 0 && find_column(header.fields, {"text"}) < 0;
}

}  // namespace emo::io
