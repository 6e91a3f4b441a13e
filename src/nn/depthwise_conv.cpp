#include "nn/depthwise_conv.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EMO_DEPTHWISE_AVX2 1
#endif

namespace emo::nn {

namespace {

// One output row's geometry: its input rows (nullptr outside the image) and the taps each column keeps.
struct Row {
    const float* input[3];
    std::int64_t a_lo, a_hi;  // window rows inside the image
    std::int64_t j_lo, j_hi;  // the columns whose whole window is inside the image: [j_lo, j_hi)
};

Row row_at(const float* x, const Conv3x3Shape& s, std::int64_t i) {
    Row r{};
    r.a_lo = std::max<std::int64_t>(0, s.pad_top - i);
    r.a_hi = std::clamp<std::int64_t>(s.height + s.pad_top - i, r.a_lo, 3);
    for (std::int64_t a = 0; a < 3; ++a)
        r.input[a] = a >= r.a_lo && a < r.a_hi ? x + (i + a - s.pad_top) * s.width * s.channels : nullptr;
    r.j_lo = std::min(s.pad_left, s.out_width);
    r.j_hi = std::clamp<std::int64_t>(s.width + s.pad_left - 2, r.j_lo, s.out_width);
    return r;
}

// The window's columns inside the image for output column j.
inline std::int64_t b_lo(const Conv3x3Shape& s, std::int64_t j) { return std::max<std::int64_t>(0, s.pad_left - j); }
inline std::int64_t b_hi(const Conv3x3Shape& s, std::int64_t j) {
    return std::clamp<std::int64_t>(s.width + s.pad_left - j, 0, 3);
}

// Channels [from, channels) of output pixel j, one at a time: the portable path and the vector path's tail.
void pixel_scalar(const Conv3x3Shape& s, const Row& r, const float* filter, std::int64_t j, std::int64_t from,
                  float* out) {
    const std::int64_t c_n = s.channels, lo = b_lo(s, j), hi = b_hi(s, j);
    for (std::int64_t c = from; c < c_n; ++c) {
        float acc = 0.0f;
        for (std::int64_t a = r.a_lo; a < r.a_hi; ++a)
            for (std::int64_t b = lo; b < hi; ++b)
                acc = std::fma(r.input[a][(j + b - s.pad_left) * c_n + c], filter[(a * 3 + b) * c_n + c], acc);
        out[j * c_n + c] = acc;
    }
}

#ifdef EMO_DEPTHWISE_AVX2
#define EMO_AVX2 __attribute__((target("avx2,fma")))

// Eight channels from c of output pixel j, any window (the image's edges).
EMO_AVX2 inline void pixel_edge(const Conv3x3Shape& s, const Row& r, const float* filter, std::int64_t j,
                                std::int64_t c, float* out) {
    const std::int64_t cn = s.channels, lo = b_lo(s, j), hi = b_hi(s, j);
    __m256 acc = _mm256_setzero_ps();
    for (std::int64_t a = r.a_lo; a < r.a_hi; ++a)
        for (std::int64_t b = lo; b < hi; ++b)
            acc = _mm256_fmadd_ps(_mm256_loadu_ps(r.input[a] + (j + b - s.pad_left) * cn + c),
                                  _mm256_loadu_ps(filter + (a * 3 + b) * cn + c), acc);
    _mm256_storeu_ps(out + j * cn + c, acc);
}

// NP output pixels from j, eight channels from c, whose windows lie inside the image's columns. Each sum is a chain
// of dependent multiply-adds in a fixed order, so NP chains run side by side (12 keep both FMA units busy: 12
// accumulators, 3 filter vectors and a load fill the 16 registers). Along a window row each input pixel is loaded
// once for the (up to) three outputs whose windows hold it, which still meets every sum's taps in order.
template <int NP>
EMO_AVX2 inline void block(const Conv3x3Shape& s, const Row& r, const float* filter, std::int64_t j, std::int64_t c,
                           float* out) {
    const std::int64_t cn = s.channels;
    __m256 acc[NP];
#pragma GCC unroll 12
    for (int p = 0; p < NP; ++p) acc[p] = _mm256_setzero_ps();
    for (std::int64_t a = r.a_lo; a < r.a_hi; ++a) {
        // The pointer steps a pixel at a time: offsets q * cn kept for every q would not fit the registers.
        const float* x = r.input[a] + (j - s.pad_left) * cn + c;
        const float* f = filter + a * 3 * cn + c;
        const __m256 f0 = _mm256_loadu_ps(f), f1 = _mm256_loadu_ps(f + cn), f2 = _mm256_loadu_ps(f + 2 * cn);
#pragma GCC unroll 14
        for (int q = 0; q < NP + 2; ++q, x += cn) {  // pixel q: tap 0 of output q, 1 of q - 1, 2 of q - 2
            const __m256 xq = _mm256_loadu_ps(x);
            if (q < NP) acc[q] = _mm256_fmadd_ps(xq, f0, acc[q]);
            if (q >= 1 && q - 1 < NP) acc[q - 1] = _mm256_fmadd_ps(xq, f1, acc[q - 1]);
            if (q >= 2) acc[q - 2] = _mm256_fmadd_ps(xq, f2, acc[q - 2]);
        }
    }
    float* o = out + j * cn + c;
#pragma GCC unroll 12
    for (int p = 0; p < NP; ++p, o += cn) _mm256_storeu_ps(o, acc[p]);
}

// Output columns [from, to), whose windows lie inside the image's columns, in blocks of NP pixels while they fit.
// Returns where it stopped.
template <int NP>
EMO_AVX2 std::int64_t blocks(const Conv3x3Shape& s, const Row& r, const float* filter, std::int64_t from,
                             std::int64_t to, std::int64_t whole, float* out) {
    std::int64_t j = from;
    for (; j + NP <= to; j += NP)
        for (std::int64_t c = 0; c < whole; c += 8) block<NP>(s, r, filter, j, c, out);
    return j;
}

EMO_AVX2 void row_avx2(const Conv3x3Shape& s, const Row& r, const float* filter, float* out) {
    const std::int64_t cn = s.channels, whole = cn / 8 * 8;  // channels in vectors of 8; the rest one at a time
    for (std::int64_t j = 0; j < r.j_lo; ++j)
        for (std::int64_t c = 0; c < whole; c += 8) pixel_edge(s, r, filter, j, c, out);
    std::int64_t j = blocks<12>(s, r, filter, r.j_lo, r.j_hi, whole, out);
    j = blocks<4>(s, r, filter, j, r.j_hi, whole, out);
    // The last few as one more block of 4 ending at j_hi, over pixels already written: each output is the same sum
    // whichever block makes it, and a block costs less than a few single, latency-bound chains (at most 3 pixels
    // computed twice).
    if (j < r.j_hi && r.j_hi - r.j_lo >= 4) j = blocks<4>(s, r, filter, r.j_hi - 4, r.j_hi, whole, out);
    for (; j < s.out_width; ++j)  // what blocks did not take, and the right edge
        for (std::int64_t c = 0; c < whole; c += 8) pixel_edge(s, r, filter, j, c, out);
    if (whole < cn)
        for (std::int64_t k = 0; k < s.out_width; ++k) pixel_scalar(s, r, filter, k, whole, out);
}

#undef EMO_AVX2
#endif

}  // namespace

void depthwise3x3(const float* x, const Conv3x3Shape& shape, const float* filter, float* y) {
#ifdef EMO_DEPTHWISE_AVX2
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    const bool avx2 = false;
#endif
    const std::int64_t rows = shape.batch * shape.out_height, row_values = shape.out_width * shape.channels;
    const std::int64_t image_values = shape.height * shape.width * shape.channels;
    // A parallel region costs more than a small layer's work.
    const bool parallel =
        rows > 1 && rows * row_values >= (std::int64_t{1} << 15) && omp_get_max_threads() > 1 && !omp_in_parallel();
#pragma omp parallel for schedule(static) if (parallel)
    for (std::int64_t k = 0; k < rows; ++k) {
        const Row r = row_at(x + k / shape.out_height * image_values, shape, k % shape.out_height);
        float* out = y + k * row_values;
#ifdef EMO_DEPTHWISE_AVX2
        if (avx2) {
            row_avx2(shape, r, filter, out);
            continue;
        }
#endif
        for (std::int64_t j = 0; j < shape.out_width; ++j) pixel_scalar(shape, r, filter, j, 0, out);
    }
    (void)avx2;
}

}  // namespace emo::nn
