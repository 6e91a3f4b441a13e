// RECCON input: the original annotation files, dialogue id -> [[utterance objects]], with emotion causes.
#pragma once

#include <string_view>

#include "io/reader_common.hpp"

namespace emo::io {

// True when `data` starts like a RECCON annotation file: a JSON object whose first dialogue is a list holding a
// list whose first item is an object with "turn" and "utterance". Reads no further than that object.
bool looks_like_reccon(std::string_view data);

// Reads a RECCON annotation file into `r` (docs/formats.md): dialogues in file order, utterances ordered by turn,
// causes from "expanded emotion cause evidence" / "... span". Invalid UTF-8, JSON syntax or a top level that is not
// an object throws naming the line; bad dialogues and utterances go through r's error policy.
void read_reccon(Reader& r, std::string_view data);

}  // namespace emo::io
