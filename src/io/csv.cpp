#include "io/csv.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "emo/emo.hpp"

namespace emo::io {

namespace {

// Length of the line end at `pos`: 2 for CRLF, 1 for LF or a CR that ends the input, 0 otherwise. A lone CR inside
// a line is data: some exports leave stray CRs in text and treating them as breaks would split records.
std::size_t line_end_at(std::string_view data, std::size_t pos) {
    if (pos >= data.size()) return 0;
    if (data[pos] == '\n') return 1;
    if (data[pos] != '\r') return 0;
    if (pos + 1 == data.size()) return 1;
    return data[pos + 1] == '\n' ? 2 : 0;
}

std::string describe_byte(char c) {
    auto u = static_cast<unsigned char>(c);
    char buf[32];
    if (u >= 0x20 && u < 0x7f) std::snprintf(buf, sizeof buf, "character '%c'", c);
    else std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
    return buf;
}

}  // namespace

CsvReader::CsvReader(std::string_view data, std::string name) : data_(data), name_(std::move(name)) {
    if (data_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

void CsvReader::fail_after_quote(std::size_t at) {
    std::string message = name_ + ":" + std::to_string(line_) + ": unexpected " + describe_byte(data_[at]) +
                          " after a closing quote (a quote inside a quoted field must be doubled)";
    std::size_t nl = data_.find('\n', at);
    pos_ = nl == std::string_view::npos ? data_.size() : nl + 1;
    if (nl != std::string_view::npos) ++line_;
    throw Error(message);
}

void CsvReader::fail_unterminated(std::size_t quote_at, std::size_t quote_line) {
    std::string message = name_ + ":" + std::to_string(quote_line) + ": unterminated quoted field";
    // Resuming right after the opening quote's line recovers the records that the stray quote swallowed.
    std::size_t nl = data_.find('\n', quote_at);
    pos_ = nl == std::string_view::npos ? data_.size() : nl + 1;
    line_ = quote_line + 1;
    throw Error(message);
}

bool CsvReader::next(CsvRecord& record) {
    const char* d = data_.data();
    const std::size_t n = data_.size();
    while (std::size_t end = line_end_at(data_, pos_)) {
        pos_ += end;
        ++line_;
    }
    if (pos_ >= n) return false;

    record.line = line_;
    auto& fields = record.fields;
    std::size_t count = 0;
    for (;;) {
        if (count == fields.size()) fields.emplace_back();
        std::string& out = fields[count++];
        out.clear();
        if (pos_ < n && d[pos_] == '"') {
            const std::size_t quote_at = pos_, quote_line = line_;
            ++pos_;
            for (;;) {
                const void* q = std::memchr(d + pos_, '"', n - pos_);
                if (q == nullptr) {
                    fields.resize(count);
                    fail_unterminated(quote_at, quote_line);
                }
                const std::size_t qi = static_cast<std::size_t>(static_cast<const char*>(q) - d);
                out.append(d + pos_, qi - pos_);
                line_ += static_cast<std::size_t>(std::count(d + pos_, d + qi, '\n'));
                pos_ = qi + 1;
                if (pos_ < n && d[pos_] == '"') {  // "" is an escaped quote
                    out.push_back('"');
                    ++pos_;
                    continue;
                }
                break;
            }
            if (pos_ == n) break;
            if (d[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (std::size_t end = line_end_at(data_, pos_)) {
                pos_ += end;
                ++line_;
                break;
            }
            fields.resize(count);
            fail_after_quote(pos_);
        }
        const std::size_t start = pos_;
        while (pos_ < n && d[pos_] != ',' && d[pos_] != '\n' && !(d[pos_] == '\r' && line_end_at(data_, pos_))) ++pos_;
        out.assign(d + start, pos_ - start);
        if (pos_ == n) break;
        if (d[pos_] == ',') {
            ++pos_;
            continue;
        }
        pos_ += line_end_at(data_, pos_);
        ++line_;
        break;
    }
    fields.resize(count);
    return true;
}

void append_csv_field(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(field);
        return;
    }
    out.push_back('"');
    for (char c : field) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

}  // namespace emo::io
