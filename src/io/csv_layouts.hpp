// The CSV conversation layouts: generic CSV (dialogue_id, speaker, text), MELD and EmoryNLP.
#pragma once

#include <string_view>

#include "emo/emo.hpp"
#include "io/reader_common.hpp"

namespace emo::io {

// Reads CSV `data` in the layout of `format` (meld, emorynlp; anything else is the generic layout) into `r`: a header
// naming the columns (case-insensitively, in any order), then one utterance per row. A missing required column or
// an empty input throws; bad rows go through r's error policy.
void read_csv_layout(Reader& r, std::string_view data, InputFormat format);

}  // namespace emo::io
