#include "nn/winograd_conv.hpp"

#include <omp.h>

#include <algorithm>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EMO_WINOGRAD_AVX2 1
#endif

namespace emo::nn {

namespace {

constexpr std::size_t kOut = 4;                 // output pixels per tile side
constexpr std::size_t kTile = kOut + 2;         // input pixels per tile side
constexpr std::size_t kPoints = kTile * kTile;  // products per tile, channel pair

// G, which takes a 3-tap filter into the 6-point space (the output transform A^T and the input transform B^T are
// written out in the kernels below, where most of their coefficients are 0 or +-1).
constexpr double kG[kTile][3] = {{1.0 / 4, 0, 0},
                                 {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                 {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                 {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                 {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                 {0, 0, 1}};

std::size_t round8(std::size_t n) { return (n + 7) / 8 * 8; }

}  // namespace

WinogradWeights pack_winograd(const float* filter, const float* bias, std::size_t in, std::size_t out) {
    WinogradWeights w;
    w.in = in;
    w.out = out;
    w.in_padded = round8(in);
    w.out_padded = round8(out);
    w.transformed.assign(kPoints * w.in_padded * w.out_padded, 0.0f);
    w.bias.assign(w.out_padded, 0.0f);
    if (bias) std::copy(bias, bias + out, w.bias.begin());
    // U = G g G^T per channel pair, in double so that the only float rounding is the final one.
    for (std::size_t c = 0; c < in; ++c)
        for (std::size_t o = 0; o < out; ++o) {
            double g[3][3];
            for (std::size_t a = 0; a < 3; ++a)
                for (std::size_t b = 0; b < 3; ++b) g[a][b] = filter[((a * 3 + b) * in + c) * out + o];
            double gt[kTile][3] = {};  // G g
            for (std::size_t i = 0; i < kTile; ++i)
                for (std::size_t b = 0; b < 3; ++b)
                    for (std::size_t a = 0; a < 3; ++a) gt[i][b] += kG[i][a] * g[a][b];
            for (std::size_t i = 0; i < kTile; ++i)
                for (std::size_t j = 0; j < kTile; ++j) {
                    double u = 0;
                    for (std::size_t b = 0; b < 3; ++b) u += gt[i][b] * kG[j][b];
                    w.transformed[((i * kTile + j) * w.in_padded + c) * w.out_padded + o] = static_cast<float>(u);
                }
        }
    return w;
}

#ifdef EMO_WINOGRAD_AVX2
namespace {

#define EMO_AVX2 __attribute__((target("avx2,fma")))

// B^T over six values: the input transform along one axis.
EMO_AVX2 inline void input_1d(const __m256 (&d)[kTile], __m256 (&r)[kTile]) {
    const __m256 two = _mm256_set1_ps(2), four = _mm256_set1_ps(4), five = _mm256_set1_ps(5);
    r[0] = _mm256_fmadd_ps(four, d[0], _mm256_fnmadd_ps(five, d[2], d[4]));
    r[1] = _mm256_fnmadd_ps(four, _mm256_add_ps(d[1], d[2]), _mm256_add_ps(d[3], d[4]));
    r[2] = _mm256_fmadd_ps(four, _mm256_sub_ps(d[1], d[2]), _mm256_sub_ps(d[4], d[3]));
    r[3] = _mm256_fmadd_ps(two, _mm256_sub_ps(d[3], d[1]), _mm256_sub_ps(d[4], d[2]));
    r[4] = _mm256_fmadd_ps(two, _mm256_sub_ps(d[1], d[3]), _mm256_sub_ps(d[4], d[2]));
    r[5] = _mm256_fmadd_ps(four, d[1], _mm256_fnmadd_ps(five, d[3], d[5]));
}

// A^T over six values: the output transform along one axis.
EMO_AVX2 inline void output_1d(const __m256 (&m)[kTile], __m256 (&y)[kOut]) {
    const __m256 s12 = _mm256_add_ps(m[1], m[2]), d12 = _mm256_sub_ps(m[1], m[2]);
    const __m256 s34 = _mm256_add_ps(m[3], m[4]), d34 = _mm256_sub_ps(m[3], m[4]);
    y[0] = _mm256_add_ps(_mm256_add_ps(m[0], s12), s34);
    y[1] = _mm256_fmadd_ps(_mm256_set1_ps(2), d34, d12);
    y[2] = _mm256_fmadd_ps(_mm256_set1_ps(4), s34, s12);
    y[3] = _mm256_add_ps(_mm256_fmadd_ps(_mm256_set1_ps(8), d34, d12), m[5]);
}

// Eight channels from `from` of which `count` (1..8) exist; zeros after them.
EMO_AVX2 inline __m256 load_channels(const float* from, std::size_t count) {
    if (count >= 8) return _mm256_loadu_ps(from);
    alignas(32) float part[8] = {};
    std::copy(from, from + count, part);
    return _mm256_load_ps(part);
}

struct Geometry {
    const Conv3x3Shape& s;
    const WinogradWeights& w;
    std::int64_t tiles_h, tiles_w;
    std::size_t block;  // tiles per block

    // Floats from one point's matrix to the next in the block's transformed inputs and products: a cache line more
    // than the matrix, so that the 36 points of one tile do not all fall in one set of the L1 cache (at a power of
    // two apart they did, and the output transform took three times as long).
    std::size_t input_stride() const { return block * w.in_padded + 16; }
    std::size_t output_stride() const { return block * w.out_padded + 16; }

    struct Tile {
        std::int64_t n, row, col;  // its first output pixel
    };
    Tile tile(std::size_t t) const {
        const auto per_image = static_cast<std::size_t>(tiles_h * tiles_w);
        const auto in_image = static_cast<std::int64_t>(t % per_image);
        return {static_cast<std::int64_t>(t / per_image), in_image / tiles_w * static_cast<std::int64_t>(kOut),
                in_image % tiles_w * static_cast<std::int64_t>(kOut)};
    }
};

// V[k][b][c] = (B^T d B)[k] for the block's tiles b, d the tile's 6x6 input pixels (zeros outside the image).
EMO_AVX2 void transform_inputs(const float* x, const Geometry& g, std::size_t first, std::size_t count, float* v) {
    const auto& s = g.s;
    const std::size_t channels = g.w.in, stride = g.input_stride();
    const __m256 zero = _mm256_setzero_ps();
    for (std::size_t b = 0; b < count; ++b) {
        const auto tile = g.tile(first + b);
        const std::int64_t row0 = tile.row - s.pad_top, col0 = tile.col - s.pad_left;
        const float* pixels[kTile][kTile];  // nullptr: outside the image
        for (std::size_t i = 0; i < kTile; ++i)
            for (std::size_t j = 0; j < kTile; ++j) {
                const std::int64_t r = row0 + static_cast<std::int64_t>(i), q = col0 + static_cast<std::int64_t>(j);
                const bool inside = r >= 0 && r < s.height && q >= 0 && q < s.width;
                pixels[i][j] = inside
                                   ? x + ((tile.n * s.height + r) * s.width + q) * static_cast<std::int64_t>(channels)
                                   : nullptr;
            }
        for (std::size_t c = 0; c < channels; c += 8) {
            const std::size_t lanes = std::min<std::size_t>(channels - c, 8);
            __m256 cols[kTile][kTile];  // B^T d, column by column
            for (std::size_t j = 0; j < kTile; ++j) {
                __m256 d[kTile], r[kTile];
                for (std::size_t i = 0; i < kTile; ++i)
                    d[i] = pixels[i][j] ? load_channels(pixels[i][j] + c, lanes) : zero;
                input_1d(d, r);
                for (std::size_t i = 0; i < kTile; ++i) cols[i][j] = r[i];
            }
            for (std::size_t i = 0; i < kTile; ++i) {
                __m256 r[kTile];
                input_1d(cols[i], r);
                float* to = v + (i * kTile) * stride + b * g.w.in_padded + c;
                for (std::size_t j = 0; j < kTile; ++j) _mm256_storeu_ps(to + j * stride, r[j]);
            }
        }
    }
}

// c[p][o] = sum over k < depth of a[p][k] * b[k][o] for NP rows and NV vectors of 8 columns from o: the block's
// accumulators stay in registers through the whole sum.
template <int NP, int NV>
EMO_AVX2 inline void gemm_block(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c,
                                std::size_t ldc, std::size_t depth) {
    __m256 acc[NP][NV];
#pragma GCC unroll 4
    for (int p = 0; p < NP; ++p)
#pragma GCC unroll 3
        for (int v = 0; v < NV; ++v) acc[p][v] = _mm256_setzero_ps();
    for (std::size_t k = 0; k < depth; ++k, b += ldb) {
        __m256 bv[NV];
#pragma GCC unroll 3
        for (int v = 0; v < NV; ++v) bv[v] = _mm256_loadu_ps(b + 8 * v);
#pragma GCC unroll 4
        for (int p = 0; p < NP; ++p) {
            const __m256 av = _mm256_broadcast_ss(a + p * lda + k);
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) acc[p][v] = _mm256_fmadd_ps(av, bv[v], acc[p][v]);
        }
    }
#pragma GCC unroll 4
    for (int p = 0; p < NP; ++p)
#pragma GCC unroll 3
        for (int v = 0; v < NV; ++v) _mm256_storeu_ps(c + p * ldc + 8 * v, acc[p][v]);
}

// NP rows, all columns, in blocks of up to three vectors (24 columns).
template <int NP>
EMO_AVX2 void gemm_rows(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c, std::size_t ldc,
                        std::size_t depth, std::size_t columns) {
    for (std::size_t o = 0; o < columns; o += 24) {
        const std::size_t vectors = std::min<std::size_t>(columns - o, 24) / 8;
        if (vectors == 3)
            gemm_block<NP, 3>(a, lda, b + o, ldb, c + o, ldc, depth);
        else if (vectors == 2)
            gemm_block<NP, 2>(a, lda, b + o, ldb, c + o, ldc, depth);
        else
            gemm_block<NP, 1>(a, lda, b + o, ldb, c + o, ldc, depth);
    }
}

// M[k] = V[k] U[k] for the 36 points k, over the block's `count` tiles.
EMO_AVX2 void multiply(const float* v, const Geometry& g, std::size_t count, float* m) {
    const auto& w = g.w;
    const std::size_t cin = w.in_padded, cout = w.out_padded;
    for (std::size_t k = 0; k < kPoints; ++k) {
        const float* a = v + k * g.input_stride();
        const float* u = w.transformed.data() + k * cin * cout;
        float* c = m + k * g.output_stride();
        std::size_t p = 0;
        // Four rows by three vectors: 12 accumulators (3 x 4 and 2 x 6 measured slower on the 32 -> 64 layer).
        for (; p + 4 <= count; p += 4) gemm_rows<4>(a + p * cin, cin, u, cout, c + p * cout, cout, w.in, cout);
        for (; p < count; ++p) gemm_rows<1>(a + p * cin, cin, u, cout, c + p * cout, cout, w.in, cout);
    }
}

// y = clamp(A^T M A + bias) for the block's tiles, the pixels inside the output only.
EMO_AVX2 void transform_outputs(const float* m, const Geometry& g, std::size_t first, std::size_t count, float* y,
                                float lo, float hi) {
    const auto& s = g.s;
    const std::size_t out = g.w.out, stride = g.output_stride();
    const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
    for (std::size_t b = 0; b < count; ++b) {
        const auto tile = g.tile(first + b);
        const std::size_t rows = static_cast<std::size_t>(std::min<std::int64_t>(s.out_height - tile.row, kOut));
        const std::size_t cols = static_cast<std::size_t>(std::min<std::int64_t>(s.out_width - tile.col, kOut));
        for (std::size_t o = 0; o < out; o += 8) {
            const float* from = m + b * g.w.out_padded + o;
            __m256 rows_t[kOut][kTile];  // A^T M, column by column
            for (std::size_t j = 0; j < kTile; ++j) {
                __m256 col[kTile], r[kOut];
                for (std::size_t i = 0; i < kTile; ++i) col[i] = _mm256_loadu_ps(from + (i * kTile + j) * stride);
                output_1d(col, r);
                for (std::size_t i = 0; i < kOut; ++i) rows_t[i][j] = r[i];
            }
            const __m256 bias = _mm256_loadu_ps(g.w.bias.data() + o);
            const std::size_t lanes = std::min<std::size_t>(out - o, 8);
            for (std::size_t i = 0; i < rows; ++i) {
                __m256 r[kOut];
                output_1d(rows_t[i], r);
                float* to =
                    y +
                    ((tile.n * s.out_height + tile.row + static_cast<std::int64_t>(i)) * s.out_width + tile.col) *
                        static_cast<std::int64_t>(out) +
                    o;
                for (std::size_t j = 0; j < cols; ++j, to += out) {
                    const __m256 value =
                        _mm256_min_ps(vhi, _mm256_max_ps(vlo, _mm256_add_ps(r[j], bias)));  // NaN passes
                    if (lanes == 8) {
                        _mm256_storeu_ps(to, value);
                    } else {
                        alignas(32) float part[8];
                        _mm256_store_ps(part, value);
                        std::copy(part, part + lanes, to);
                    }
                }
            }
        }
    }
}

EMO_AVX2 void run_blocks(const float* x, const Geometry& g, std::size_t tiles, float* y, float lo, float hi) {
    const std::size_t blocks = (tiles + g.block - 1) / g.block;
    const auto n = static_cast<std::int64_t>(blocks);
    const bool parallel = blocks > 1 && omp_get_max_threads() > 1 && !omp_in_parallel();
#pragma omp parallel for schedule(static) if (parallel)
    for (std::int64_t i = 0; i < n; ++i) {
        // Per thread, kept: fresh buffers would cost a page fault per 4 KiB on every call (nn/tfjs_ops.hpp).
        thread_local std::vector<float> v, m;
        v.resize(std::max(v.size(), kPoints * g.input_stride()));
        m.resize(std::max(m.size(), kPoints * g.output_stride()));
        const std::size_t first = static_cast<std::size_t>(i) * g.block;
        const std::size_t count = std::min(g.block, tiles - first);
        transform_inputs(x, g, first, count, v.data());
        multiply(v.data(), g, count, m.data());
        transform_outputs(m.data(), g, first, count, y, lo, hi);
    }
}

#undef EMO_AVX2

}  // namespace
#endif

bool winograd_supported() {
#ifdef EMO_WINOGRAD_AVX2
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

void winograd_conv3x3(const float* x, const Conv3x3Shape& shape, const WinogradWeights& w, float* y, float lo,
                      float hi) {
#ifdef EMO_WINOGRAD_AVX2
    const auto side = static_cast<std::int64_t>(kOut);
    const std::int64_t tiles_h = (shape.out_height + side - 1) / side, tiles_w = (shape.out_width + side - 1) / side;
    const auto tiles = static_cast<std::size_t>(shape.batch * tiles_h * tiles_w);
    if (tiles == 0) return;
    // Tiles per block: the block's transformed inputs and products (36 x tiles x channels each) within about
    // 256 KiB, half of this core's L2, and a multiple of the matrix kernel's four rows.
    const std::size_t budget = (std::size_t{1} << 16) / (kPoints * (w.in_padded + w.out_padded));
    const std::size_t block = std::clamp<std::size_t>(budget / 4 * 4, 4, 64);
    run_blocks(x, Geometry{shape, w, tiles_h, tiles_w, block}, tiles, y, lo, hi);
#else
    (void)x, (void)shape, (void)w, (void)y, (void)lo, (void)hi;
#endif
}

}  // namespace emo::nn
