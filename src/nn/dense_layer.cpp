#include "nn/dense_layer.hpp"

#include "nn/kernels.hpp"
#include "nn/transformer.hpp"

#include <emo/emo.hpp>

#include <omp.h>
#include <dnnl.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>

namespace emo::nn {

namespace {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

const dnnl::engine& cpu_engine() {
    static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

dnnl::stream& thread_stream() {
    thread_local dnnl::stream stream(cpu_engine());
    return stream;
}

dnnl::memory::dim dim(std::size_t n) { return static_cast<dnnl::memory::dim>(n); }

// The largest magnitude among n values (vectorised; for the activation scale of int8 products).
EMO_VECTOR_CLONES float max_magnitude(const float* x, std::size_t n) {
    float top = 0.0f;
    for (std::size_t i = 0; i < n; ++i) top = std::max(top, std::fabs(x[i]));
    return top;
}

// q = round(x / scale) in [-127, 127], rounding to nearest by the 1.5 * 2^23 trick so that the loop vectorises.
EMO_VECTOR_CLONES void quantize(const float* x, std::size_t n, float inverse_scale, std::int8_t* q) {
    for (std::size_t i = 0; i < n; ++i) {
        const float v = std::clamp(x[i] * inverse_scale, -127.0f, 127.0f);
        q[i] = static_cast<std::int8_t>(static_cast<int>((v + 12582912.0f) - 12582912.0f));
    }
}

// y[r] = y[r] * scale[r] + bias for every row.
EMO_VECTOR_CLONES void scale_rows_add_bias(float* y, std::size_t rows, std::size_t cols, const float* scale,
                                           const float* bias) {
    for (std::size_t r = 0; r < rows; ++r) {
        float* row = y + r * cols;
        for (std::size_t c = 0; c < cols; ++c) row[c] = row[c] * scale[r] + bias[c];
    }
}

}  // namespace

struct DenseLayer::Impl {
    Precision precision = Precision::float32;
    dnnl::matmul matmul;  // int8: one primitive for every row count (runtime scales need gemm:jit anyway)
    // float32: weights packed once in the layout oneDNN's blocked kernels want, and one primitive per row count
    // over them (created on first use; oneDNN's own primitive cache makes the other layers' creations cheap).
    // On RoBERTa-base at batch 1 and one thread, 16.1 sequences/s against 10.6 with one runtime-row-count primitive
    // over plain weights (gemm:jit repacks them on every call).
    dnnl::memory::desc packed;
    mutable std::mutex mutex;
    // Keyed by the thread count too: a primitive keeps the thread count it was created under.
    mutable std::map<std::pair<dnnl::memory::dim, int>, dnnl::matmul> by_rows;
    dnnl::memory weights, bias;
    std::vector<float> bias_values;    // int8: added after the product, which oneDNN 2 would scale with it
    std::vector<float> weight_scales;  // int8: per output channel
};

DenseLayer::DenseLayer(const Linear& raw, Precision precision) : in_(raw.in), out_(raw.out) {
    auto impl = std::make_shared<Impl>();
    impl->precision = precision;
    const auto& engine = cpu_engine();
    const auto k = dim(raw.in), n = dim(raw.out);
    // PyTorch's [out, in] row-major weight is oneDNN's [K, N] in "ba" order; the rows of x vary per call.
    const bool quantised = precision == Precision::int8;
    const dt type = quantised ? dt::s8 : dt::f32;
    dnnl::memory::desc src({DNNL_RUNTIME_DIM_VAL, k}, type, tag::ab);
    dnnl::memory::desc weights({k, n}, type, tag::ba);
    dnnl::memory::desc bias({1, n}, dt::f32, tag::ab);
    dnnl::memory::desc dst({DNNL_RUNTIME_DIM_VAL, n}, dt::f32, tag::ab);
    dnnl::primitive_attr attr;
    if (quantised) attr.set_output_scales(1 << 1, {DNNL_RUNTIME_F32_VAL});  // one scale per output column
    dnnl::memory::desc weights_any({k, n}, type, tag::any);
    const auto desc = quantised ? dnnl::matmul::desc(src, weights, dst)
                                : dnnl::matmul::desc(dnnl::memory::desc({64, k}, type, tag::ab), weights_any, bias,
                                                     dnnl::memory::desc({64, n}, dt::f32, tag::ab));
    dnnl::matmul::primitive_desc pd(desc, attr, engine);
    if (quantised)
        impl->matmul = dnnl::matmul(pd);
    else
        impl->packed = pd.weights_desc();
    impl->weights = dnnl::memory(pd.weights_desc(), engine);
    if (quantised) {
        // Symmetric per-channel scales: each output row's largest weight maps to 127.
        std::vector<std::int8_t> q(raw.weight.size());
        impl->weight_scales.resize(raw.out);
        for (std::size_t o = 0; o < raw.out; ++o) {
            const float* row = &raw.weight[o * raw.in];
            const float top = max_magnitude(row, raw.in);
            const float scale = top > 0.0f ? top / 127.0f : 1.0f;
            impl->weight_scales[o] = scale;
            quantize(row, raw.in, 1.0f / scale, &q[o * raw.in]);
        }
        dnnl::memory plain(weights, engine, q.data());
        dnnl::reorder(plain, impl->weights).execute(thread_stream(), plain, impl->weights);
        impl->bias_values = raw.bias;
    } else {
        dnnl::memory plain(weights, engine, const_cast<float*>(raw.weight.data()));
        dnnl::reorder(plain, impl->weights).execute(thread_stream(), plain, impl->weights);
        impl->bias = dnnl::memory(bias, engine);
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
    if (impl_->precision == Precision::float32) {
        dnnl::matmul matmul;
        {
            std::lock_guard<std::mutex> lock(impl_->mutex);
            const auto key = std::make_pair(m, omp_get_max_threads());
            auto it = impl_->by_rows.find(key);
            if (it == impl_->by_rows.end()) {
                // Batches of texts have ever new token counts: the map is bounded, and refilling it is cheap since
                // oneDNN's own primitive cache answers the layers of the same shape.
                if (impl_->by_rows.size() >= 64) impl_->by_rows.clear();
                dnnl::matmul::desc desc(dnnl::memory::desc({m, k}, dt::f32, tag::ab), impl_->packed,
                                        dnnl::memory::desc({1, n}, dt::f32, tag::ab),
                                        dnnl::memory::desc({m, n}, dt::f32, tag::ab));
                it = impl_->by_rows.emplace(key, dnnl::matmul(dnnl::matmul::primitive_desc(desc, engine))).first;
            }
            matmul = it->second;
        }
        dnnl::memory src({{m, k}, dt::f32, tag::ab}, engine, const_cast<float*>(x));
        matmul.execute(stream, {{DNNL_ARG_SRC, src},
                                {DNNL_ARG_WEIGHTS, impl_->weights},
                                {DNNL_ARG_BIAS, impl_->bias},
                                {DNNL_ARG_DST, dst}});
        stream.wait();
        return;
    }
    // Dynamic quantisation with one scale per row (token), so that one token's outlier does not coarsen the
    // others: oneDNN applies the weights' per-column scales, the rows' scales are applied here after the product.
    thread_local std::vector<std::int8_t> quantised;
    thread_local std::vector<float> row_scales;
    if (quantised.size() < rows * in_) quantised.resize(rows * in_);
    row_scales.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        const float top = max_magnitude(x + r * in_, in_);
        row_scales[r] = top > 0.0f ? top / 127.0f : 1.0f;
        quantize(x + r * in_, in_, 1.0f / row_scales[r], quantised.data() + r * in_);
    }
    dnnl::memory src({{m, k}, dt::s8, tag::ab}, engine, quantised.data());
    dnnl::memory scale_memory({{n}, dt::f32, tag::a}, engine, const_cast<float*>(impl_->weight_scales.data()));
    impl_->matmul.execute(stream, {{DNNL_ARG_SRC, src},
                                   {DNNL_ARG_WEIGHTS, impl_->weights},
                                   {DNNL_ARG_DST, dst},
                                   {DNNL_ARG_ATTR_OUTPUT_SCALES, scale_memory}});
    stream.wait();
    scale_rows_add_bias(y, rows, out_, row_scales.data(), impl_->bias_values.data());
}

void set_threads(int threads) { omp_set_num_threads(std::max(threads, 1)); }

}  // namespace emo::nn
