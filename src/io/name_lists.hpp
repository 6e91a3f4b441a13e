// Lists of names as options give them: a file with one name per line (`--labels`), or names between commas
// (`--targets V,A,D`). Shared by the CLI and the C API.
#pragma once

#include <string>
#include <vector>

namespace emo::io {

// The non-empty lines of `path` (a trailing CR dropped); emo::Error naming the file when it cannot be read or holds no
// name.
std::vector<std::string> read_name_list(const std::string& path);

// The non-empty pieces of `s` between commas, in order.
std::vector<std::string> split_commas(const std::string& s);

}  // namespace emo::io
