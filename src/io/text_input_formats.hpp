// Single-text input formats (plain lines, CSV, JSON Lines, GoEmotions TSV) and what they share.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "emo/emo.hpp"
#include "io/reader_common.hpp"

namespace emo::io {

// Calls f(line, number) for each physical line without its LF or CRLF. A final line without a newline counts; the
// empty piece after a final newline does not.
template <class F>
void for_each_line(std::string_view data, F&& f) {
    std::size_t number = 0;
    for (std::size_t pos = 0; pos < data.size();) {
        std::size_t nl = data.find('\n', pos);
        if (nl == std::string_view::npos) nl = data.size();
        std::string_view line = data.substr(pos, nl - pos);
        if (line.ends_with('\r')) line.remove_suffix(1);
        f(line, ++number);
        pos = nl + 1;
    }
}

// One input being read: its name, the options, and the records so far.
struct TextReader {
    std::string name;
    const TextReadOptions& options;
    std::vector<TextRecord> records;

    // Runs `parse` on a new record starting at `line`. Parsers set fields only once they are valid, so a record
    // skipped under ErrorPolicy::skip keeps what was readable.
    template <class Parse>
    void record(std::size_t line, Parse&& parse) {
        TextRecord& r = records.emplace_back();
        r.source = place(name, line);
        r.targets.assign(options.target_names.size(), std::numeric_limits<double>::quiet_NaN());
        try {
            parse(r);
        } catch (const Error& e) {
            if (options.on_error == ErrorPolicy::fail) throw;
            r.error = e.what();
        }
    }
};

// One text per line, kept as it is but for the line end; an empty line is a record with an empty text.
void read_text_lines(TextReader& r, std::string_view data);

// CSV with a header: a text column and optional id, split, labels (or label, emotions) and the target columns.
void read_text_csv(TextReader& r, std::string_view data);

// JSON Lines: one object per non-blank line with text and optional id, split, labels (or label) and target fields.
void read_text_jsonl(TextReader& r, std::string_view data);

// GoEmotions TSV: text, comma-separated label ids (indices into `names`) and a comment id per non-blank line.
void read_text_goemotions(TextReader& r, std::string_view data, const std::vector<std::string>& names);

}  // namespace emo::io
