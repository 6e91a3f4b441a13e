// A 1x1 convolution (stride 1) followed by its bias, a residual addend and a clamp, with TensorFlow.js's CPU
// rounding: each output's products summed in float32 in input-channel order from zero, then the bias added, then the
// addend, each sum rounded to float32 (issue 15's parity bar, 1e-4 absolute against TF.js, on BlazeFace's residual
// blocks). oneDNN's AVX2 kernels cannot do this at speed: they start their sums at the bias, and add a residual
// quickly only as a sum post-op ahead of any other.
#pragma once

#include <cstddef>
#include <vector>

namespace emo::nn {

// Weights and bias laid out for pointwise_conv_sum: [in][out] rows padded with zeros to a multiple of 8 outputs.
struct PointwiseWeights {
    std::size_t in = 0, out = 0, padded = 0;
    std::vector<float> weights;  // in * padded
    std::vector<float> bias;     // padded
};

// From TensorFlow's [1, 1, in, out] filter (row-major [in][out]) and `out` biases.
PointwiseWeights pack_pointwise(const float* filter, const float* bias, std::size_t in, std::size_t out);

// y[p][o] = clamp((sum_i x[p][i] * w[i][o] + bias[o]) + addend[p][o], lo, hi) over `pixels` rows of x (`in` values
// each) and of y and addend (`out` values each). The sum of products is taken in order i = 0, 1, ... with a fused
// multiply-add each (TF.js's double product and float32 store differ from it only where a double rounding bites).
// y may be addend (in place), not x.
void pointwise_conv_sum(const float* x, std::size_t pixels, const PointwiseWeights& w, const float* addend, float* y,
                        float lo, float hi);

}  // namespace emo::nn
