// Scenes for the face detector's sanity check (issue 15): FER2013 faces pasted at known places and sizes onto
// generated backgrounds (smooth colour fields, noise and rectangles) of several sizes and aspect ratios. The pasted
// square is the true face box.
#pragma once

#include "io/image.hpp"
#include "vision/image_ops.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace emo_test {

struct Scene {
    emo::io::Image image;
    emo::vision::Rect face;  // where the face was pasted
};

// A background of `width` x `height`: a smooth field between random colours on a coarse grid, fine noise, and a
// few rectangles of random colours.
inline emo::io::Image make_background(int width, int height, std::mt19937& rng) {
    std::uniform_int_distribution<int> byte(0, 255);
    constexpr int grid = 5;
    std::vector<float> corners((grid + 1) * (grid + 1) * 3);
    for (auto& c : corners) c = static_cast<float>(byte(rng));
    emo::io::Image image{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height * 3)};
    std::normal_distribution<float> noise(0.f, 12.f);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const float gx = static_cast<float>(x) * grid / width, gy = static_cast<float>(y) * grid / height;
            const int cx = std::min(static_cast<int>(gx), grid - 1), cy = std::min(static_cast<int>(gy), grid - 1);
            const float fx = gx - cx, fy = gy - cy;
            for (int c = 0; c < 3; ++c) {
                const auto at = [&](int i, int j) { return corners[((j * (grid + 1)) + i) * 3 + c]; };
                const float v = (1 - fy) * ((1 - fx) * at(cx, cy) + fx * at(cx + 1, cy)) +
                                fy * ((1 - fx) * at(cx, cy + 1) + fx * at(cx + 1, cy + 1)) + noise(rng);
                image.rgb[(static_cast<std::size_t>(y) * width + x) * 3 + c] =
                    static_cast<std::uint8_t>(std::clamp(v, 0.f, 255.f));
            }
        }
    std::uniform_int_distribution<int> count(2, 6);
    for (int r = count(rng); r > 0; --r) {
        const int w = std::uniform_int_distribution<int>(width / 20, width / 3)(rng);
        const int h = std::uniform_int_distribution<int>(height / 20, height / 3)(rng);
        const int x0 = std::uniform_int_distribution<int>(0, width - w)(rng);
        const int y0 = std::uniform_int_distribution<int>(0, height - h)(rng);
        const std::uint8_t colour[3] = {static_cast<std::uint8_t>(byte(rng)), static_cast<std::uint8_t>(byte(rng)),
                                        static_cast<std::uint8_t>(byte(rng))};
        for (int y = y0; y < y0 + h; ++y)
            for (int x = x0; x < x0 + w; ++x)
                std::copy(colour, colour + 3, &image.rgb[(static_cast<std::size_t>(y) * width + x) * 3]);
    }
    return image;
}

// `face` resized to a square of side `side` and pasted into `image` with its top-left corner at x0, y0 (inside).
inline void paste(emo::io::Image& image, const emo::io::Image& face, int x0, int y0, int side) {
    const auto pixels =
        emo::vision::resample(face, {0, 0, static_cast<float>(face.width), static_cast<float>(face.height)}, side, side,
                              emo::vision::Pixels::rgb);
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side * 3; ++x)
            image.rgb[(static_cast<std::size_t>(y0 + y) * image.width + x0) * 3 + x] = static_cast<std::uint8_t>(
                std::clamp(std::lround(pixels[static_cast<std::size_t>(y) * side * 3 + x]), 0L, 255L));
}

// `face` resized to a square of side `side` and pasted onto a background of `width` x `height` at a random place.
inline Scene make_scene(const emo::io::Image& face, int width, int height, int side, std::mt19937& rng) {
    Scene scene{make_background(width, height, rng), {}};
    const int x0 = std::uniform_int_distribution<int>(0, width - side)(rng);
    const int y0 = std::uniform_int_distribution<int>(0, height - side)(rng);
    paste(scene.image, face, x0, y0, side);
    scene.face = {static_cast<float>(x0), static_cast<float>(y0), static_cast<float>(side), static_cast<float>(side)};
    return scene;
}

}  // namespace emo_test
