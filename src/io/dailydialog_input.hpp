// DailyDialog input: dialogues_<split>.txt, one dialogue per line, with emotion ids from its sibling emotion file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "io/reader_common.hpp"

namespace emo::io {

// True for a DailyDialog dialogues file name, dialogues_<split>.txt (not its emotion or act sibling).
bool is_dailydialog_name(const std::string& name);

// The sibling emotion file of a dialogues file, when it exists.
std::optional<std::string> dailydialog_emotion_file(const std::string& name);

// Reads DailyDialog `data` into `r`: each non-blank line is a dialogue (id: its 0-based line index) of utterances
// ending in __eou__, speakers alternating "A" and "B". With `emotion_name` set, `emotions` (that file's content)
// labels them under MELD's names; labels that do not fit the line throw under fail and are dropped under skip.
void read_dailydialog(Reader& r, std::string_view data, const std::optional<std::string>& emotion_name,
                      std::string_view emotions);

}  // namespace emo::io
