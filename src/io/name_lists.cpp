#include "io/name_lists.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <fstream>

namespace emo::io {

std::vector<std::string> read_name_list(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot open the label list");
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) names.push_back(line);
    }
    if (names.empty()) throw Error(path + ": no labels");
    return names;
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start <= s.size();) {
        const auto comma = std::min(s.find(',', start), s.size());
        if (comma > start) out.push_back(s.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

}  // namespace emo::io
