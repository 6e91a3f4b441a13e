// A depthwise 3x3 convolution at stride 1 (one filter per channel, no channel multiplier), as TensorFlow's
// DepthwiseConv2dNative computes it: each sum over the window's taps inside the image in TensorFlow's order (rows,
// then columns) from zero, a fused multiply-add each, as oneDNN's kernel also rounds.
//
// Why: BlazeFace's 28 such layers (24 to 96 channels over 128x128 to 16x16 pixels) took 2.2 ms of its 6.5 on
// oneDNN's AVX2 depthwise kernel, a third of this core's peak; this one runs twelve (or four) pixels' sums side by
// side and loads each input pixel once for the three taps of a window row that read it. It wins at the 128x128
// stage, is on par at the others, and took BlazeFace from 6.36 to 6.13 ms (README, issue 15's bar (c)).
#pragma once

#include "nn/conv3x3_shape.hpp"

namespace emo::nn {

// y[n][i][j][c] = sum over a, b < 3 with the pixel inside of x[n][i + a - pad_top][j + b - pad_left][c] *
// filter[a][b][c], NHWC; filter is TensorFlow's [3, 3, C, 1]. The output rows are shared among OpenMP's threads when
// there are several and the call is not inside a parallel region.
void depthwise3x3(const float* x, const Conv3x3Shape& shape, const float* filter, float* y);

}  // namespace emo::nn
