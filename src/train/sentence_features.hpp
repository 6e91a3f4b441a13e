// The checkpoint block of a model being trained (`--encoder`): the checkpoint loaded once, every training text
// embedded once and kept for the run, and the block's centre fitted on those embeddings.
#pragma once

#include "text/text_encoder.hpp"
#include "train/progress.hpp"

#include <emo/emo.hpp>

#include <optional>
#include <string>
#include <vector>

namespace emo::train {

// None when options.dir is empty. Progress on stderr when `verbose` (embedding a large corpus takes minutes).
std::optional<text::TextEncoder::SentenceBlock> fit_sentence_block(const EncoderFeatureOptions& options,
                                                                   const std::vector<std::string_view>& texts,
                                                                   bool verbose, Clock::time_point start);

// The checkpoint's record in a model's training information.
nlohmann::json describe(const std::optional<text::TextEncoder::SentenceBlock>& block);

}  // namespace emo::train
