// Labelled files listed in a CSV with a header: `path` (or `file`; relative paths are taken from the CSV's folder),
// `emotion` (or `label`) and, where asked for, `speaker`: RAVDESS's and FER2013's labels.csv and any file alike.
#pragma once

#include <string>
#include <vector>

namespace emo::io {

struct LabelledFile {
    std::string path, label, speaker;
    std::string source;  // "list.csv:12"
};

// Errors (a missing column, an empty field, no rows) name the file and line; `what` names the files listed in them
// ("recordings", "images").
std::vector<LabelledFile> read_labelled_files(const std::string& csv_path, bool with_speaker, const std::string& what);

// True when the first line of the CSV at `csv_path` is a header read_labelled_files takes (a `path` or `file`
// column) and has no `text` column (which conversation files have); false too when the file cannot be read.
bool lists_labelled_files(const std::string& csv_path);

}  // namespace emo::io
