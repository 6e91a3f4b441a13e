// RFC 4180 CSV: a reader over an in-memory buffer and a field writer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace emo::io {

// One CSV record: its fields (quotes removed, "" unescaped) and the 1-based physical line where it starts.
struct CsvRecord {
    std::vector<std::string> fields;
    std::size_t line = 0;
};

// Reads RFC 4180 records: quoted fields with "" escapes and embedded newlines, CRLF or LF line ends, an optional
// UTF-8 byte order mark. Empty lines between records are skipped. A quote inside an unquoted field is kept as data.
class CsvReader {
public:
    // `data` must outlive the reader; `name` starts every error message ("name:line: ...").
    CsvReader(std::string_view data, std::string name);

    // Reads the next record into `record`, reusing its storage; false at the end of the input. Broken quoting throws
    // emo::Error naming the line; `record.line` then holds the line where the broken record starts, and the reader
    // has moved to the next line so that a caller may keep the record as an error and go on.
    bool next(CsvRecord& record);

private:
    // Throws for an unexpected byte after a closing quote, first moving past the line it is on.
    [[noreturn]] void fail_after_quote(std::size_t at);
    // Throws for a quoted field that never closes, first moving to the line after its opening quote.
    [[noreturn]] void fail_unterminated(std::size_t quote_at, std::size_t quote_line);

    std::string_view data_;
    std::string name_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

// Appends `field` to `out`, quoted (with "" escapes) when it holds a comma, a quote, CR or LF.
void append_csv_field(std::string& out, std::string_view field);

}  // namespace emo::io
