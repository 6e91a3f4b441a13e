// MaxPool over NHWC float32 tensors, without oneDNN: oneDNN's AVX2 pooling took 7% of the expression model's time
// (3x3 windows, stride 2, over 128 and 256 channels), about three times what this takes. A maximum is exact, so the
// order of the comparisons is free and the values are TF.js's; NaN wins, as it does there.
#pragma once

#include <cstdint>

namespace emo::nn {

struct MaxPoolShape {
    std::int64_t batch = 0, height = 0, width = 0, channels = 0;  // the input's
    std::int64_t out_height = 0, out_width = 0;
    std::int64_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
    std::int64_t pad_top = 0, pad_left = 0;  // window positions before the image's first row and column
};

// y[n][i][j][c] = max over the window's pixels inside the image of x[n][r][q][c] (-inf where none is).
void max_pool_nhwc(const float* x, const MaxPoolShape& s, float* y);

}  // namespace emo::nn
