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

// Reads a whole safetensors file (F32, F16 and BF16 tensors; metadata values that are not strings are skipped).
// Every field is validated (header at most 256 MiB, non-negative integer shapes and offsets, plausible shapes,
// offsets inside the file) and NaN or infinity in the data is refused, so a truncated, corrupt or hostile file is an
// emo::Error naming `path` (and the tensor), never an out-of-bounds read.
TensorFile read_safetensors(const std::string& path);

// Writes tensors as F32, or F16 where `half` is true (halves the size of large matrices), to `path + ".tmp"` renamed
// into place; throws emo::Error naming the file and tensor for NaN, infinity or data that does not fill its shape.
void write_safetensors(const std::string& path, const TensorFile& file, bool half = false);

// IEEE half precision as F16 data stores it: round to nearest even; overflow and infinity saturate to +-65504 so a
// written file never holds an infinity; NaN stays NaN.
std::uint16_t float_to_half(float value);
// The exact float value of an IEEE half (subnormals, infinities and NaN included).
float half_to_float(std::uint16_t half);

}  // namespace emo::core
