// The JSON objects behind to_json (docs/schema.md), for clients that want the object rather than its text: the
// Python package turns them into dicts, so that its records are the CLI's exactly.
#pragma once

#include <emo/emo.hpp>

#include <nlohmann/json.hpp>

namespace emo::io {

nlohmann::ordered_json json_value(const Result& result);
nlohmann::ordered_json json_value(const TextResult& result);
nlohmann::ordered_json json_value(const AudioResult& result);

}  // namespace emo::io
