// Reading and writing tensors in the safetensors layout (8-byte header length, JSON header, raw little-endian data),
// the format Hugging Face checkpoints use, so our own model files and community ones go through one reader.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace emo::core {

struct Tensor {
    std::vector<std::int64_t> shape;
    std::vector<float> data;  // row-major, converted to float32 whatever the stored dtype
};

struct TensorFile {
    std::map<std::string, Tensor> tensors;
    std::map<std::string, std::string> metadata;

    // The tensor called `name` with exactly `shape`; throws emo::Error naming `origin` otherwise.
    const Tensor& get(const std::string& name, const std::vector<std::int64_t>& shape, const std::string& origin) const;
};

// Reads a whole safetensors file (F32, F16 and BF16 tensors). Every offset and size is checked against the file,
// so a truncated or hostile file is an emo::Error naming `path`, never an out-of-bounds read.
TensorFile read_safetensors(const std::string& path);

// Writes tensors as F32, or F16 where `half` is true (halves the size of large matrices).
void write_safetensors(const std::string& path, const TensorFile& file, bool half = false);

}  // namespace emo::core
