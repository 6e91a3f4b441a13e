// A dense 3x3 convolution with stride 1 on Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015): each 4x4 block of output pixels comes from the 6x6 block of
// input pixels under it through 36 products per input and output channel in a transformed space instead of 144, and
// the products of all blocks at one of the 36 positions make one matrix product over the channels.
//
// Why: the expression model's two dense 3x3 convolutions (32 -> 64 channels over 29x29 pixels, 256 -> 7 over 8x8)
// took a quarter of its time on oneDNN's direct AVX2 kernel, the 7-channel one at a fifth of the core's peak (issue
// 15's bar (b), 500 crops a second on one core). The result differs from the direct sum by rounding only: the
// transforms' coefficients are small integers and their inverses, and the tests hold it to the direct convolution.
#pragma once

#include "nn/conv3x3_shape.hpp"

#include <cstddef>
#include <vector>

namespace emo::nn {

// The filter in the transformed space, [36][in_padded][out_padded] (zeros in the padding), and the bias.
struct WinogradWeights {
    std::size_t in = 0, out = 0, in_padded = 0, out_padded = 0;  // padded to multiples of 8
    std::vector<float> transformed;
    std::vector<float> bias;  // out_padded values
};

// From TensorFlow's [3, 3, in, out] filter (HWIO, row-major) and `out` biases (nullptr: none).
WinogradWeights pack_winograd(const float* filter, const float* bias, std::size_t in, std::size_t out);

// Whether this processor runs winograd_conv3x3 (AVX2 and FMA); where it does not, callers keep their other path.
bool winograd_supported();

// y[n][i][j][o] = clamp(sum over a, b < 3 and c of x[n][i + a - pad_top][j + b - pad_left][c] * filter[a][b][c][o]
// (zero outside the image) + bias[o], lo, hi), NHWC, every output pixel written. On OpenMP's threads when there are
// several and the call is not inside a parallel region. Only where winograd_supported().
// shape.channels must be the weights' `in`.
void winograd_conv3x3(const float* x, const Conv3x3Shape& shape, const WinogradWeights& w, float* y, float lo,
                      float hi);

}  // namespace emo::nn
