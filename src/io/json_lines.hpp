// JSON parsing that remembers where each object starts, so that record errors can name their line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace emo::io {

// A parsed JSON value with positions: every object holds the line it starts on (read it with object_line).
struct LinedJson {
    nlohmann::json value;
    // The root object's keys in file order with the line each is on (nlohmann::json sorts keys); a repeated key
    // appears each time, while `value` keeps only its last value.
    std::vector<std::pair<std::string, std::size_t>> root_keys;
};

// Parses the one JSON value in data[begin, end), where `begin` is on line `line`. A syntax error (nlohmann also
// rejects invalid UTF-8) throws emo::Error "name:line: invalid JSON: ..." naming the line of the error.
LinedJson parse_with_lines(std::string_view data, std::size_t begin, std::size_t end, std::size_t line,
                           const std::string& name);

// The line an object parsed by parse_with_lines starts on; `fallback` for other values.
std::size_t object_line(const nlohmann::json& value, std::size_t fallback);

// The 1-based line of byte `pos` of `data`.
std::size_t line_at(std::string_view data, std::size_t pos);

}  // namespace emo::io
