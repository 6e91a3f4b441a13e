// The antialiased shapes of vision/draw.hpp that the PNG charts are drawn with.
#include "vision/draw.hpp"

#include <gtest/gtest.h>

namespace {

emo::io::Image white(int w, int h) {
    return {w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 3, 255)};
}

int red(const emo::io::Image& image, int x, int y) {
    return image.rgb[(static_cast<std::size_t>(y) * image.width + x) * 3];
}

const emo::vision::Colour black{0, 0, 0};

TEST(ChartDraw, LineCoversItsPixelsAndLeavesTheRest) {
    auto image = white(40, 20);
    emo::vision::draw_line(image, 5, 10, 35, 10, 3, black);
    EXPECT_EQ(red(image, 20, 10), 0);
    EXPECT_EQ(red(image, 20, 9), 0);
    EXPECT_EQ(red(image, 20, 14), 255);
    EXPECT_EQ(red(image, 2, 10), 255);
    // A diagonal passes through the pixels on its way.
    emo::vision::draw_line(image, 0, 0, 19.5, 19.5, 1.5, black);
    EXPECT_LT(red(image, 8, 8), 60);
    EXPECT_EQ(red(image, 15, 2), 255);
}

TEST(ChartDraw, CircleIsFilledInsideSmoothAtTheEdgeAndClipped) {
    auto image = white(30, 30);
    emo::vision::fill_circle(image, 15, 15, 6, black);
    EXPECT_EQ(red(image, 15, 15), 0);
    EXPECT_EQ(red(image, 15, 25), 255);
    // A pixel the edge crosses gets a share of the colour.
    const int edge = red(image, 15, 20);
    EXPECT_GT(edge, 0);
    EXPECT_LT(edge, 255);
    emo::vision::fill_circle(image, -3, -3, 8, black);  // mostly off the image: no crash, corner drawn
    EXPECT_EQ(red(image, 0, 0), 0);
    emo::vision::outline_circle(image, 15, 15, 10, 2, black);
    EXPECT_LT(red(image, 25, 15), 10);
    EXPECT_EQ(red(image, 15, 22), 255);  // between the disc and the ring
}

TEST(ChartDraw, PolygonAndTranslucentRectBlend) {
    auto image = white(30, 30);
    emo::vision::fill_polygon(image, {{2, 2}, {28, 2}, {2, 28}}, black);
    EXPECT_EQ(red(image, 5, 5), 0);
    EXPECT_EQ(red(image, 25, 25), 255);
    emo::vision::blend_rect(image, 10, 20, 10, 5, {0, 0, 0}, 0.5);
    EXPECT_NEAR(red(image, 15, 22), 128, 1);
    emo::vision::blend_rect(image, 20.5, 0, 1, 1, {0, 0, 0}, 1);  // half of pixel 20, half of 21
    EXPECT_NEAR(red(image, 20, 0), 128, 1);
    EXPECT_NEAR(red(image, 21, 0), 128, 1);
}

}  // namespace
