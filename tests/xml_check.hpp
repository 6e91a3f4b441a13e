// A small well-formedness check for the SVG the charts write: every tag closed in order, attributes quoted, no raw
// '<' or stray '&' in text or attribute values. Enough to catch broken escaping or nesting without an XML library.
#pragma once

#include <cctype>
#include <string>
#include <vector>

namespace emo_test {

// An empty string when `xml` is well formed, else what is wrong and where.
inline std::string xml_problem(const std::string& xml) {
    std::vector<std::string> open;
    const auto entity_ok = [&](std::size_t amp) {
        const auto semi = xml.find(';', amp);
        if (semi == std::string::npos || semi - amp > 10) return false;
        const std::string name = xml.substr(amp + 1, semi - amp - 1);
        if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") return true;
        if (name.size() > 1 && name[0] == '#') {
            for (std::size_t i = 1; i < name.size(); ++i)
                if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
            return true;
        }
        return false;
    };
    std::size_t i = 0;
    while (i < xml.size()) {
        if (xml[i] == '&') {
            if (!entity_ok(i)) return "bad entity at " + std::to_string(i);
            ++i;
            continue;
        }
        if (xml[i] != '<') {
            if (xml[i] == '>') return "raw '>' in text at " + std::to_string(i);
            ++i;
            continue;
        }
        const bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
        std::size_t j = i + (closing ? 2 : 1);
        std::string name;
        while (j < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[j])) || xml[j] == '-' || xml[j] == ':'))
            name += xml[j++];
        if (name.empty()) return "tag without a name at " + std::to_string(i);
        if (closing) {
            if (open.empty() || open.back() != name) return "</" + name + "> does not close the open element";
            open.pop_back();
            if (j >= xml.size() || xml[j] != '>') return "bad closing tag " + name;
            i = j + 1;
            continue;
        }
        // Attributes: name="value" pairs until '>' or '/>'.
        while (true) {
            while (j < xml.size() && std::isspace(static_cast<unsigned char>(xml[j]))) ++j;
            if (j >= xml.size()) return "unterminated tag " + name;
            if (xml[j] == '>') {
                open.push_back(name);
                break;
            }
            if (xml[j] == '/' && j + 1 < xml.size() && xml[j + 1] == '>') {
                ++j;
                break;
            }
            const std::size_t attr_start = j;
            while (j < xml.size() && xml[j] != '=' && !std::isspace(static_cast<unsigned char>(xml[j]))) ++j;
            if (j == attr_start || j >= xml.size() || xml[j] != '=') return "attribute without a value in " + name;
            ++j;
            if (j >= xml.size() || (xml[j] != '"' && xml[j] != '\'')) return "unquoted attribute in " + name;
            const char quote = xml[j++];
            while (j < xml.size() && xml[j] != quote) {
                if (xml[j] == '<') return "raw '<' in an attribute of " + name;
                if (xml[j] == '&' && !entity_ok(j)) return "bad entity in an attribute of " + name;
                ++j;
            }
            ++j;
        }
        i = j + 1;
    }
    if (!open.empty()) return "<" + open.back() + "> never closed";
    return "";
}

// How many times `needle` occurs in `haystack`.
inline std::size_t occurrences(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
    return n;
}

}  // namespace emo_test
