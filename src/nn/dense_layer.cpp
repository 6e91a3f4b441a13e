#include "nn/dense_layer.hpp"

#include "nn/kernels.hpp"
#include "nn/onednn_context.hpp"
#include "nn/parallel_rows.hpp"
#include "nn/transformer.hpp"

#include <emo/emo.hpp>

#include <omp.h>
#include <dnnl.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

namespace emo::nn {

namespace {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

dnnl::memory::dim dim(std::size_t n) { return static_cast<dnnl::memory::dim>(n); }

// The largest magnitude among n values (vectorised; for the scales of int8 weights).
EMO_VECTOR_CLONES float max_magnitude(const float* x, std::size_t n) {
    float top = 0.0f;
    for (std::size_t i = 0; i < n; ++i) top = std::max(top, std::fabs(x[i]));
    return top;
}

// The smallest and largest of n values, widened to take in 0 (so that zero is exactly representable).
EMO_VECTOR_CLONES void value_range(const float* x, std::size_t n, float& low, float& high) {
    float lo = 0.0f, hi = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    low = lo;
    high = hi;
}

// q = round(x / scale) in [-127, 127], rounding to nearest by the 1.5 * 2^23 trick so that the loop vectorises.
EMO_VECTOR_CLONES void quantize(const float* x, std::size_t n, float inverse_scale, std::int8_t* q) {
    for (std::size_t i = 0; i < n; ++i) {
        const float v = std::clamp(x[i] * inverse_scale, -127.0f, 127.0f);
        q[i] = static_cast<std::int8_t>(static_cast<int>((v + 12582912.0f) - 12582912.0f));
    }
}

// q = round(x / scale) + zero in [0, 255].
EMO_VECTOR_CLONES void quantize_unsigned(const float* x, std::size_t n, float inverse_scale, float zero,
                                         std::uint8_t* q) {
    for (std::size_t i = 0; i < n; ++i) {
        const float v = std::clamp(x[i] * inverse_scale + zero, 0.0f, 255.0f);
        q[i] = static_cast<std::uint8_t>(static_cast<int>((v + 12582912.0f) - 12582912.0f));
    }
}

// y = y * scale - offset * compensation + bias, for one row (the zero point's share taken back out of the product).
EMO_VECTOR_CLONES void finish_row(float* y, std::size_t n, float scale, float offset, const float* compensation,
                                  const float* bias) {
    for (std::size_t c = 0; c < n; ++c) y[c] = y[c] * scale - offset * compensation[c] + bias[c];
}

// bfloat16 by rounding to nearest even (the values here are finite).
EMO_VECTOR_CLONES void to_bf16(const float* x, std::size_t n, std::uint16_t* out) {
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t bits = std::bit_cast<std::uint32_t>(x[i]);
        out[i] = static_cast<std::uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
    }
}

}  // namespace

const char* precision_name(Precision precision) {
    switch (precision) {
        case Precision::int8:
            return "int8";
        case Precision::bf16:
            return "bf16";
        default:
            return "float32";
    }
}

namespace {

bool has_isa(dnnl::cpu_isa wanted) {
    const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
    const auto bits = static_cast<unsigned>(wanted);
    return (isa & bits) == bits;  // the ISA values are nested bit sets: a later one includes an earlier one's bits
}

bool vnni_supported() { return has_isa(dnnl::cpu_isa::avx512_core_vnni) || has_isa(dnnl::cpu_isa::avx2_vnni); }

}  // namespace

bool bf16_supported() { return has_isa(dnnl::cpu_isa::avx512_core_bf16); }

struct DenseLayer::Impl {
    Precision precision = Precision::float32;
    // float32 and bf16: weights packed once in the layout oneDNN's blocked kernels want, and one primitive per row
    // count over them (created on first use; oneDNN's own primitive cache makes the other layers' creations cheap).
    // On RoBERTa-base at batch 1 and one thread, 16.1 sequences/s against 10.6 with one runtime-row-count primitive
    // over plain weights (gemm:jit repacks them on every call).
    dnnl::memory::desc packed;
    mutable std::mutex mutex;
    // Keyed by the thread count too: a primitive keeps the thread count it was created under.
    mutable std::map<std::pair<dnnl::memory::dim, int>, dnnl::matmul> by_rows;
    dnnl::memory weights, bias;
    // int8: one primitive for every row count (runtime scales need gemm:jit anyway), per thread count as well:
    // one created under two threads keeps running two, which on a busy machine makes a one-thread caller wait.
    std::optional<dnnl::matmul::desc> int8_desc;
    dnnl::primitive_attr int8_attr;
    std::vector<float> bias_values;    // int8: added after the product, which oneDNN 2 would scale with it
    std::vector<float> weight_scales;  // int8: per output channel
    std::vector<float> compensation;   // int8: weight scale times the column's sum of quantised weights
};

DenseLayer::DenseLayer(const Linear& raw, Precision precision) : in_(raw.in), out_(raw.out) {
    if (precision == Precision::bf16 && !bf16_supported())
        throw Error(
            "bf16 needs a CPU with AVX512-BF16 or AMX instructions, which this one lacks (oneDNN would "
            "emulate them more slowly than float32): use float32 or int8");
    auto impl = std::make_shared<Impl>();
    const auto& engine = cpu_engine();
    const auto k = dim(raw.in), n = dim(raw.out);
    impl->precision = precision;
    // PyTorch's [out, in] row-major weight is oneDNN's [K, N] in "ba" order; the rows of x vary per call.
    if (precision == Precision::int8) {
        dnnl::memory::desc src({DNNL_RUNTIME_DIM_VAL, k}, dt::u8, tag::ab);
        dnnl::memory::desc weights({k, n}, dt::s8, tag::ba);
        dnnl::memory::desc dst({DNNL_RUNTIME_DIM_VAL, n}, dt::f32, tag::ab);
        dnnl::primitive_attr attr;
        attr.set_output_scales(1 << 1, {DNNL_RUNTIME_F32_VAL});  // one scale per output column
        impl->int8_desc = dnnl::matmul::desc(src, weights, dst);
        impl->int8_attr = attr;
        dnnl::matmul::primitive_desc pd(*impl->int8_desc, attr, engine);
        impl->weights = dnnl::memory(pd.weights_desc(), engine);
        // Symmetric per-channel scales: each output row's largest weight maps to the largest level. Without VNNI
        // the x86 u8 x s8 products are summed in pairs into 16 bits (vpmaddubsw), which saturates beyond
        // 2 * 255 * 63: there the weights keep 7 bits, as oneDNN's notes on int8 computations advise.
        const float top_level = vnni_supported() ? 127.0f : 63.0f;
        std::vector<std::int8_t> q(raw.weight.size());
        impl->weight_scales.resize(raw.out);
        impl->compensation.resize(raw.out);
        for (std::size_t o = 0; o < raw.out; ++o) {
            const float* row = &raw.weight[o * raw.in];
            const float top = max_magnitude(row, raw.in);
            const float scale = top > 0.0f ? top / top_level : 1.0f;
            impl->weight_scales[o] = scale;
            quantize(row, raw.in, 1.0f / scale, &q[o * raw.in]);
            std::int64_t sum = 0;
            for (std::size_t i = 0; i < raw.in; ++i) sum += q[o * raw.in + i];
            impl->compensation[o] = scale * static_cast<float>(sum);
        }
        dnnl::memory plain(weights, engine, q.data());
        dnnl::reorder(plain, impl->weights).execute(thread_stream(), plain, impl->weights);
        impl->bias_values = raw.bias;
    } else {
        const dt type = precision == Precision::bf16 ? dt::bf16 : dt::f32;
        dnnl::memory::desc weights_any({k, n}, type, tag::any);
        dnnl::matmul::desc desc(dnnl::memory::desc({64, k}, type, tag::ab), weights_any,
                                dnnl::memory::desc({1, n}, dt::f32, tag::ab),
                                dnnl::memory::desc({64, n}, dt::f32, tag::ab));
        dnnl::matmul::primitive_desc pd(desc, engine);
        impl->packed = pd.weights_desc();
        impl->weights = dnnl::memory(pd.weights_desc(), engine);
        // The reorder converts to bf16 where the packed layout asks for it.
        dnnl::memory plain({{k, n}, dt::f32, tag::ba}, engine, const_cast<float*>(raw.weight.data()));
        dnnl::reorder(plain, impl->weights).execute(thread_stream(), plain, impl->weights);
        impl->bias = dnnl::memory({{1, n}, dt::f32, tag::ab}, engine);
        std::copy(raw.bias.begin(), raw.bias.end(), static_cast<float*>(impl->bias.get_data_handle()));
    }
    thread_stream().wait();
    impl_ = std::move(impl);
}

void DenseLayer::apply(const float* x, std::size_t rows, float* y) const {
    if (rows == 0) return;
    const auto& engine = cpu_engine();
    const auto m = dim(rows), k = dim(in_), n = dim(out_);
    dnnl::memory dst({{m, n}, dt::f32, tag::ab}, engine, y);
    auto& stream = thread_stream();
    if (impl_->precision != Precision::int8) {
        const bool bf16 = impl_->precision == Precision::bf16;
        const dt type = bf16 ? dt::bf16 : dt::f32;
        dnnl::matmul matmul;
        {
            std::lock_guard<std::mutex> lock(impl_->mutex);
            const auto key = std::make_pair(m, omp_get_max_threads());
            auto it = impl_->by_rows.find(key);
            if (it == impl_->by_rows.end()) {
                // Batches of texts have ever new token counts: the map is bounded, and refilling it is cheap since
                // oneDNN's own primitive cache answers the layers of the same shape.
                if (impl_->by_rows.size() >= 64) impl_->by_rows.clear();
                dnnl::matmul::desc desc(dnnl::memory::desc({m, k}, type, tag::ab), impl_->packed,
                                        dnnl::memory::desc({1, n}, dt::f32, tag::ab),
                                        dnnl::memory::desc({m, n}, dt::f32, tag::ab));
                it = impl_->by_rows.emplace(key, dnnl::matmul(dnnl::matmul::primitive_desc(desc, engine))).first;
            }
            matmul = it->second;
        }
        const void* input = x;
        thread_local std::vector<std::uint16_t> halves;
        if (bf16) {
            if (halves.size() < rows * in_) halves.resize(rows * in_);
            // Pointers, not the thread_local vectors, go into the parallel region: there each thread has its own.
            std::uint16_t* out = halves.data();
            for_rows(rows, in_, [&](std::size_t r) { to_bf16(x + r * in_, in_, out + r * in_); });
            input = halves.data();
        }
        dnnl::memory src({{m, k}, type, tag::ab}, engine, const_cast<void*>(input));
        matmul.execute(stream, {{DNNL_ARG_SRC, src},
                                {DNNL_ARG_WEIGHTS, impl_->weights},
                                {DNNL_ARG_BIAS, impl_->bias},
                                {DNNL_ARG_DST, dst}});
        stream.wait();
        return;
    }
    // Dynamic quantisation with one scale and zero point per row (token), so that one token's outlier does not
    // coarsen the others, and so that rows far from symmetric about zero (the GELU outputs that the feed-forward
    // layer's second product reads are mostly positive) use all 256 levels: x ~ scale * (q - zero), q in [0, 255].
    // oneDNN applies the weights' per-column scales to the u8 x s8 product; the rows' scales, the zero points'
    // share (zero * the column sums of the quantised weights) and the bias are applied here after it.
    thread_local std::vector<std::uint8_t> quantised;
    thread_local std::vector<float> row_scales, row_offsets;
    if (quantised.size() < rows * in_) quantised.resize(rows * in_);
    row_scales.resize(rows);
    row_offsets.resize(rows);
    // Pointers, not the thread_local vectors, go into the parallel regions: there each thread has its own.
    std::uint8_t* q = quantised.data();
    float* scales = row_scales.data();
    float* offsets = row_offsets.data();
    for_rows(rows, in_, [&](std::size_t r) {
        const float* row = x + r * in_;
        float low, high;
        value_range(row, in_, low, high);
        const float scale = high > low ? (high - low) / 255.0f : 1.0f;
        const float zero = std::nearbyint(-low / scale);
        scales[r] = scale;
        offsets[r] = scale * zero;
        quantize_unsigned(row, in_, 1.0f / scale, zero, q + r * in_);
    });
    dnnl::matmul matmul;
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        const auto key = std::make_pair(dnnl::memory::dim(0), omp_get_max_threads());
        auto it = impl_->by_rows.find(key);
        if (it == impl_->by_rows.end()) {
            const dnnl::matmul::primitive_desc pd(*impl_->int8_desc, impl_->int8_attr, engine);
            it = impl_->by_rows.emplace(key, dnnl::matmul(pd)).first;
        }
        matmul = it->second;
    }
    dnnl::memory src({{m, k}, dt::u8, tag::ab}, engine, q);
    dnnl::memory scale_memory({{n}, dt::f32, tag::a}, engine, const_cast<float*>(impl_->weight_scales.data()));
    matmul.execute(stream, {{DNNL_ARG_SRC, src},
                            {DNNL_ARG_WEIGHTS, impl_->weights},
                            {DNNL_ARG_DST, dst},
                            {DNNL_ARG_ATTR_OUTPUT_SCALES, scale_memory}});
    stream.wait();
    const float* compensation = impl_->compensation.data();
    const float* bias = impl_->bias_values.data();
    for_rows(rows, out_,
             [&](std::size_t r) { finish_row(y + r * out_, out_, scales[r], offsets[r], compensation, bias); });
}

void set_threads(int threads) { omp_set_num_threads(std::max(threads, 1)); }

}  // namespace emo::nn
