// The geometry of a 3x3 window at stride 1 over a batch of NHWC images, as the executor's own 3x3 kernels take it
// (nn/depthwise_conv, nn/winograd_conv): TensorFlow's SAME, VALID or explicit padding come down to the output's size
// and the zeros before the first row and column.
#pragma once

#include <cstdint>

namespace emo::nn {

struct Conv3x3Shape {
    std::int64_t batch = 0, height = 0, width = 0, channels = 0;  // the input's
    std::int64_t out_height = 0, out_width = 0;
    std::int64_t pad_top = 0, pad_left = 0;  // rows and columns of zeros before the image's first
};

}  // namespace emo::nn
