// What every model directory shares: manifest.json reading and writing, linear layers stored as tensors.
#pragma once

#include "core/linear_model.hpp"
#include "core/safetensors.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace emo::core {

// manifest.json of a model directory, parsed. A missing directory, a missing file or corrupt JSON throws emo::Error
// naming the path.
nlohmann::json read_manifest(const std::string& dir);
// Any JSON file, parsed; emo::Error "PATH: cannot open" or "PATH: not valid JSON: ..." otherwise.
nlohmann::json read_json_file(const std::string& path);
// Writes `manifest` (indented) to dir/manifest.json; throws emo::Error naming the file when it cannot.
void write_manifest(const std::string& dir, const nlohmann::ordered_json& manifest);

// The list of strings at `key`; throws emo::Error naming `origin` when it is missing or holds anything else.
std::vector<std::string> string_list(const nlohmann::json& j, const char* key, const std::string& origin);

// Stores a linear layer as `name`.weight [dim, classes] and `name`.bias [classes] (nothing when it has no classes).
void put_linear(TensorFile& file, const std::string& name, const LinearModel& model);
// Reads a layer stored by put_linear, which must have exactly these sizes (else emo::Error naming `origin`).
LinearModel get_linear(const TensorFile& file, const std::string& name, std::uint32_t dim, std::uint32_t classes,
                       const std::string& origin);

}  // namespace emo::core
