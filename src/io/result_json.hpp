// The JSON objects behind to_json (docs/schema.md), for clients that want the object rather than its text (the
// Python package turns them into dicts, so that its records are the CLI's exactly), and the text `emo conv` writes
// for a dialogue, which the CLI, the C API and the Python package's Dask helpers share.
#pragma once

#include <emo/dynamics.hpp>
#include <emo/emo.hpp>

#include <nlohmann/json.hpp>

namespace emo::io {

nlohmann::ordered_json json_value(const Result& result);
nlohmann::ordered_json json_value(const TextResult& result);
nlohmann::ordered_json json_value(const AudioResult& result);
nlohmann::ordered_json json_value(const ConversationDynamics& dynamics);

// What `emo conv` writes for one dialogue's results: a JSON line each, or with `csv_labels` a CSV row each (the
// header is csv_header's); with `dynamics`, then the line {"dynamics": ...} (JSON only: the callers refuse CSV).
std::string dialogue_output(const std::vector<Result>& results, const std::vector<std::string>* csv_labels,
                            bool dynamics);

}  // namespace emo::io
