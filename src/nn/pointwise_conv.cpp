#include "nn/pointwise_conv.hpp"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EMO_POINTWISE_AVX2 1
#endif

namespace emo::nn {

PointwiseWeights pack_pointwise(const float* filter, const float* bias, std::size_t in, std::size_t out) {
    PointwiseWeights w;
    w.in = in;
    w.out = out;
    w.padded = (out + 7) / 8 * 8;
    w.weights.assign(in * w.padded, 0.0f);
    w.bias.assign(w.padded, 0.0f);
    for (std::size_t i = 0; i < in; ++i) std::copy(filter + i * out, filter + (i + 1) * out, &w.weights[i * w.padded]);
    std::copy(bias, bias + out, w.bias.begin());
    return w;
}

namespace {

// The portable path, and the reference the vector path must equal bit for bit.
void pointwise_scalar(const float* x, std::size_t pixels, const PointwiseWeights& w, const float* addend, float* y,
                      float lo, float hi) {
    for (std::size_t p = 0; p < pixels; ++p)
        for (std::size_t o = 0; o < w.out; ++o) {
            float acc = 0.0f;
            for (std::size_t i = 0; i < w.in; ++i) acc = std::fma(x[p * w.in + i], w.weights[i * w.padded + o], acc);
            acc += w.bias[o];
            acc += addend[p * w.out + o];
            y[p * w.out + o] = std::min(std::max(acc, lo), hi);  // NaN passes
        }
}

#ifdef EMO_POINTWISE_AVX2
// NP pixels by NV vectors of 8 outputs from output `o`; the last vector keeps only `last` lanes (1..8). Accumulators
// stay in registers over the whole input-channel loop, so the order of the sum is the scalar path's.
template <int NP, int NV>
__attribute__((target("avx2,fma"))) inline void block(const float* x, const PointwiseWeights& w, const float* addend,
                                                      float* y, std::size_t o, int last, __m256 lo, __m256 hi) {
    // Fully unrolled (GCC otherwise keeps the accumulators in memory), sizes in locals.
    __m256 acc[NP][NV];
#pragma GCC unroll 4
    for (int p = 0; p < NP; ++p)
#pragma GCC unroll 3
        for (int v = 0; v < NV; ++v) acc[p][v] = _mm256_setzero_ps();
    const std::size_t in = w.in, padded = w.padded;
    const float* wp = w.weights.data() + o;
    for (std::size_t i = 0; i < in; ++i, wp += padded) {
        __m256 wv[NV];
#pragma GCC unroll 3
        for (int v = 0; v < NV; ++v) wv[v] = _mm256_loadu_ps(wp + 8 * v);
#pragma GCC unroll 4
        for (int p = 0; p < NP; ++p) {
            const __m256 xv = _mm256_broadcast_ss(x + p * in + i);
#pragma GCC unroll 3
            for (int v = 0; v < NV; ++v) acc[p][v] = _mm256_fmadd_ps(xv, wv[v], acc[p][v]);
        }
    }
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) {
        const __m256 b = _mm256_loadu_ps(w.bias.data() + o + 8 * v);
        const bool whole = v + 1 < NV || last == 8;
#pragma GCC unroll 4
        for (int p = 0; p < NP; ++p) {
            const std::size_t at = p * w.out + o + 8 * v;
            __m256 s = _mm256_add_ps(acc[p][v], b);
            if (whole) {
                s = _mm256_add_ps(s, _mm256_loadu_ps(addend + at));
                _mm256_storeu_ps(y + at, _mm256_min_ps(hi, _mm256_max_ps(lo, s)));  // NaN passes
            } else {
                // Through a buffer rather than vmaskmovps, whose stores are slow on AMD's cores.
                alignas(32) float part[8] = {};
                std::copy(addend + at, addend + at + last, part);
                s = _mm256_add_ps(s, _mm256_load_ps(part));
                _mm256_store_ps(part, _mm256_min_ps(hi, _mm256_max_ps(lo, s)));
                std::copy(part, part + last, y + at);
            }
        }
    }
}

template <int NP>
__attribute__((target("avx2,fma"))) void row(const float* x, const PointwiseWeights& w, const float* addend, float* y,
                                             __m256 lo, __m256 hi) {
    for (std::size_t o = 0; o < w.out; o += 24) {
        const std::size_t left = std::min<std::size_t>(w.out - o, 24);
        const int vectors = static_cast<int>((left + 7) / 8), last = static_cast<int>(left - 8 * (vectors - 1));
        if (vectors == 3)
            block<NP, 3>(x, w, addend, y, o, last, lo, hi);
        else if (vectors == 2)
            block<NP, 2>(x, w, addend, y, o, last, lo, hi);
        else
            block<NP, 1>(x, w, addend, y, o, last, lo, hi);
    }
}

__attribute__((target("avx2,fma"))) void pointwise_avx2(const float* x, std::size_t pixels, const PointwiseWeights& w,
                                                        const float* addend, float* y, float lo, float hi) {
    const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
    std::size_t p = 0;
    for (; p + 4 <= pixels; p += 4) row<4>(x + p * w.in, w, addend + p * w.out, y + p * w.out, vlo, vhi);
    for (; p < pixels; ++p) row<1>(x + p * w.in, w, addend + p * w.out, y + p * w.out, vlo, vhi);
}
#endif

}  // namespace

void pointwise_conv_sum(const float* x, std::size_t pixels, const PointwiseWeights& w, const float* addend, float* y,
                        float lo, float hi) {
#ifdef EMO_POINTWISE_AVX2
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return pointwise_avx2(x, pixels, w, addend, y, lo, hi);
#endif
    pointwise_scalar(x, pixels, w, addend, y, lo, hi);
}

}  // namespace emo::nn
