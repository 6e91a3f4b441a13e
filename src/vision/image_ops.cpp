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
    std::vector<float> out(static_cast<std::size_t>(out_height) * out_width * channels, 0.f);

    // Down first, then across: the pass down reads whole source rows as they lie in memory (one loop over bytes,
    // which the compiler vectorises), and the pass across, whose taps are a gather, then runs on out_height rows
    // instead of on every source row under the region (twice as many when a 640x480 photo becomes 256x256).
    int col_lo = image.width, col_hi = 0;
    for (int i = 0; i < out_width; ++i)
        if (across.count[i])
            col_lo = std::min(col_lo, across.first[i]), col_hi = std::max(col_hi, across.first[i] + across.count[i]);
    if (col_hi <= col_lo) return out;
    const std::size_t span = static_cast<std::size_t>(col_hi - col_lo) * 3;
    const std::size_t src_stride = static_cast<std::size_t>(image.width) * 3;
    std::vector<float> column(span);
    for (int i = 0; i < out_height; ++i) {
        if (!down.count[i]) continue;
        const float* wd = &down.weights[static_cast<std::size_t>(i) * down.stride];
        const std::uint8_t* src = &image.rgb[static_cast<std::size_t>(down.first[i]) * src_stride + col_lo * 3];
        float* col = column.data();
        const float w0 = wd[0];
        for (std::size_t v = 0; v < span; ++v) col[v] = w0 * src[v];
        for (int k = 1; k < down.count[i]; ++k) {
            src += src_stride;
            const float w = wd[k];
            for (std::size_t v = 0; v < span; ++v) col[v] += w * src[v];
        }

        float* dst = &out[static_cast<std::size_t>(i) * out_width * channels];
        for (int j = 0; j < out_width; ++j) {
            const float* w = &across.weights[static_cast<std::size_t>(j) * across.stride];
            const float* p = col + static_cast<std::size_t>(across.first[j] - col_lo) * 3;
            float r = 0, g = 0, b = 0;
            for (int k = 0; k < across.count[j]; ++k, p += 3) r += w[k] * p[0], g += w[k] * p[1], b += w[k] * p[2];
            if (channels == 3) {
                dst[3 * j] = r, dst[3 * j + 1] = g, dst[3 * j + 2] = b;
            } else {
                dst[j] = 0.299f * r + 0.587f * g + 0.114f * b;
            }
        }
    }
    return out;
}

Rect letterbox_square(int width, int height) {
    const float side = static_cast<float>(std::max(width, height));
    return {(width - side) / 2, (height - side) / 2, side, side};
}

}  // namespace emo::vision
