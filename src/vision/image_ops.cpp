#include "vision/image_ops.hpp"

#include "emo/emo.hpp"

#include <algorithm>
#include <cmath>

namespace emo::vision {

namespace {

// The source pixels behind each output pixel along one axis, with their weights. Weights are normalised over every
// source position under the filter, inside the image or not, and only those inside are kept: outside counts as 0.
struct Taps {
    std::vector<int> first;      // first source index of output i
    std::vector<int> count;      // how many source indices from `first`
    std::vector<float> weights;  // `stride` per output, the first `count` used
    int stride = 0;
};

Taps make_taps(double start, double length, int out_n, int src_n) {
    const double scale = length / out_n;
    const double support = std::max(1.0, scale);
    Taps t;
    t.stride = static_cast<int>(std::ceil(2 * support)) + 2;
    t.first.resize(out_n);
    t.count.resize(out_n);
    t.weights.assign(static_cast<std::size_t>(out_n) * t.stride, 0.f);
    for (int i = 0; i < out_n; ++i) {
        const double centre = start + (i + 0.5) * scale;
        const int lo = static_cast<int>(std::floor(centre - support));
        const int hi = static_cast<int>(std::ceil(centre + support));
        double total = 0;
        for (int j = lo; j <= hi; ++j) total += std::max(0.0, 1 - std::abs(j + 0.5 - centre) / support);
        const int first = std::clamp(lo, 0, src_n), last = std::clamp(hi + 1, 0, src_n);
        t.first[i] = first;
        t.count[i] = std::max(0, last - first);
        float* w = &t.weights[static_cast<std::size_t>(i) * t.stride];
        for (int j = first; j < last; ++j)
            w[j - first] = static_cast<float>(std::max(0.0, 1 - std::abs(j + 0.5 - centre) / support) / total);
    }
    return t;
}

}  // namespace

std::vector<float> resample(const io::Image& image, const Rect& region, int out_width, int out_height, Pixels pixels) {
    if (out_width <= 0 || out_height <= 0 || !(region.width > 0) || !(region.height > 0) || image.width <= 0 ||
        image.height <= 0)
        throw Error("resample: empty image, region or output size");
    const int channels = pixels == Pixels::rgb ? 3 : 1;
    const Taps across = make_taps(region.x, region.width, out_width, image.width);
    const Taps down = make_taps(region.y, region.height, out_height, image.height);

    // Pass 1: every source row that pass 2 reads, filtered across into out_width pixels.
    int row_lo = image.height, row_hi = 0;
    for (int i = 0; i < out_height; ++i)
        if (down.count[i])
            row_lo = std::min(row_lo, down.first[i]), row_hi = std::max(row_hi, down.first[i] + down.count[i]);
    const std::size_t row_values = static_cast<std::size_t>(out_width) * channels;
    std::vector<float> rows(row_hi > row_lo ? (row_hi - row_lo) * row_values : 0, 0.f);
    for (int y = row_lo; y < row_hi; ++y) {
        const std::uint8_t* src = &image.rgb[static_cast<std::size_t>(y) * image.width * 3];
        float* dst = &rows[(y - row_lo) * row_values];
        for (int i = 0; i < out_width; ++i) {
            const float* w = &across.weights[static_cast<std::size_t>(i) * across.stride];
            const std::uint8_t* p = src + static_cast<std::size_t>(across.first[i]) * 3;
            float r = 0, g = 0, b = 0;
            for (int k = 0; k < across.count[i]; ++k, p += 3) r += w[k] * p[0], g += w[k] * p[1], b += w[k] * p[2];
            if (channels == 3) {
                dst[3 * i] = r, dst[3 * i + 1] = g, dst[3 * i + 2] = b;
            } else {
                dst[i] = 0.299f * r + 0.587f * g + 0.114f * b;
            }
        }
    }

    // Pass 2: down the rows.
    std::vector<float> out(static_cast<std::size_t>(out_height) * row_values, 0.f);
    for (int i = 0; i < out_height; ++i) {
        const float* w = &down.weights[static_cast<std::size_t>(i) * down.stride];
        float* dst = &out[i * row_values];
        for (int k = 0; k < down.count[i]; ++k) {
            const float* src = &rows[(down.first[i] + k - row_lo) * row_values];
            for (std::size_t v = 0; v < row_values; ++v) dst[v] += w[k] * src[v];
        }
    }
    return out;
}

Rect letterbox_square(int width, int height) {
    const float side = static_cast<float>(std::max(width, height));
    return {(width - side) / 2, (height - side) / 2, side, side};
}

}  // namespace emo::vision
