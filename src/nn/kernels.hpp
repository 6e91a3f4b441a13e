// The numeric kernels every neural model in emo runs on (shared/DESIGN.md: one runtime for the transformer encoders
// of issue 14 and the face models of issue 15): matrix products through oneDNN (nn/dense_layer.hpp for layers with
// fixed weights), and the row-wise operations around them (bias, layer norm, activations, softmax) written here so
// that the compiler vectorises them.
#pragma once

#include <cstddef>
#include <string>

// Element-wise kernels are compiled for AVX-512, AVX2 + FMA and baseline x86-64, the variant picked at load time:
// the build targets baseline x86-64, and unvectorised these loops cost a sixth of an encoder's time.
#if defined(__GNUC__) && !defined(__clang__)
#define EMO_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define EMO_VECTOR_CLONES  // clang (the fuzzing build): baseline code
#endif

namespace emo::nn {

// Row-major matrix views: `rows` rows of `cols` values, consecutive rows `stride` values apart.
struct ConstMatrixView {
    const float* data;
    std::size_t rows, cols, stride;
};
struct MatrixView {
    float* data;
    std::size_t rows, cols, stride;
};

// out = alpha * a * b^T (+ beta * out): a is [m, k], b is [n, k], out is [m, n]. The layout of PyTorch's Linear
// weights ([out_features, in_features]) and of attention's query-key products.
void multiply_transposed(ConstMatrixView a, ConstMatrixView b, MatrixView out, float alpha = 1.0f, float beta = 0.0f);
// out = a * b: a is [m, k], b is [k, n], out is [m, n].
void multiply(ConstMatrixView a, ConstMatrixView b, MatrixView out);

// Adds `bias` (one value per column) to every row of `x`.
void add_bias(MatrixView x, const float* bias);
// Each row of `x` normalised to zero mean and unit variance (biased, as PyTorch's layer_norm), then scaled by
// `weight` and shifted by `bias`; `residual`, when given, is added to x first (x += residual, then normalised).
void layer_norm(MatrixView x, const float* residual, std::size_t residual_stride, const float* weight,
                const float* bias, float eps);
// Each row of `x` replaced by its softmax.
void softmax_rows(MatrixView x);

enum class Activation { gelu, gelu_tanh, relu, tanh };
// The activation a Hugging Face config names ("gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu",
// "tanh"); throws emo::Error naming `origin` for any other.
Activation activation_from_name(const std::string& name, const std::string& origin);
// Applies `act` in place to n values.
void apply_activation(Activation act, float* x, std::size_t n);

}  // namespace emo::nn
