// nn/max_pool: MaxPool over NHWC tensors, against a plain loop written from TensorFlow's definition.
#include "nn/max_pool.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

using emo::nn::max_pool_nhwc;
using emo::nn::MaxPoolShape;

// The definition: every window position inside the image, -inf where there is none, NaN where any is NaN.
std::vector<float> reference(const std::vector<float>& x, const MaxPoolShape& s) {
    std::vector<float> y;
    for (std::int64_t n = 0; n < s.batch; ++n)
        for (std::int64_t i = 0; i < s.out_height; ++i)
            for (std::int64_t j = 0; j < s.out_width; ++j)
                for (std::int64_t c = 0; c < s.channels; ++c) {
                    float m = -INFINITY;
                    bool nan = false;
                    for (std::int64_t a = 0; a < s.kernel_h; ++a)
                        for (std::int64_t b = 0; b < s.kernel_w; ++b) {
                            const std::int64_t r = i * s.stride_h - s.pad_top + a, q = j * s.stride_w - s.pad_left + b;
                            if (r < 0 || r >= s.height || q < 0 || q >= s.width) continue;
                            const float v =
                                x[static_cast<std::size_t>(((n * s.height + r) * s.width + q) * s.channels + c)];
                            nan = nan || std::isnan(v);
                            m = std::max(m, v);
                        }
                    y.push_back(nan ? NAN : m);
                }
    return y;
}

MaxPoolShape shape(std::int64_t batch, std::int64_t size, std::int64_t channels, std::int64_t kernel,
                   std::int64_t stride, std::int64_t pad) {
    MaxPoolShape s;
    s.batch = batch;
    s.height = size;
    s.width = size + 1;  // not square, so that rows and columns cannot be confused
    s.channels = channels;
    s.kernel_h = s.kernel_w = kernel;
    s.stride_h = s.stride_w = stride;
    s.pad_top = s.pad_left = pad;
    s.out_height = (size + 2 * pad - kernel) / stride + 1;
    s.out_width = (size + 1 + 2 * pad - kernel) / stride + 1;
    return s;
}

TEST(MaxPool, EqualsTheDefinitionOverPaddingStridesAndChannelTails) {
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    // Channel counts around the 8-wide vectors (tails of 1..7), the expression model's 3x3 stride-2 SAME windows,
    // 2x2 VALID ones, and a window larger than the stride.
    for (const auto& s : {shape(1, 29, 128, 3, 2, 1), shape(2, 7, 13, 3, 2, 1), shape(1, 6, 5, 2, 2, 0),
                          shape(3, 5, 9, 4, 1, 2), shape(1, 1, 17, 3, 1, 1)}) {
        SCOPED_TRACE(std::to_string(s.height) + "x" + std::to_string(s.width) + "x" + std::to_string(s.channels) +
                     " kernel " + std::to_string(s.kernel_h) + " stride " + std::to_string(s.stride_h));
        std::vector<float> x(static_cast<std::size_t>(s.batch * s.height * s.width * s.channels));
        for (auto& v : x) v = normal(rng);
        x[3] = NAN;  // one NaN reaches a few windows of the first image
        std::vector<float> y(static_cast<std::size_t>(s.batch * s.out_height * s.out_width * s.channels), 123.0f);
        max_pool_nhwc(x.data(), s, y.data());
        const auto want = reference(x, s);
        ASSERT_EQ(y.size(), want.size());
        int nans = 0;
        for (std::size_t k = 0; k < y.size(); ++k) {
            if (std::isnan(want[k])) {
                EXPECT_TRUE(std::isnan(y[k])) << "at " << k;
                ++nans;
            } else {
                EXPECT_EQ(y[k], want[k]) << "at " << k;
            }
        }
        EXPECT_GT(nans, 0);
    }
}

TEST(MaxPool, AllNegativeWindowsKeepTheirMaximumNotZero) {
    const auto s = shape(1, 4, 11, 3, 2, 1);
    std::vector<float> x(static_cast<std::size_t>(s.height * s.width * s.channels));
    for (std::size_t k = 0; k < x.size(); ++k) x[k] = -1.0f - static_cast<float>(k);
    std::vector<float> y(static_cast<std::size_t>(s.out_height * s.out_width * s.channels));
    max_pool_nhwc(x.data(), s, y.data());
    EXPECT_EQ(y, reference(x, s));
    EXPECT_EQ(y[0], -1.0f);
}

}  // namespace
