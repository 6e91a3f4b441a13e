#include "nn/kernels.hpp"

#include <emo/emo.hpp>

#include <dnnl.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace emo::nn {

namespace {

dnnl_dim_t blas_int(std::size_t n) { return static_cast<dnnl_dim_t>(n); }

// e^x in float, accurate to a few units in the last place, in straight-line code the compiler vectorises (std::exp
// is a library call per value). x = n ln2 + r with |r| <= ln2 / 2; e^r by its Taylor series to degree 7 (truncation
// below 1e-8 relative); 2^n put straight into the exponent bits. Arguments are clamped to the range where 2^n is a
// normal float, which only matters for the softmax's far-below-maximum scores (e^-87 is 0 to every sum here).
inline float fast_exp(float x) {
    x = std::clamp(x, -87.0f, 88.0f);
    // Round to nearest by adding and subtracting 1.5 * 2^23 (vectorises where nearbyint needs SSE4.1).
    const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    const float r = (x - n * 0.693145751953125f) - n * 1.428606765330187e-06f;  // ln2 split for exact n * hi
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    const auto scale = std::bit_cast<float>(static_cast<std::uint32_t>(static_cast<std::int32_t>(n) + 127) << 23);
    return p * scale;
}

// erf by Abramowitz and Stegun's formula 7.1.26 (absolute error below 1.5e-7, under float rounding of GELU's
// output), so that GELU needs one exponential and no library call.
inline float fast_erf(float x) {
    const float a = std::fabs(x);
    const float t = 1.0f / (1.0f + 0.3275911f * a);
    float p = 1.061405429f;
    p = p * t - 1.453152027f;
    p = p * t + 1.421413741f;
    p = p * t - 0.284496736f;
    p = p * t + 0.254829592f;
    const float y = 1.0f - p * t * fast_exp(-a * a);
    return std::copysign(y, x);
}

inline float fast_tanh(float x) {
    // 1 - 2 / (e^2x + 1): exact at the ends, absolute error near 1e-7 around zero.
    return 1.0f - 2.0f / (fast_exp(2.0f * x) + 1.0f);
}

}  // namespace

void multiply_transposed(ConstMatrixView a, ConstMatrixView b, MatrixView out, float alpha, float beta) {
    if (a.cols != b.cols || out.rows != a.rows || out.cols != b.rows)
        throw Error("multiply_transposed: shapes disagree");
    if (a.rows == 0 || b.rows == 0) return;
    // oneDNN's sgemm is row-major, unlike BLAS's.
    dnnl_sgemm('N', 'T', blas_int(a.rows), blas_int(b.rows), blas_int(a.cols), alpha, a.data, blas_int(a.stride),
               b.data, blas_int(b.stride), beta, out.data, blas_int(out.stride));
}

void multiply(ConstMatrixView a, ConstMatrixView b, MatrixView out) {
    if (a.cols != b.rows || out.rows != a.rows || out.cols != b.cols) throw Error("multiply: shapes disagree");
    if (a.rows == 0 || b.cols == 0) return;
    dnnl_sgemm('N', 'N', blas_int(a.rows), blas_int(b.cols), blas_int(a.cols), 1.0f, a.data, blas_int(a.stride), b.data,
               blas_int(b.stride), 0.0f, out.data, blas_int(out.stride));
}

EMO_VECTOR_CLONES void add_bias(MatrixView x, const float* bias) {
    for (std::size_t r = 0; r < x.rows; ++r) {
        float* row = x.data + r * x.stride;
        for (std::size_t c = 0; c < x.cols; ++c) row[c] += bias[c];
    }
}

EMO_VECTOR_CLONES void layer_norm(MatrixView x, const float* residual, std::size_t residual_stride, const float* weight,
                                  const float* bias, float eps) {
    const auto n = static_cast<float>(x.cols);
    for (std::size_t r = 0; r < x.rows; ++r) {
        float* row = x.data + r * x.stride;
        if (residual) {
            const float* res = residual + r * residual_stride;
            for (std::size_t c = 0; c < x.cols; ++c) row[c] += res[c];
        }
        float sum = 0.0f;
        for (std::size_t c = 0; c < x.cols; ++c) sum += row[c];
        const float mean = sum / n;
        float squares = 0.0f;  // two passes: the variance of values far from zero keeps its precision
        for (std::size_t c = 0; c < x.cols; ++c) squares += (row[c] - mean) * (row[c] - mean);
        const float inv = 1.0f / std::sqrt(squares / n + eps);
        for (std::size_t c = 0; c < x.cols; ++c) row[c] = (row[c] - mean) * inv * weight[c] + bias[c];
    }
}

EMO_VECTOR_CLONES void softmax_rows(MatrixView x) {
    for (std::size_t r = 0; r < x.rows; ++r) {
        float* row = x.data + r * x.stride;
        float top = row[0];
        for (std::size_t c = 1; c < x.cols; ++c) top = std::max(top, row[c]);
        float sum = 0.0f;
        for (std::size_t c = 0; c < x.cols; ++c) {
            row[c] = fast_exp(row[c] - top);
            sum += row[c];
        }
        const float inv = 1.0f / sum;
        for (std::size_t c = 0; c < x.cols; ++c) row[c] *= inv;
    }
}

Activation activation_from_name(const std::string& name, const std::string& origin) {
    if (name == "gelu") return Activation::gelu;
    if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast") return Activation::gelu_tanh;
    if (name == "relu") return Activation::relu;
    if (name == "tanh") return Activation::tanh;
    throw Error(origin + ": unsupported activation '" + name +
                "' (expected gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu or tanh)");
}

EMO_VECTOR_CLONES void apply_activation(Activation act, float* x, std::size_t n) {
    switch (act) {
        case Activation::gelu:
            for (std::size_t i = 0; i < n; ++i) x[i] = 0.5f * x[i] * (1.0f + fast_erf(x[i] * 0.70710678118654752f));
            break;
        case Activation::gelu_tanh:
            for (std::size_t i = 0; i < n; ++i) {
                const float v = x[i];
                x[i] = 0.5f * v * (1.0f + fast_tanh(0.79788456080286536f * (v + 0.044715f * v * v * v)));
            }
            break;
        case Activation::relu:
            for (std::size_t i = 0; i < n; ++i) x[i] = std::max(x[i], 0.0f);
            break;
        case Activation::tanh:
            for (std::size_t i = 0; i < n; ++i) x[i] = fast_tanh(x[i]);
            break;
    }
}

}  // namespace emo::nn
