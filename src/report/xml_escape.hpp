// Escaping text for XML and HTML (the SVG charts and the report page), where every name and utterance comes from
// user input.
#pragma once

#include <string>
#include <string_view>

namespace emo::report {

// `text` safe inside XML/HTML element content and double- or single-quoted attribute values: & < > " ' become
// entities, and control characters XML 1.0 forbids (all below U+0020 but tab, newline, return) become spaces.
std::string xml_escape(std::string_view text);

}  // namespace emo::report
