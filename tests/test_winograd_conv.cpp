// nn/winograd_conv: a 3x3 convolution on F(4x4, 3x3) against the direct sum written from TensorFlow's definition.
#include "nn/winograd_conv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using emo::nn::Conv3x3Shape;
using emo::nn::pack_winograd;
using emo::nn::winograd_conv3x3;

struct Case {
    std::int64_t batch, height, width, in, out, pad_top, pad_left, out_height, out_width;
};

// The direct sum in double, and the sum of the terms' magnitudes, which bounds what rounding can do to it.
void reference(const std::vector<float>& x, const std::vector<float>& filter, const std::vector<float>& bias,
               const Case& c, std::vector<double>& y, std::vector<double>& magnitude) {
    for (std::int64_t n = 0; n < c.batch; ++n)
        for (std::int64_t i = 0; i < c.out_height; ++i)
            for (std::int64_t j = 0; j < c.out_width; ++j)
                for (std::int64_t o = 0; o < c.out; ++o) {
                    double sum = bias[static_cast<std::size_t>(o)], size = std::fabs(sum);
                    for (std::int64_t a = 0; a < 3; ++a)
                        for (std::int64_t b = 0; b < 3; ++b) {
                            const std::int64_t r = i + a - c.pad_top, q = j + b - c.pad_left;
                            if (r < 0 || r >= c.height || q < 0 || q >= c.width) continue;
                            for (std::int64_t k = 0; k < c.in; ++k) {
                                const double t =
                                    static_cast<double>(
                                        x[static_cast<std::size_t>(((n * c.height + r) * c.width + q) * c.in + k)]) *
                                    filter[static_cast<std::size_t>(((a * 3 + b) * c.in + k) * c.out + o)];
                                sum += t;
                                size += std::fabs(t);
                            }
                        }
                    y.push_back(sum);
                    magnitude.push_back(size);
                }
}

Conv3x3Shape shape_of(const Case& c) {
    Conv3x3Shape s;
    s.batch = c.batch;
    s.height = c.height;
    s.width = c.width;
    s.channels = c.in;
    s.out_height = c.out_height;
    s.out_width = c.out_width;
    s.pad_top = c.pad_top;
    s.pad_left = c.pad_left;
    return s;
}

void check(const Case& c, float lo, float hi) {
    std::mt19937 rng(static_cast<unsigned>(c.in * 131 + c.out * 7 + c.height));
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    std::vector<float> x(static_cast<std::size_t>(c.batch * c.height * c.width * c.in));
    std::vector<float> filter(static_cast<std::size_t>(9 * c.in * c.out)), bias(static_cast<std::size_t>(c.out));
    for (auto& v : x) v = 3.0f * value(rng);
    for (auto& v : filter) v = value(rng);
    for (auto& v : bias) v = value(rng);
    std::vector<double> want, magnitude;
    reference(x, filter, bias, c, want, magnitude);

    const auto w =
        pack_winograd(filter.data(), bias.data(), static_cast<std::size_t>(c.in), static_cast<std::size_t>(c.out));
    std::vector<float> y(want.size(), NAN);
    winograd_conv3x3(x.data(), shape_of(c), w, y.data(), lo, hi);
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double expected = std::min<double>(std::max<double>(want[i], lo), hi);
        // F(4x4, 3x3)'s transforms scale terms by at most a few hundred before they cancel: a few hundred float
        // roundings of the terms' total magnitude.
        ASSERT_NEAR(y[i], expected, 1e-5 * magnitude[i] + 1e-6)
            << "value " << i << " of " << y.size() << " (in " << c.in << ", out " << c.out << ")";
    }
}

TEST(WinogradConv, EqualsTheDirectSumWithSamePadding) {
    if (!emo::nn::winograd_supported()) GTEST_SKIP() << "no AVX2 and FMA here";
    check({1, 8, 8, 256, 7, 1, 1, 8, 8}, -INFINITY, INFINITY);    // the expression model's last convolution
    check({2, 9, 11, 13, 20, 1, 1, 9, 11}, -INFINITY, INFINITY);  // channel tails, a batch, tiles cut at the edge
}

TEST(WinogradConv, EqualsTheDirectSumWithValidPadding) {
    if (!emo::nn::winograd_supported()) GTEST_SKIP() << "no AVX2 and FMA here";
    check({1, 31, 31, 32, 64, 0, 0, 29, 29}, 0.0f, INFINITY);  // the expression model's second, with its Relu
    check({1, 6, 7, 8, 8, 0, 0, 4, 5}, -INFINITY, INFINITY);
}

TEST(WinogradConv, TakesUnevenPaddingAndClamps) {
    if (!emo::nn::winograd_supported()) GTEST_SKIP() << "no AVX2 and FMA here";
    check({1, 10, 10, 5, 3, 0, 1, 9, 10}, 0.0f, 6.0f);  // TensorFlow's SAME with an even size pads after only
    check({1, 3, 3, 16, 9, 2, 2, 5, 5}, -1.0f, 1.0f);   // more padding than image
}

TEST(WinogradConv, PassesNaNOn) {
    if (!emo::nn::winograd_supported()) GTEST_SKIP() << "no AVX2 and FMA here";
    const float filter[9] = {0, 0, 0, 0, 1, 0, 0, 0, 0}, bias[1] = {0};
    const auto w = pack_winograd(filter, bias, 1, 1);
    std::vector<float> x(25, 1.0f), y(25, 0.0f);
    x[12] = NAN;
    Conv3x3Shape s;
    s.batch = s.channels = 1;
    s.height = s.width = s.out_height = s.out_width = 5;
    s.pad_top = s.pad_left = 1;
    winograd_conv3x3(x.data(), s, w, y.data(), 0.0f, 6.0f);
    EXPECT_TRUE(std::isnan(y[12]));  // a clamp must not hide it
    // It spreads over its 4x4 tile (the direct sum spreads it over the 3x3 window, 0 * NaN being NaN), no further.
    EXPECT_FLOAT_EQ(y[24], 1.0f);
}

}  // namespace
