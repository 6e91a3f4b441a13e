// nn/depthwise_conv: a 3x3 depthwise convolution against a plain loop in the same order (TensorFlow's: the window's
// rows, then its columns, from zero, a fused multiply-add each), which it must equal bit for bit.
#include "nn/depthwise_conv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using emo::nn::Conv3x3Shape;
using emo::nn::depthwise3x3;

std::vector<float> reference(const std::vector<float>& x, const std::vector<float>& f, const Conv3x3Shape& s) {
    std::vector<float> y;
    for (std::int64_t n = 0; n < s.batch; ++n)
        for (std::int64_t i = 0; i < s.out_height; ++i)
            for (std::int64_t j = 0; j < s.out_width; ++j)
                for (std::int64_t c = 0; c < s.channels; ++c) {
                    float acc = 0.0f;
                    for (std::int64_t a = 0; a < 3; ++a)
                        for (std::int64_t b = 0; b < 3; ++b) {
                            const std::int64_t r = i + a - s.pad_top, q = j + b - s.pad_left;
                            if (r < 0 || r >= s.height || q < 0 || q >= s.width) continue;
                            acc = std::fma(
                                x[static_cast<std::size_t>(((n * s.height + r) * s.width + q) * s.channels + c)],
                                f[static_cast<std::size_t>((a * 3 + b) * s.channels + c)], acc);
                        }
                    y.push_back(acc);
                }
    return y;
}

Conv3x3Shape shape(std::int64_t height, std::int64_t width, std::int64_t channels, std::int64_t pad,
                   std::int64_t batch = 1) {
    Conv3x3Shape s;
    s.batch = batch;
    s.height = height;
    s.width = width;
    s.channels = channels;
    s.pad_top = s.pad_left = pad;
    s.out_height = height + 2 * pad - 2;
    s.out_width = width + 2 * pad - 2;
    return s;
}

void check(const Conv3x3Shape& s) {
    std::mt19937 rng(static_cast<unsigned>(s.channels * 31 + s.width));
    std::uniform_real_distribution<float> value(-2.0f, 2.0f);
    std::vector<float> x(static_cast<std::size_t>(s.batch * s.height * s.width * s.channels));
    std::vector<float> f(static_cast<std::size_t>(9 * s.channels));
    for (auto& v : x) v = value(rng);
    for (auto& v : f) v = value(rng);
    const auto want = reference(x, f, s);
    std::vector<float> y(want.size(), NAN);
    depthwise3x3(x.data(), s, f.data(), y.data());
    for (std::size_t k = 0; k < y.size(); ++k)
        ASSERT_EQ(y[k], want[k]) << "value " << k << " (" << s.height << "x" << s.width << "x" << s.channels << ")";
}

TEST(DepthwiseConv, SamePaddingEqualsThePlainLoopBitForBit) {
    check(shape(128, 128, 24, 1));  // BlazeFace's first stage: 126 inside columns, blocks of 12, then of 4 overlapping
    check(shape(16, 30, 24, 1));    // 28 inside columns: two blocks of 12 and one of 4
    check(shape(9, 13, 96, 1));     // 11 inside columns: two blocks of 4 and an overlapping third
    check(shape(6, 17, 16, 1, 3));  // a batch of three
    check(shape(7, 6, 28, 1));      // a channel tail (facemesh-detection's 28, 36, 42 ...)
    check(shape(5, 3, 5, 1));       // fewer channels than a vector
}

TEST(DepthwiseConv, ValidPaddingAndTinyImages) {
    check(shape(10, 19, 16, 0));
    check(shape(3, 3, 8, 0));  // one output pixel
    check(shape(1, 1, 9, 1));  // one input pixel: only the window's centre inside
    check(shape(2, 1, 8, 1));
    check(shape(2, 2, 8, 3));  // more padding than image (EXPLICIT): windows wholly outside give 0
}

}  // namespace
