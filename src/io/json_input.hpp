// JSON conversation input: JSON Lines (one utterance per line) and JSON documents (dialogues holding utterances).
#pragma once

#include <string_view>

#include "io/reader_common.hpp"

namespace emo::io {

// Reads JSON Lines into `r`: one object per non-blank line with dialogue_id, text and optional speaker, label,
// sentiment and utterance_id. Each bad line is one bad record under r's error policy.
void read_jsonl(Reader& r, std::string_view data);

// Reads JSON into `r`: one or more documents in a row, each a dialogue object ({"dialogue_id", "utterances": [...]})
// or an array of them; a dialogue without dialogue_id is named by its position. Invalid UTF-8 or JSON syntax throws
// naming the line; bad dialogues and utterances go through r's error policy.
void read_json(Reader& r, std::string_view data);

}  // namespace emo::io
