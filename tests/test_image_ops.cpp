// Resampling of image regions (src/vision/image_ops): the separable two-pass kernel against the triangle filter
// written out directly in two dimensions, in double, on random images and regions that shrink, enlarge, and reach
// past the image's edges.
#include "vision/image_ops.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace {

using emo::vision::Pixels;
using emo::vision::Rect;

emo::io::Image random_image(int width, int height, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    emo::io::Image image{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height * 3)};
    for (auto& v : image.rgb) v = static_cast<std::uint8_t>(byte(rng));
    return image;
}

// The weight of source pixel `j` for the output pixel centred at `centre` (source coordinates), a triangle as wide
// as the scale when shrinking; normalised over every position under the filter, inside the image or not.
double weight(int j, double centre, double support) {
    double total = 0;
    for (int k = static_cast<int>(std::floor(centre - support)); k <= static_cast<int>(std::ceil(centre + support));
         ++k)
        total += std::max(0.0, 1 - std::abs(k + 0.5 - centre) / support);
    return std::max(0.0, 1 - std::abs(j + 0.5 - centre) / support) / total;
}

// Every output value as one sum over every source pixel.
std::vector<double> direct(const emo::io::Image& image, const Rect& region, int out_w, int out_h, Pixels pixels) {
    const double sx = region.width / out_w, sy = region.height / out_h;
    const double support_x = std::max(1.0, sx), support_y = std::max(1.0, sy);
    const int channels = pixels == Pixels::rgb ? 3 : 1;
    std::vector<double> out(static_cast<std::size_t>(out_w) * out_h * channels, 0.0);
    for (int i = 0; i < out_h; ++i)
        for (int j = 0; j < out_w; ++j) {
            const double cy = region.y + (i + 0.5) * sy, cx = region.x + (j + 0.5) * sx;
            double rgb[3] = {0, 0, 0};
            for (int y = 0; y < image.height; ++y)
                for (int x = 0; x < image.width; ++x) {
                    const double w = weight(y, cy, support_y) * weight(x, cx, support_x);
                    for (int c = 0; c < 3; ++c)
                        rgb[c] += w * image.rgb[(static_cast<std::size_t>(y) * image.width + x) * 3 + c];
                }
            double* o = &out[(static_cast<std::size_t>(i) * out_w + j) * channels];
            if (channels == 3)
                std::copy(rgb, rgb + 3, o);
            else
                o[0] = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        }
    return out;
}

void expect_matches_direct(const emo::io::Image& image, const Rect& region, int out_w, int out_h) {
    for (const auto pixels : {Pixels::rgb, Pixels::gray}) {
        const auto got = emo::vision::resample(image, region, out_w, out_h, pixels);
        const auto want = direct(image, region, out_w, out_h, pixels);
        ASSERT_EQ(got.size(), want.size());
        double worst = 0;
        for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(got[i] - want[i]));
        // Float sums of a few dozen terms of at most 255.
        EXPECT_LT(worst, 2e-3) << "region " << region.x << ", " << region.y << ", " << region.width << " x "
                               << region.height << " to " << out_w << " x " << out_h
                               << (pixels == Pixels::rgb ? " rgb" : " gray");
    }
}

TEST(ImageOps, ResampleMatchesTheTriangleFilterSummedDirectly) {
    const auto image = random_image(37, 23, 15);
    expect_matches_direct(image, {3.5f, 2.25f, 30.f, 17.f}, 8, 5);  // shrinking inside the image
    expect_matches_direct(image, {10.f, 4.f, 5.f, 4.f}, 13, 11);    // enlarging
    expect_matches_direct(image, {-6.f, -9.f, 20.f, 40.f}, 7, 19);  // past the top-left corner and bottom edge
    expect_matches_direct(image, {30.f, 1.f, 12.f, 12.f}, 5, 5);    // past the right edge
    const auto wide = random_image(50, 20, 16);
    expect_matches_direct(wide, emo::vision::letterbox_square(50, 20), 16, 16);
    const auto tall = random_image(9, 31, 17);
    expect_matches_direct(tall, emo::vision::letterbox_square(9, 31), 12, 12);
}

TEST(ImageOps, RegionsOutsideTheImageAreBlack) {
    const auto image = random_image(12, 10, 18);
    for (const auto pixels : {Pixels::rgb, Pixels::gray}) {
        const auto out = emo::vision::resample(image, {40.f, -30.f, 8.f, 8.f}, 4, 4, pixels);
        EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float v) { return v == 0.f; }));
    }
}

TEST(ImageOps, AFlatImageStaysFlatInside) {
    emo::io::Image image{64, 48, std::vector<std::uint8_t>(64 * 48 * 3, 200)};
    const auto out = emo::vision::resample(image, {4.f, 4.f, 50.f, 37.f}, 9, 7, Pixels::rgb);
    for (const float v : out) EXPECT_NEAR(v, 200.f, 1e-3f);
}

}  // namespace
