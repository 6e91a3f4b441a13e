// A fully connected layer prepared for inference: weights handed to oneDNN's matmul once at load time, in float32
// (packed for its blocked AVX-512 kernels, one primitive per row count and thread count), in bfloat16 (the same, with
// bf16 weights and activations, f32 accumulation and output), or quantised to int8 (dynamic quantisation:
// symmetric per-output-channel s8 weights, asymmetric u8 activations with one scale and zero point per row).
// oneDNN picks its kernels by the CPU's instruction sets at run time (AVX-512, VNNI, ...), where Debian's OpenBLAS
// picks by CPU model and falls back to AVX2 on CPUs newer than itself.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace emo::nn {

struct Linear;

enum class Precision { float32, int8, bf16 };

// "float32", "int8", "bf16".
const char* precision_name(Precision precision);
// True when oneDNN finds bf16 instructions on this CPU (AVX512-BF16 or AMX): without them oneDNN would emulate bf16
// products far slower than float32, so DenseLayer refuses Precision::bf16 there.
bool bf16_supported();

class DenseLayer {
public:
    DenseLayer() = default;
    // Prepares `raw` ([out, in] weight, [out] bias) at `precision`; `raw` may be dropped afterwards. Precision::bf16
    // on a CPU without bf16 instructions (bf16_supported() false) throws emo::Error.
    DenseLayer(const Linear& raw, Precision precision);

    // y = x W^T + b for `rows` rows: x is [rows, in], y is [rows, out], both contiguous.
    void apply(const float* x, std::size_t rows, float* y) const;

    std::size_t in() const { return in_; }
    std::size_t out() const { return out_; }

private:
    struct Impl;
    std::shared_ptr<const Impl> impl_;
    std::size_t in_ = 0, out_ = 0;
};

// Threads for the matrix products and the row-wise kernels (OpenMP, which oneDNN runs on); at least 1.
void set_threads(int threads);

}  // namespace emo::nn
