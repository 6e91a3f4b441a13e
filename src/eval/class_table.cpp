#include "eval/class_table.hpp"

#include <algorithm>
#include <cstdio>

namespace emo::eval {

int name_width(const std::vector<std::string>& names) {
    std::size_t width = 14;
    for (const auto& n : names) width = std::max(width, n.size());
    return static_cast<int>(width);
}

std::string class_table(const std::vector<ClassReport>& classes) {
    std::vector<std::string> names;
    for (const auto& c : classes) names.push_back(c.label);
    const int width = name_width(names);
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line, "%-*s %9s %9s %9s %9s\n", width, "label", "precision", "recall", "f1", "support");
    out += line;
    for (const auto& c : classes) {
        std::snprintf(line, sizeof line, "%-*s %9.4f %9.4f %9.4f %9zu\n", width, c.label.c_str(), c.precision, c.recall,
                      c.f1, c.support);
        out += line;
    }
    return out;
}

}  // namespace emo::eval
