#include "vision/image_ops.hpp"

#include "emo/emo.hpp"
#include "nn/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#ifdef __SSE2__
#include <immintrin.h>
#endif

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

// col[v] = sum over k < count of weights[k] * src[k * stride + v], v < span: the pass down for one output row. In
// clones for AVX2 and AVX-512 (the build's baseline is SSE2): it is most of the letterbox's time (issue 15's bar (c)).
EMO_VECTOR_CLONES void blend_rows(const std::uint8_t* src, std::size_t stride, const float* weights, int count,
                                  std::size_t span, float* __restrict col) {
    const float w0 = weights[0];
    for (std::size_t v = 0; v < span; ++v) col[v] = w0 * static_cast<float>(src[v]);
    for (int k = 1; k < count; ++k) {
        src += stride;
        const float w = weights[k];
        for (std::size_t v = 0; v < span; ++v) col[v] += w * static_cast<float>(src[v]);
    }
}

// The pass across for one output row of RGB (channels 3) or gray (1) values from the blended source row `col`, whose
// first pixel is source column col_lo and which has one readable value past its last pixel. A pixel's three
// channels sum as one SSE vector (the fourth lane, the next pixel's red, is dropped): a third of the scalar work, in
// the same order and rounding.
void blend_columns(const float* col, int col_lo, const Taps& across, int out_width, int channels, float* dst) {
    for (int j = 0; j < out_width; ++j) {
        const float* w = &across.weights[static_cast<std::size_t>(j) * across.stride];
        const float* p = col + static_cast<std::size_t>(across.first[j] - col_lo) * 3;
        alignas(16) float rgb[4];
#ifdef __SSE2__
        __m128 acc = _mm_setzero_ps();
        for (int k = 0; k < across.count[j]; ++k, p += 3)
            acc = _mm_add_ps(acc, _mm_mul_ps(_mm_set1_ps(w[k]), _mm_loadu_ps(p)));
        _mm_store_ps(rgb, acc);
#else
        rgb[0] = rgb[1] = rgb[2] = 0;
        for (int k = 0; k < across.count[j]; ++k, p += 3)
            rgb[0] += w[k] * p[0], rgb[1] += w[k] * p[1], rgb[2] += w[k] * p[2];
#endif
        if (channels == 3) {
            dst[3 * j] = rgb[0], dst[3 * j + 1] = rgb[1], dst[3 * j + 2] = rgb[2];
        } else {
            dst[j] = 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
        }
    }
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
    std::vector<float> column(span + 1, 0.f);  // one past the last pixel: blend_columns reads four values a pixel
    for (int i = 0; i < out_height; ++i) {
        if (!down.count[i]) continue;
        const std::uint8_t* src = &image.rgb[static_cast<std::size_t>(down.first[i]) * src_stride + col_lo * 3];
        blend_rows(src, src_stride, &down.weights[static_cast<std::size_t>(i) * down.stride], down.count[i], span,
                   column.data());
        blend_columns(column.data(), col_lo, across, out_width, channels,
                      &out[static_cast<std::size_t>(i) * out_width * channels]);
    }
    return out;
}

Rect letterbox_square(int width, int height) {
    const float side = static_cast<float>(std::max(width, height));
    return {(width - side) / 2, (height - side) / 2, side, side};
}

}  // namespace emo::vision
