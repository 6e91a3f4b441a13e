// The optional cause annotation of the generic formats: CSV's causes / cause_spans columns and the JSON causes field
// (docs/formats.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emo/emo.hpp"

namespace emo::io {

// Reads the CSV cells `causes` ("" not annotated, "-" annotated without causes, else indices or "b" separated by
// ';') and `spans` (aligned with causes, separated by '|') into `u`. `causes_column` and `spans_column` are the
// header's spellings, for messages; a bad cell fails naming its column.
void csv_causes(std::string_view causes, std::string_view spans, const std::string& source,
                const std::string& causes_column, const std::string& spans_column, Utterance& u);

// Reads a JSON causes array: items are 0-based indices, "b" (latent) or {"index": ..., "span": "..."}. Anything
// else fails naming the item ("causes[2]").
std::vector<CauseAnnotation> json_causes(const nlohmann::json& value, const std::string& source);

}  // namespace emo::io
