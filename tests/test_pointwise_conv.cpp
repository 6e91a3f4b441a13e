// nn/pointwise_conv: a 1x1 convolution + bias + addend + clamp that rounds as TensorFlow.js's CPU backend does.
#include "nn/pointwise_conv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <vector>

namespace {

using emo::nn::pack_pointwise;
using emo::nn::pointwise_conv_sum;

std::vector<float> uniform(std::size_t n, float scale, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-scale, scale);
    std::vector<float> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

struct Case {
    std::size_t pixels, in, out;
};

// Output channel counts around the 8-wide vectors and 24-wide blocks (tails of 1..7), pixel counts around the
// 4-pixel rows, as BlazeFace's 24..96 channels and odd sizes of other models bring.
const Case cases[] = {{1, 1, 1}, {5, 3, 7}, {9, 24, 24}, {7, 28, 28}, {13, 42, 36}, {4, 96, 96}, {6, 17, 50}};

TEST(PointwiseConv, EqualsTfjsRoundingAndADoubleReference) {
    for (const auto& c : cases) {
        SCOPED_TRACE(std::to_string(c.pixels) + " pixels, " + std::to_string(c.in) + " -> " + std::to_string(c.out));
        const auto x = uniform(c.pixels * c.in, 3.0f, 1), f = uniform(c.in * c.out, 1.0f, 2);
        const auto b = uniform(c.out, 1.0f, 3), r = uniform(c.pixels * c.out, 10.0f, 4);
        const auto w = pack_pointwise(f.data(), b.data(), c.in, c.out);
        std::vector<float> y(c.pixels * c.out);
        pointwise_conv_sum(x.data(), c.pixels, w, r.data(), y.data(), -INFINITY, INFINITY);
        for (std::size_t p = 0; p < c.pixels; ++p)
            for (std::size_t o = 0; o < c.out; ++o) {
                // TF.js's loop: a double product added to a float32 sum, stored as float32, from zero; then the
                // bias and the addend, each rounded.
                float tfjs = 0.0f;
                double exact = 0.0, magnitude = 0.0;
                for (std::size_t i = 0; i < c.in; ++i) {
                    const double term = static_cast<double>(x[p * c.in + i]) * f[i * c.out + o];
                    tfjs = static_cast<float>(tfjs + term);
                    exact += term;
                    magnitude += std::fabs(term);
                }
                tfjs = (tfjs + b[o]) + r[p * c.out + o];
                exact += static_cast<double>(b[o]) + r[p * c.out + o];
                const float got = y[p * c.out + o];
                EXPECT_EQ(got, tfjs) << p << ", " << o;
                // And near the exact value: float32 rounding of each partial sum, nothing more.
                const double bound = (c.in + 2) * std::numeric_limits<float>::epsilon() *
                                     (magnitude + std::fabs(b[o]) + std::fabs(r[p * c.out + o]));
                EXPECT_NEAR(got, exact, bound) << p << ", " << o;
            }
    }
}

TEST(PointwiseConv, ClampsInPlaceOverTheAddendAndPassesNaN) {
    const std::size_t pixels = 5, in = 4, out = 11;
    const auto x = uniform(pixels * in, 3.0f, 5), f = uniform(in * out, 1.0f, 6), b = uniform(out, 1.0f, 7);
    auto r = uniform(pixels * out, 10.0f, 8);
    r[3] = std::numeric_limits<float>::quiet_NaN();
    const auto w = pack_pointwise(f.data(), b.data(), in, out);
    std::vector<float> apart(pixels * out);
    pointwise_conv_sum(x.data(), pixels, w, r.data(), apart.data(), 0.0f, 6.0f);
    pointwise_conv_sum(x.data(), pixels, w, r.data(), r.data(), 0.0f, 6.0f);
    for (std::size_t k = 0; k < r.size(); ++k) {
        if (k == 3) {
            EXPECT_TRUE(std::isnan(r[k]));
            continue;
        }
        EXPECT_EQ(r[k], apart[k]) << k;
        EXPECT_GE(r[k], 0.0f);
        EXPECT_LE(r[k], 6.0f);
    }
}

}  // namespace
