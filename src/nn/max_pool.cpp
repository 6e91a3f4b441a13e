#include "nn/max_pool.hpp"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EMO_MAX_POOL_AVX 1
#endif

namespace emo::nn {

namespace {

struct Window {
    std::int64_t row0, row1, col0, col1;  // the window's rows and columns inside the image, [0, 1)
};

Window window_at(const MaxPoolShape& s, std::int64_t i, std::int64_t j) {
    const std::int64_t top = i * s.stride_h - s.pad_top, left = j * s.stride_w - s.pad_left;
    return {std::max<std::int64_t>(top, 0), std::min(top + s.kernel_h, s.height), std::max<std::int64_t>(left, 0),
            std::min(left + s.kernel_w, s.width)};
}

// NaN wins: once m is NaN, neither test lets a number replace it.
inline float max_nan(float m, float v) { return v > m || v != v ? v : m; }

void pixel_scalar(const float* image, const MaxPoolShape& s, const Window& w, std::int64_t from, float* out) {
    for (std::int64_t k = from; k < s.channels; ++k) {
        float m = -INFINITY;
        for (std::int64_t r = w.row0; r < w.row1; ++r)
            for (std::int64_t q = w.col0; q < w.col1; ++q) m = max_nan(m, image[(r * s.width + q) * s.channels + k]);
        out[k] = m;
    }
}

#ifdef EMO_MAX_POOL_AVX
// Eight channels at a time, the window's maximum kept in a register.
__attribute__((target("avx"))) void pixel_avx(const float* image, const MaxPoolShape& s, const Window& w, float* out) {
    std::int64_t k = 0;
    for (; k + 8 <= s.channels; k += 8) {
        __m256 m = _mm256_set1_ps(-INFINITY);
        __m256 nan = _mm256_setzero_ps();
        for (std::int64_t r = w.row0; r < w.row1; ++r)
            for (std::int64_t q = w.col0; q < w.col1; ++q) {
                const __m256 v = _mm256_loadu_ps(image + (r * s.width + q) * s.channels + k);
                m = _mm256_max_ps(v, m);
                nan = _mm256_or_ps(nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
            }
        _mm256_storeu_ps(out + k, _mm256_or_ps(m, nan));  // all bits set: a NaN
    }
    pixel_scalar(image, s, w, k, out);
}
#endif

}  // namespace

void max_pool_nhwc(const float* x, const MaxPoolShape& s, float* y) {
#ifdef EMO_MAX_POOL_AVX
    const bool avx = __builtin_cpu_supports("avx");
#endif
    for (std::int64_t n = 0; n < s.batch; ++n) {
        const float* image = x + n * s.height * s.width * s.channels;
        for (std::int64_t i = 0; i < s.out_height; ++i)
            for (std::int64_t j = 0; j < s.out_width; ++j, y += s.channels) {
                const Window w = window_at(s, i, j);
#ifdef EMO_MAX_POOL_AVX
                if (avx) {
                    pixel_avx(image, s, w, y);
                    continue;
                }
#endif
                pixel_scalar(image, s, w, 0, y);
            }
    }
}

}  // namespace emo::nn
