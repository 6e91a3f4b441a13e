// Element-wise ops (with NumPy broadcasting for the binary ones), Softmax, and reductions: plain loops, which the
// compiler vectorises where the shapes let it.
#include "nn/kernels.hpp"
#include "nn/tfjs_ops.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <type_traits>

namespace emo::nn::tfjs {

namespace {

std::size_t count(const std::vector<std::int64_t>& shape) {
    std::size_t n = 1;
    for (auto d : shape) n *= static_cast<std::size_t>(d);
    return n;
}

class IdentityOp : public Op {
public:
    explicit IdentityOp(const OpSpec& spec) : node_(spec.node) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& /*scratch*/) const override {
        if (inputs.empty()) fail(node_, "expects an input");
        return *inputs[0];
    }

private:
    TfjsNode node_;
};

class UnaryOp : public Op {
public:
    UnaryOp(const OpSpec& spec, std::function<float(float)> f) : node_(spec.node), f_(std::move(f)) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& /*scratch*/) const override {
        expect_inputs(node_, inputs, 1);
        TfjsTensor y = float_input(node_, inputs, 0);
        for (auto& v : y.floats) v = f_(v);
        return y;
    }

private:
    TfjsNode node_;
    std::function<float(float)> f_;
};

// Relu and Relu6 without the indirection of a std::function: they follow most convolutions of the face models.
class ClampOp : public Op {
public:
    ClampOp(const OpSpec& spec, float high) : node_(spec.node), high_(high) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const override {
        expect_inputs(node_, inputs, 1);
        const auto& x = float_input(node_, inputs, 0);
        TfjsTensor y;
        y.shape = x.shape;
        y.floats = scratch.floats(x.floats.size());
        const float* in = x.floats.data();
        float* out = y.floats.data();
        const std::size_t n = y.floats.size();
        const float high = high_;
        for (std::size_t i = 0; i < n; ++i) out[i] = std::min(std::max(in[i], 0.0f), high);
        return y;
    }

private:
    TfjsNode node_;
    float high_;
};

enum class Binary { add, sub, mul, div, maximum, minimum, squared_difference };

// y = a (op) b over the broadcast shape `out`: the last dimension as an inner loop with strides 0 or 1, the others
// walked with an odometer.
template <class T, class F>
void broadcast(F op, const std::vector<std::int64_t>& out, const T* a, const std::vector<std::int64_t>& as, const T* b,
               const std::vector<std::int64_t>& bs, T* y) {
    const std::size_t rank = out.size();
    if (rank == 0) {
        y[0] = op(a[0], b[0]);
        return;
    }
    // Strides of a and b in the output's dimensions; 0 where they are broadcast.
    auto strides_of = [&](const std::vector<std::int64_t>& s) {
        std::vector<std::int64_t> st(rank, 0);
        std::int64_t step = 1;
        for (std::size_t k = 0; k < s.size(); ++k) {
            const std::size_t i = s.size() - 1 - k;
            const std::size_t o = rank - 1 - k;
            st[o] = s[i] == 1 ? 0 : step;
            step *= s[i];
        }
        return st;
    };
    const auto sa = strides_of(as), sb = strides_of(bs);
    const std::int64_t inner = out[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
    std::vector<std::int64_t> index(rank, 0);
    std::size_t outer = count(out) / static_cast<std::size_t>(std::max<std::int64_t>(inner, 1));
    if (inner == 0) outer = 0;
    std::int64_t oa = 0, ob = 0;
    for (std::size_t o = 0; o < outer; ++o) {
        T* row = y + o * static_cast<std::size_t>(inner);
        const T* ra = a + oa;
        const T* rb = b + ob;
        if (ia == 1 && ib == 1) {
            for (std::int64_t i = 0; i < inner; ++i) row[i] = op(ra[i], rb[i]);
        } else if (ia == 1) {
            const T vb = rb[0];
            for (std::int64_t i = 0; i < inner; ++i) row[i] = op(ra[i], vb);
        } else if (ib == 1) {
            const T va = ra[0];
            for (std::int64_t i = 0; i < inner; ++i) row[i] = op(va, rb[i]);
        } else {
            for (std::int64_t i = 0; i < inner; ++i) row[i] = op(ra[0], rb[0]);
        }
        // Advance the odometer over the outer dimensions.
        for (std::size_t d = rank - 1; d-- > 0;) {
            oa += sa[d];
            ob += sb[d];
            if (++index[d] < out[d]) break;
            oa -= sa[d] * out[d];
            ob -= sb[d] * out[d];
            index[d] = 0;
        }
    }
}

// y = a (op) b, elementwise: one flat loop when the shapes are equal (the residual additions of the face models,
// where the odometer of `broadcast` would restart every few channels), else `broadcast`.
template <class T, class F>
void elementwise(F op, const std::vector<std::int64_t>& out, const T* a, const std::vector<std::int64_t>& as,
                 const T* b, const std::vector<std::int64_t>& bs, T* y) {
    if (as == bs) {
        const std::size_t n = count(out);
        for (std::size_t i = 0; i < n; ++i) y[i] = op(a[i], b[i]);
        return;
    }
    broadcast(op, out, a, as, b, bs, y);
}

// A binary op, optionally followed by Relu or Relu6 in the same pass (`high`: the clamp's top) when the executor
// fuses the two (make_fused_op): the activation then costs no pass over memory of its own, and the sum no buffer.
class BinaryOp : public Op {
public:
    BinaryOp(const OpSpec& spec, Binary op) : node_(spec.node), op_(op) {}
    BinaryOp(const OpSpec& spec, Binary op, const TfjsNode& activation, float high)
        : node_(spec.node), op_(op), activation_(activation), high_(high) {}

    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const override {
        expect_inputs(node_, inputs, 2);
        const auto& a = *inputs[0];
        const auto& b = *inputs[1];
        if (a.dtype != b.dtype) fail(node_, "inputs of different types (float32 and int32)");
        const std::size_t rank = std::max(a.shape.size(), b.shape.size());
        std::vector<std::int64_t> out(rank);
        for (std::size_t k = 0; k < rank; ++k) {
            const std::int64_t da = k < a.shape.size() ? a.shape[a.shape.size() - 1 - k] : 1;
            const std::int64_t db = k < b.shape.size() ? b.shape[b.shape.size() - 1 - k] : 1;
            if (da != db && da != 1 && db != 1)
                fail(node_,
                     "shapes " + shape_text(a.shape) + " and " + shape_text(b.shape) + " cannot be broadcast together");
            out[rank - 1 - k] = da == 1 ? db : da;
        }
        TfjsTensor y;
        y.dtype = a.dtype;
        y.shape = out;
        const std::size_t n = checked_elements(node_, out);
        if (a.dtype == TfjsDtype::float32) {
            y.floats = scratch.floats(n);
            if (n) dispatch(out, a.floats.data(), a.shape, b.floats.data(), b.shape, y.floats.data());
        } else {
            if (activation_) fail(*activation_, "input 0 must be float32, is int32");
            if (op_ == Binary::div) fail(node_, "integer division is not supported");
            y.ints.resize(n);
            if (n) dispatch(out, a.ints.data(), a.shape, b.ints.data(), b.shape, y.ints.data());
        }
        return y;
    }

private:
    // One instantiation per op, so that each inner loop is a plain vectorisable loop.
    template <class T>
    void dispatch(const std::vector<std::int64_t>& out, const T* a, const std::vector<std::int64_t>& as, const T* b,
                  const std::vector<std::int64_t>& bs, T* y) const {
        switch (op_) {
            case Binary::add:
                return activate([](T u, T v) { return u + v; }, out, a, as, b, bs, y);
            case Binary::sub:
                return activate([](T u, T v) { return u - v; }, out, a, as, b, bs, y);
            case Binary::mul:
                return activate([](T u, T v) { return u * v; }, out, a, as, b, bs, y);
            case Binary::div:
                return activate([](T u, T v) { return u / v; }, out, a, as, b, bs, y);
            case Binary::maximum:
                return activate([](T u, T v) { return std::max(u, v); }, out, a, as, b, bs, y);
            case Binary::minimum:
                return activate([](T u, T v) { return std::min(u, v); }, out, a, as, b, bs, y);
            case Binary::squared_difference:
                return activate([](T u, T v) { return (u - v) * (u - v); }, out, a, as, b, bs, y);
        }
    }

    // `op`, then the fused activation if any: the same expression as ClampOp's, so that fused and unfused agree to
    // the bit.
    template <class T, class F>
    void activate(F op, const std::vector<std::int64_t>& out, const T* a, const std::vector<std::int64_t>& as,
                  const T* b, const std::vector<std::int64_t>& bs, T* y) const {
        if constexpr (std::is_same_v<T, float>) {
            if (activation_) {
                const float high = high_;
                return elementwise([op, high](float u, float v) { return std::min(std::max(op(u, v), 0.0f), high); },
                                   out, a, as, b, bs, y);
            }
        }
        elementwise(op, out, a, as, b, bs, y);
    }

    TfjsNode node_;
    Binary op_;
    std::optional<TfjsNode> activation_;  // the fused Relu or Relu6, for messages
    float high_ = 0;
};

// Softmax over the last dimension.
class SoftmaxOp : public Op {
public:
    explicit SoftmaxOp(const OpSpec& spec) : node_(spec.node) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& /*scratch*/) const override {
        expect_inputs(node_, inputs, 1);
        TfjsTensor y = float_input(node_, inputs, 0);
        if (y.shape.empty()) fail(node_, "Softmax needs at least one dimension");
        const auto cols = static_cast<std::size_t>(y.shape.back());
        if (cols == 0 || y.floats.empty()) return y;
        softmax_rows(MatrixView{y.floats.data(), y.floats.size() / cols, cols, cols});
        return y;
    }

private:
    TfjsNode node_;
};

enum class Reduce { mean, sum, max, min };

// Mean, Sum, Max and Min over the axes of input 1, keeping them as size 1 with keep_dims.
class ReduceOp : public Op {
public:
    ReduceOp(const OpSpec& spec, Reduce kind) : node_(spec.node), kind_(kind) {
        keep_dims_ = node_.attr_bool("keep_dims", false);
    }

    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& /*scratch*/) const override {
        expect_inputs(node_, inputs, 2);
        const auto& x = float_input(node_, inputs, 0);
        const auto rank = static_cast<std::int64_t>(x.shape.size());
        std::vector<bool> reduced(x.shape.size(), false);
        for (auto axis : int_values(node_, *inputs[1], "reduction axes"))
            reduced[static_cast<std::size_t>(normalise_axis(node_, axis, rank))] = true;
        TfjsTensor y;
        std::vector<std::int64_t> out_strides(x.shape.size(), 0);
        std::int64_t step = 1, group = 1;
        for (std::size_t k = x.shape.size(); k-- > 0;) {
            if (reduced[k]) {
                group *= x.shape[k];
            } else {
                out_strides[k] = step;
                step *= x.shape[k];
            }
        }
        for (std::size_t k = 0; k < x.shape.size(); ++k) {
            if (!reduced[k])
                y.shape.push_back(x.shape[k]);
            else if (keep_dims_)
                y.shape.push_back(1);
        }
        const std::size_t n = y.elements();
        if (group == 0 && (kind_ == Reduce::max || kind_ == Reduce::min))
            fail(node_, "reduction over an empty dimension");
        const float init = kind_ == Reduce::max   ? -std::numeric_limits<float>::infinity()
                           : kind_ == Reduce::min ? std::numeric_limits<float>::infinity()
                                                  : 0.0f;
        // Sums in double: a global average pool adds thousands of values.
        std::vector<double> acc(n, init);
        std::vector<std::int64_t> index(x.shape.size(), 0);
        std::int64_t o = 0;
        for (std::size_t i = 0; i < x.floats.size(); ++i) {
            const double v = x.floats[i];
            double& a = acc[static_cast<std::size_t>(o)];
            if (kind_ == Reduce::max)
                a = std::max(a, v);
            else if (kind_ == Reduce::min)
                a = std::min(a, v);
            else
                a += v;
            for (std::size_t d = x.shape.size(); d-- > 0;) {
                o += out_strides[d];
                if (++index[d] < x.shape[d]) break;
                o -= out_strides[d] * x.shape[d];
                index[d] = 0;
            }
        }
        y.floats.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            y.floats[i] = static_cast<float>(kind_ == Reduce::mean ? acc[i] / static_cast<double>(group) : acc[i]);
        return y;
    }

private:
    TfjsNode node_;
    Reduce kind_;
    bool keep_dims_ = false;
};

// The binary op of `op`, if it is one.
std::optional<Binary> binary_of(const std::string& op) {
    if (op == "Add" || op == "AddV2") return Binary::add;
    if (op == "Sub") return Binary::sub;
    if (op == "Mul") return Binary::mul;
    if (op == "RealDiv" || op == "Div") return Binary::div;
    if (op == "Maximum") return Binary::maximum;
    if (op == "Minimum") return Binary::minimum;
    if (op == "SquaredDifference") return Binary::squared_difference;
    return std::nullopt;
}

// Relu's and Relu6's top.
std::optional<float> clamp_top(const std::string& op) {
    if (op == "Relu") return std::numeric_limits<float>::infinity();
    if (op == "Relu6") return 6.0f;
    return std::nullopt;
}

}  // namespace

std::unique_ptr<Op> make_fused_op(const OpSpec& first, const TfjsNode& second) {
    const auto binary = binary_of(first.node.op);
    const auto high = clamp_top(second.op);
    if (!binary || !high) return nullptr;
    return std::make_unique<BinaryOp>(first, *binary, second, *high);
}

std::unique_ptr<Op> make_basic_op(const OpSpec& spec) {
    const auto& op = spec.node.op;
    if (op == "Identity" || op == "StopGradient" || op == "Snapshot") return std::make_unique<IdentityOp>(spec);
    if (const auto high = clamp_top(op)) return std::make_unique<ClampOp>(spec, *high);
    if (op == "Sigmoid") return std::make_unique<UnaryOp>(spec, [](float x) { return 1.0f / (1.0f + std::exp(-x)); });
    if (op == "Tanh") return std::make_unique<UnaryOp>(spec, [](float x) { return std::tanh(x); });
    if (op == "Exp") return std::make_unique<UnaryOp>(spec, [](float x) { return std::exp(x); });
    if (op == "Neg") return std::make_unique<UnaryOp>(spec, [](float x) { return -x; });
    if (op == "Abs") return std::make_unique<UnaryOp>(spec, [](float x) { return std::fabs(x); });
    if (op == "Sqrt") return std::make_unique<UnaryOp>(spec, [](float x) { return std::sqrt(x); });
    if (op == "Rsqrt") return std::make_unique<UnaryOp>(spec, [](float x) { return 1.0f / std::sqrt(x); });
    if (op == "Square") return std::make_unique<UnaryOp>(spec, [](float x) { return x * x; });
    if (op == "Elu") return std::make_unique<UnaryOp>(spec, [](float x) { return x < 0 ? std::expm1(x) : x; });
    if (op == "LeakyRelu") {
        const auto alpha = static_cast<float>(spec.node.attr_float("alpha", 0.2));
        return std::make_unique<UnaryOp>(spec, [alpha](float x) { return x < 0 ? alpha * x : x; });
    }
    if (const auto binary = binary_of(op)) return std::make_unique<BinaryOp>(spec, *binary);
    if (op == "Softmax") return std::make_unique<SoftmaxOp>(spec);
    if (op == "Mean") return std::make_unique<ReduceOp>(spec, Reduce::mean);
    if (op == "Sum") return std::make_unique<ReduceOp>(spec, Reduce::sum);
    if (op == "Max") return std::make_unique<ReduceOp>(spec, Reduce::max);
    if (op == "Min") return std::make_unique<ReduceOp>(spec, Reduce::min);
    return nullptr;
}

}  // namespace emo::nn::tfjs
