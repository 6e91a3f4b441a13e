// Convolutions, depthwise convolutions and pooling on oneDNN primitives (one per node and input shape, weights
// reordered into the primitive's layout once), and matrix products on oneDNN's sgemm: the kernels shared with the
// transformer encoders (shared/DESIGN.md). TensorFlow's SAME padding puts the odd pixel after, not before, which
// oneDNN's separate left and right paddings express directly.
#include "nn/depthwise_conv.hpp"
#include "nn/max_pool.hpp"
#include "nn/onednn_context.hpp"
#include "nn/pointwise_conv.hpp"
#include "nn/tfjs_ops.hpp"
#include "nn/winograd_conv.hpp"

#include <emo/emo.hpp>

#include <dnnl.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace emo::nn::tfjs {

namespace {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;
using dims = dnnl::memory::dims;

// An activation fused after a convolution or matrix product.
enum class Act { none, relu, relu6, leaky_relu, elu, sigmoid, tanh, prelu };

struct Fused {
    bool bias = false;
    Act act = Act::none;
    float alpha = 0.0f;  // leaky_relu's slope
};

// The fused_ops of _FusedConv2D / FusedDepthwiseConv2dNative / _FusedMatMul: a BiasAdd, optionally followed by
// one activation. Anything else (FusedBatchNorm, two activations) is refused when the graph is built.
Fused parse_fused(const TfjsNode& node) {
    Fused f;
    const auto ops = node.attr_strings("fused_ops", {});
    std::size_t i = 0;
    if (i < ops.size() && ops[i] == "BiasAdd") {
        f.bias = true;
        ++i;
    }
    if (i < ops.size()) {
        const auto& a = ops[i];
        if (a == "Relu")
            f.act = Act::relu;
        else if (a == "Relu6")
            f.act = Act::relu6;
        else if (a == "LeakyRelu") {
            f.act = Act::leaky_relu;
            f.alpha = static_cast<float>(node.attr_float("leakyrelu_alpha", 0.2));
        } else if (a == "Elu")
            f.act = Act::elu;
        else if (a == "Sigmoid")
            f.act = Act::sigmoid;
        else if (a == "Tanh")
            f.act = Act::tanh;
        else if (a == "Prelu")
            f.act = Act::prelu;
        else
            fail(node, "fused op '" + a + "' is not supported");
        ++i;
    }
    if (i != ops.size()) fail(node, "fused ops other than BiasAdd followed by one activation are not supported");
    return f;
}

// The clamp that stands for an activation of none, Relu or Relu6 in the executor's own kernels.
std::pair<float, float> clamp_bounds(Act act) {
    return {act == Act::none ? -INFINITY : 0.0f, act == Act::relu6 ? 6.0f : INFINITY};
}

void append_act(dnnl::post_ops& post, const Fused& f) {
    switch (f.act) {
        case Act::relu:
            post.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
            break;
        case Act::relu6:
            post.append_eltwise(1.0f, dnnl::algorithm::eltwise_clip, 0.0f, 6.0f);
            break;
        case Act::leaky_relu:
            post.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, f.alpha, 0.0f);
            break;
        case Act::elu:
            post.append_eltwise(1.0f, dnnl::algorithm::eltwise_elu, 1.0f, 0.0f);
            break;
        case Act::sigmoid:
            post.append_eltwise(1.0f, dnnl::algorithm::eltwise_logistic, 0.0f, 0.0f);
            break;
        case Act::tanh:
            post.append_eltwise(1.0f, dnnl::algorithm::eltwise_tanh, 0.0f, 0.0f);
            break;
        default:
            break;  // none; prelu is applied afterwards
    }
}

// The activation in place on n values whose last dimension has `channels` entries (prelu's alphas are per channel,
// or one for all).
void apply_act(const Fused& f, float* x, std::size_t n, std::size_t channels, const std::vector<float>& prelu) {
    switch (f.act) {
        case Act::relu:
            for (std::size_t i = 0; i < n; ++i) x[i] = std::max(x[i], 0.0f);
            break;
        case Act::relu6:
            for (std::size_t i = 0; i < n; ++i) x[i] = std::clamp(x[i], 0.0f, 6.0f);
            break;
        case Act::leaky_relu:
            for (std::size_t i = 0; i < n; ++i) x[i] = x[i] < 0 ? x[i] * f.alpha : x[i];
            break;
        case Act::elu:
            for (std::size_t i = 0; i < n; ++i) x[i] = x[i] < 0 ? std::expm1(x[i]) : x[i];
            break;
        case Act::sigmoid:
            for (std::size_t i = 0; i < n; ++i) x[i] = 1.0f / (1.0f + std::exp(-x[i]));
            break;
        case Act::tanh:
            for (std::size_t i = 0; i < n; ++i) x[i] = std::tanh(x[i]);
            break;
        case Act::prelu: {
            const bool one = prelu.size() == 1;
            for (std::size_t i = 0; i < n; ++i)
                if (x[i] < 0) x[i] *= prelu[one ? 0 : i % channels];
            break;
        }
        case Act::none:
            break;
    }
}

// Prelu's alphas from input `index`: one per channel (any shape with that many values) or one for all.
std::vector<float> prelu_alphas(const TfjsNode& node, const std::vector<const TfjsTensor*>& inputs, std::size_t index,
                                std::size_t channels) {
    if (inputs.size() <= index) fail(node, "Prelu needs its alpha input");
    const auto& a = float_input(node, inputs, index);
    if (a.floats.size() != channels && a.floats.size() != 1)
        fail(node, "Prelu alpha of shape " + shape_text(a.shape) + " does not match " + std::to_string(channels) +
                       " channels");
    return a.floats;
}

// NHWC only: the converter writes NHWC graphs, and NCHW would need transposes around every primitive.
void expect_nhwc(const TfjsNode& node) {
    const auto format = node.attr_string("data_format", "NHWC");
    if (format != "NHWC") fail(node, "data_format '" + format + "' is not supported (NHWC only)");
}

// The [1, h, w, 1] attribute `key` as {h, w}.
std::array<std::int64_t, 2> spatial_pair(const TfjsNode& node, const std::string& key,
                                         const std::vector<std::int64_t>& fallback) {
    const auto v = node.attr_ints(key, fallback);
    if (v.size() == 2) {
        if (v[0] < 1 || v[1] < 1) fail(node, "'" + key + "' must be positive");
        return {v[0], v[1]};
    }
    if (v.size() != 4 || v[0] != 1 || v[3] != 1 || v[1] < 1 || v[2] < 1)
        fail(node, "'" + key + "' must be [1, h, w, 1] with positive h and w");
    return {v[1], v[2]};
}

enum class Padding { same, valid, explicit_ };

struct Window {
    Padding padding = Padding::valid;
    std::array<std::int64_t, 2> strides{1, 1}, dilations{1, 1};
    std::array<std::int64_t, 4> explicit_pads{0, 0, 0, 0};  // top, bottom, left, right
};

Window parse_window(const TfjsNode& node, bool has_dilations) {
    expect_nhwc(node);
    Window w;
    w.strides = spatial_pair(node, "strides", {1, 1, 1, 1});
    if (has_dilations) w.dilations = spatial_pair(node, "dilations", {1, 1, 1, 1});
    const auto padding = node.attr_string("padding");
    if (padding == "SAME") {
        w.padding = Padding::same;
    } else if (padding == "VALID") {
        w.padding = Padding::valid;
    } else if (padding == "EXPLICIT") {
        w.padding = Padding::explicit_;
        const auto p = node.attr_ints("explicit_paddings", {});
        if (p.size() != 8 || p[0] || p[1] || p[6] || p[7])
            fail(node, "explicit_paddings must pad only height and width (8 values, NHWC)");
        for (int i = 0; i < 4; ++i) {
            if (p[2 + i] < 0) fail(node, "explicit_paddings must not be negative");
            w.explicit_pads[i] = p[2 + i];
        }
    } else {
        fail(node, "padding '" + padding + "' is not supported");
    }
    return w;
}

struct Extent {
    std::int64_t out, before, after;
};

// One spatial dimension's output size and paddings, as TensorFlow defines them.
Extent extent(const TfjsNode& node, const Window& w, int axis, std::int64_t in, std::int64_t kernel) {
    const std::int64_t stride = w.strides[axis];
    const std::int64_t span = (kernel - 1) * w.dilations[axis] + 1;
    Extent e{0, 0, 0};
    if (w.padding == Padding::same) {
        e.out = (in + stride - 1) / stride;
        const std::int64_t total = std::max<std::int64_t>((e.out - 1) * stride + span - in, 0);
        e.before = total / 2;
        e.after = total - e.before;
    } else {
        if (w.padding == Padding::explicit_) {
            e.before = w.explicit_pads[2 * axis];
            e.after = w.explicit_pads[2 * axis + 1];
        }
        const std::int64_t padded = in + e.before + e.after;
        if (padded < span)
            fail(node,
                 "input size " + std::to_string(in) + " is smaller than the window (" + std::to_string(span) + ")");
        e.out = (padded - span) / stride + 1;
    }
    if (e.out < 1) fail(node, "empty output for input size " + std::to_string(in));
    return e;
}

const TfjsTensor& nhwc_input(const TfjsNode& node, const std::vector<const TfjsTensor*>& inputs) {
    const auto& x = float_input(node, inputs, 0);
    if (x.shape.size() != 4) fail(node, "input must be NHWC (rank 4), got " + shape_text(x.shape));
    return x;
}

dnnl::memory::desc nhwc(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) {
    return dnnl::memory::desc({n, c, h, w}, dt::f32, tag::nhwc);
}

// A oneDNN primitive ready for one input shape: its memory descriptions, its weights in its own layout, and the size
// of the scratch memory each call brings.
struct Plan {
    dnnl::primitive primitive;
    dnnl::memory::desc src, dst, scratch;
    dnnl::memory weights, bias;
    int bias_arg = DNNL_ARG_BIAS;  // or the binary post-op's operand (ConvOp::make_plan says why)
    std::vector<std::int64_t> out_shape;
};

class PlanCache {
public:
    template <class Make>
    std::shared_ptr<const Plan> get(const std::vector<std::int64_t>& shape, Make&& make) const {
        {
            std::lock_guard lock(mutex_);
            if (auto it = plans_.find(shape); it != plans_.end()) return it->second;
        }
        auto plan = std::make_shared<const Plan>(make());
        std::lock_guard lock(mutex_);
        // A few shapes per node at most in practice; the bound keeps a caller varying sizes from growing it forever.
        if (plans_.size() >= 64) plans_.clear();
        return plans_.emplace(shape, std::move(plan)).first->second;
    }

private:
    mutable std::mutex mutex_;
    mutable std::map<std::vector<std::int64_t>, std::shared_ptr<const Plan>> plans_;
};

void execute(const Plan& plan, const float* src, float* dst, Scratch& scratch) {
    auto& s = thread_stream();
    const std::size_t scratch_size = plan.scratch.get_size();
    dnnl::memory src_m(plan.src, cpu_engine(), const_cast<float*>(src));
    dnnl::memory dst_m(plan.dst, cpu_engine(), dst);
    dnnl::memory scratch_m(plan.scratch, cpu_engine(), scratch_size ? scratch.bytes(scratch_size) : nullptr);
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, src_m}, {DNNL_ARG_DST, dst_m}, {DNNL_ARG_SCRATCHPAD, scratch_m}};
    if (plan.weights) args.emplace(DNNL_ARG_WEIGHTS, plan.weights);
    if (plan.bias) args.emplace(plan.bias_arg, plan.bias);
    plan.primitive.execute(s, args);
    s.wait();
}

// Conv2D, _FusedConv2D, DepthwiseConv2dNative and FusedDepthwiseConv2dNative.
class ConvOp : public Op {
public:
    // With `sum`, the primitive adds what its output buffer holds (oneDNN's sum post-op) after the bias, then applies
    // *sum: run_over's business (ConvSumOp).
    ConvOp(const OpSpec& spec, bool depthwise, std::optional<Act> sum = std::nullopt)
        : node_(spec.node), depthwise_(depthwise), sum_(sum) {
        window_ = parse_window(node_, true);
        const bool fused = node_.op == "_FusedConv2D" || node_.op == "FusedDepthwiseConv2dNative";
        if (fused) fused_ = parse_fused(node_);
        const std::size_t want = 2 + (fused_.bias ? 1 : 0) + (fused_.act == Act::prelu ? 1 : 0);
        if (spec.node.inputs.size() != want)
            fail(node_, "expects " + std::to_string(want) + " inputs, has " + std::to_string(spec.node.inputs.size()));
        const auto* filter = spec.constants[1];
        if (!filter || filter->dtype != TfjsDtype::float32 || filter->shape.size() != 4)
            fail(node_, "the filter must be a constant float tensor of rank 4");
        filter_shape_ = filter->shape;
        filter_ = filter->floats;
        out_channels_ = depthwise ? filter_shape_[2] * filter_shape_[3] : filter_shape_[3];
        if (fused_.bias) {
            const auto* bias = spec.constants[2];
            if (!bias || bias->dtype != TfjsDtype::float32 ||
                bias->floats.size() != static_cast<std::size_t>(out_channels_))
                fail(node_, "the bias must be a constant float tensor of " + std::to_string(out_channels_) + " values");
            bias_ = bias->floats;
        }
        direct_depthwise_ = takes_direct_depthwise();
        if (takes_winograd()) {
            const auto in = static_cast<std::size_t>(filter_shape_[2]), out = static_cast<std::size_t>(out_channels_);
            winograd_ = pack_winograd(filter_.data(), fused_.bias ? bias_.data() : nullptr, in, out);
        }
    }

    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const override {
        if (winograd_) return run_winograd(inputs, scratch);
        if (direct_depthwise_) return run_depthwise(inputs, scratch);
        const auto plan = plan_for(inputs);
        return run_over(inputs, *plan, scratch.floats(count_of(plan->out_shape)), scratch);
    }

    // The output's shape for these inputs; emo::Error naming the node when they do not fit the filter.
    const std::vector<std::int64_t>& output_shape(const std::vector<const TfjsTensor*>& inputs) const {
        return plan_for(inputs)->out_shape;
    }

    // run(), writing into `dst` (output_shape's size): with a sum, dst holds what is added.
    TfjsTensor run_over(const std::vector<const TfjsTensor*>& inputs, std::vector<float>&& dst,
                        Scratch& scratch) const {
        return run_over(inputs, *plan_for(inputs), std::move(dst), scratch);
    }

private:
    static std::size_t count_of(const std::vector<std::int64_t>& shape) {
        std::size_t n = 1;
        for (auto d : shape) n *= static_cast<std::size_t>(d);
        return n;
    }

    // The input, its channels checked against the filter's.
    const TfjsTensor& checked_input(const std::vector<const TfjsTensor*>& inputs) const {
        const auto& x = nhwc_input(node_, inputs);
        const std::int64_t in_c = filter_shape_[2];  // [kh, kw, in, out] and [kh, kw, channels, multiplier] alike
        if (x.shape[3] != in_c)
            fail(node_, "input " + shape_text(x.shape) + " has " + std::to_string(x.shape[3]) +
                            " channels, the filter " + shape_text(filter_shape_) + " expects " + std::to_string(in_c));
        return x;
    }

    std::shared_ptr<const Plan> plan_for(const std::vector<const TfjsTensor*>& inputs) const {
        const auto& x = checked_input(inputs);
        return cache_.get(x.shape, [&] { return make_plan(x.shape); });
    }

    // A dense 3x3 window over every pixel, with eight input channels or more (fewer would be mostly the zeros that
    // pad them to a vector), clamped if at all: nn/winograd_conv does it in about half oneDNN's time.
    bool takes_winograd() const {
        const bool activation = fused_.act == Act::none || fused_.act == Act::relu || fused_.act == Act::relu6;
        return !depthwise_ && !sum_ && activation && filter_shape_[0] == 3 && filter_shape_[1] == 3 &&
               filter_shape_[2] >= 8 && window_.strides == std::array<std::int64_t, 2>{1, 1} &&
               window_.dilations == std::array<std::int64_t, 2>{1, 1} && winograd_supported();
    }

    // A plain DepthwiseConv2dNative (no bias or activation of its own), 3x3 with one filter per channel, over every
    // pixel: nn/depthwise_conv (faster than oneDNN's kernel on BlazeFace's large first stage, on par elsewhere).
    bool takes_direct_depthwise() const {
        return depthwise_ && !sum_ && node_.op == "DepthwiseConv2dNative" && filter_shape_[0] == 3 &&
               filter_shape_[1] == 3 && filter_shape_[3] == 1 && window_.strides == std::array<std::int64_t, 2>{1, 1} &&
               window_.dilations == std::array<std::int64_t, 2>{1, 1};
    }

    // The output of a 3x3 window at stride 1 over x (nn/depthwise_conv's and nn/winograd_conv's case), its values
    // unset, and the window's geometry.
    std::pair<TfjsTensor, Conv3x3Shape> output_3x3(const TfjsTensor& x, Scratch& scratch) const {
        const auto eh = extent(node_, window_, 0, x.shape[1], 3);
        const auto ew = extent(node_, window_, 1, x.shape[2], 3);
        TfjsTensor y;
        y.shape = {x.shape[0], eh.out, ew.out, out_channels_};
        checked_elements(node_, y.shape);
        y.floats = scratch.floats(y.elements());
        Conv3x3Shape shape;
        shape.batch = x.shape[0];
        shape.height = x.shape[1];
        shape.width = x.shape[2];
        shape.channels = x.shape[3];
        shape.out_height = eh.out;
        shape.out_width = ew.out;
        shape.pad_top = eh.before;
        shape.pad_left = ew.before;
        return {std::move(y), shape};
    }

    TfjsTensor run_depthwise(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const {
        const auto& x = checked_input(inputs);
        auto [y, shape] = output_3x3(x, scratch);
        depthwise3x3(x.floats.data(), shape, filter_.data(), y.floats.data());
        return std::move(y);
    }

    TfjsTensor run_winograd(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const {
        const auto& x = checked_input(inputs);
        auto [y, shape] = output_3x3(x, scratch);
        const auto [lo, hi] = clamp_bounds(fused_.act);
        winograd_conv3x3(x.floats.data(), shape, *winograd_, y.floats.data(), lo, hi);
        return std::move(y);
    }

    TfjsTensor run_over(const std::vector<const TfjsTensor*>& inputs, const Plan& plan, std::vector<float>&& dst,
                        Scratch& scratch) const {
        TfjsTensor y;
        y.shape = plan.out_shape;
        y.floats = std::move(dst);
        if (!y.floats.empty()) execute(plan, inputs[0]->floats.data(), y.floats.data(), scratch);
        if (fused_.act == Act::prelu) {
            const auto alphas = prelu_alphas(node_, inputs, 3, static_cast<std::size_t>(out_channels_));
            apply_act(fused_, y.floats.data(), y.floats.size(), static_cast<std::size_t>(out_channels_), alphas);
        }
        return y;
    }

    Plan make_plan(const std::vector<std::int64_t>& in) const {
        const std::int64_t kh = filter_shape_[0], kw = filter_shape_[1], c = filter_shape_[2];
        const auto eh = extent(node_, window_, 0, in[1], kh);
        const auto ew = extent(node_, window_, 1, in[2], kw);
        Plan plan;
        plan.out_shape = {in[0], eh.out, ew.out, out_channels_};
        checked_elements(node_, plan.out_shape);
        plan.src = nhwc(in[0], in[3], in[1], in[2]);
        plan.dst = nhwc(in[0], out_channels_, eh.out, ew.out);
        // TensorFlow's filters: [kh, kw, in, out] (HWIO), depthwise [kh, kw, channels, multiplier]; described to
        // oneDNN by strides rather than by format tags.
        dnnl::memory::desc user_w;
        dims w_dims;
        if (depthwise_) {
            const std::int64_t m = filter_shape_[3];
            w_dims = {c, m, 1, kh, kw};
            user_w = dnnl::memory::desc(w_dims, dt::f32, dims{m, 1, c * m, kw * c * m, c * m});
        } else {
            const std::int64_t o = filter_shape_[3];
            w_dims = {o, c, kh, kw};
            user_w = dnnl::memory::desc(w_dims, dt::f32, dims{1, o, kw * c * o, c * o});
        }
        const dnnl::memory::desc any_w(w_dims, dt::f32, tag::any);
        const dims strides{window_.strides[0], window_.strides[1]};
        const dims dilates{window_.dilations[0] - 1, window_.dilations[1] - 1};
        const dims pad_l{eh.before, ew.before}, pad_r{eh.after, ew.after};
        dnnl::primitive_attr attr;
        attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
        dnnl::post_ops post;
        const auto kind = dnnl::prop_kind::forward_inference;
        const auto alg = dnnl::algorithm::convolution_direct;
        // A residual convolution that nn/pointwise_conv does not take (a window wider than 1x1, or explicit
        // padding: none of the committed models has one) keeps oneDNN's fast form: the bias as the convolution's
        // own, the addend through the sum post-op over the output buffer, which must hold it (ConvSumOp copies it
        // there or hands its buffer over). Its sums start at the bias, an ulp or two off TF.js's rounding, where the
        // exact form below would take the addend as a binary post-op, a few percent slower.
        if (sum_) {
            append_act(post, fused_);
            post.append_sum(1.0f);
            append_act(post, Fused{false, *sum_, 0.0f});
            attr.set_post_ops(post);
            std::optional<dnnl::convolution_forward::desc> desc;
            if (fused_.bias) {
                const dnnl::memory::desc bias_md({out_channels_}, dt::f32, tag::x);
                desc.emplace(kind, alg, plan.src, any_w, bias_md, plan.dst, strides, dilates, pad_l, pad_r);
            } else {
                desc.emplace(kind, alg, plan.src, any_w, plan.dst, strides, dilates, pad_l, pad_r);
            }
            return finish_plan(std::move(plan), *desc, attr, user_w, true);
        }
        // The bias as a per-channel binary add after the sum of products, not as the convolution's bias: oneDNN's
        // AVX2 kernels (jit:avx2, jit_1x1:avx2) start their float32 sums at the bias, whereas TF.js's CPU backend
        // sums the products from zero and adds the bias to the rounded sum (as oneDNN's AVX-512 kernels seem to:
        // parity was exact there). Each output then parts by an ulp or two, which BlazeFace's 37 convolutions carry
        // up to 1e-3 at its logits near -118 (issue 15's parity bar is 1e-4 absolute); as a post-op the rounding is
        // TF.js's exactly.
        if (fused_.bias) post.append_binary(dnnl::algorithm::binary_add, bias_desc());
        append_act(post, fused_);
        attr.set_post_ops(post);
        const dnnl::convolution_forward::desc desc(kind, alg, plan.src, any_w, plan.dst, strides, dilates, pad_l,
                                                   pad_r);
        return finish_plan(std::move(plan), desc, attr, user_w, false);
    }

    // The primitive, its weights in oneDNN's layout and the bias: as the convolution's own bias when
    // `bias_in_convolution`, else as the first binary post-op's operand.
    Plan finish_plan(Plan plan, const dnnl::convolution_forward::desc& desc, const dnnl::primitive_attr& attr,
                     const dnnl::memory::desc& user_w, bool bias_in_convolution) const {
        dnnl::convolution_forward::primitive_desc pd;
        try {
            pd = dnnl::convolution_forward::primitive_desc(desc, attr, cpu_engine());
        } catch (const dnnl::error& e) {
            fail(node_, std::string("oneDNN refuses this convolution: ") + e.what());
        }
        plan.primitive = dnnl::convolution_forward(pd);
        plan.scratch = pd.scratchpad_desc();
        dnnl::memory user(user_w, cpu_engine(), const_cast<float*>(filter_.data()));
        plan.weights = dnnl::memory(pd.weights_desc(), cpu_engine());
        dnnl::reorder(user, plan.weights).execute(thread_stream(), user, plan.weights);
        thread_stream().wait();
        if (fused_.bias) {
            plan.bias = dnnl::memory(bias_in_convolution ? pd.bias_desc() : bias_desc(), cpu_engine());
            plan.bias_arg = bias_in_convolution ? DNNL_ARG_BIAS : DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1;
            std::copy(bias_.begin(), bias_.end(), static_cast<float*>(plan.bias.get_data_handle()));
        }
        return plan;
    }

    // The bias as the binary post-op's second operand: one value per output channel, broadcast over n, h and w.
    dnnl::memory::desc bias_desc() const { return dnnl::memory::desc({1, out_channels_, 1, 1}, dt::f32, tag::nchw); }

    TfjsNode node_;
    bool depthwise_;
    std::optional<Act> sum_;
    Window window_;
    Fused fused_;
    std::vector<std::int64_t> filter_shape_;
    std::vector<float> filter_, bias_;
    std::int64_t out_channels_ = 0;
    std::optional<WinogradWeights> winograd_;  // where takes_winograd()
    bool direct_depthwise_ = false;            // takes_direct_depthwise()
    PlanCache cache_;
};

// A convolution, the Add that alone reads it and, optionally, the Relu or Relu6 that alone reads the sum (BlazeFace's
// residual blocks): one oneDNN primitive that adds the other operand as it writes its output. Shapes that do not
// match exactly (a broadcast add) run as the ops would apart. A 1x1 convolution (all of BlazeFace's, and the
// expression model's strided ones) runs on nn/pointwise_conv (oneDNN's AVX2 kernels round otherwise than TF.js unless
// the addend comes as a binary post-op, which costs BlazeFace a millisecond); others on oneDNN with its sum post-op
// (ConvOp::make_plan). Both run in place over the addend where the executor hands that over.
class ConvSumOp : public Op {
public:
    ConvSumOp(const OpSpec& conv, bool depthwise, Act act, const TfjsNode& add_node, std::unique_ptr<Op> add,
              std::size_t conv_at)
        : plain_(conv, depthwise),
          add_(std::move(add)),
          add_node_(add_node),
          conv_at_(conv_at),
          conv_inputs_(conv.node.inputs.size()) {
        const auto& filter = *conv.constants[1];  // ConvOp checked it
        const Window window = parse_window(conv.node, true);
        const bool unpadded = window.explicit_pads == std::array<std::int64_t, 4>{0, 0, 0, 0};
        if (!depthwise && filter.shape[0] == 1 && filter.shape[1] == 1 && unpadded) {
            strides_ = window.strides;
            const auto in = static_cast<std::size_t>(filter.shape[2]), out = static_cast<std::size_t>(filter.shape[3]);
            std::vector<float> bias(out, 0.0f);
            if (conv.node.op == "_FusedConv2D" && parse_fused(conv.node).bias) bias = conv.constants[2]->floats;
            pointwise_ = pack_pointwise(filter.floats.data(), bias.data(), in, out);
            std::tie(lo_, hi_) = clamp_bounds(act);
        } else {
            summing_.emplace(conv, depthwise, act);
        }
    }

    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const override {
        const auto conv = conv_args(inputs);
        const auto& other = *inputs.back();
        if (!fits(conv, other)) return apart(conv, other, scratch);
        auto dst = scratch.floats(other.floats.size());
        if (pointwise_) return run_pointwise(*conv[0], other.floats.data(), std::move(dst), scratch);
        std::copy(other.floats.begin(), other.floats.end(), dst.begin());  // what the sum post-op adds
        return summing_->run_over(conv, std::move(dst), scratch);
    }

    std::optional<std::size_t> reusable_input() const override { return conv_inputs_; }

    TfjsTensor run_reusing(const std::vector<const TfjsTensor*>& inputs, TfjsTensor& reused,
                           Scratch& scratch) const override {
        const auto conv = conv_args(inputs);
        if (!fits(conv, reused)) return apart(conv, reused, scratch);
        if (!pointwise_) return summing_->run_over(conv, std::move(reused.floats), scratch);
        const float* addend = reused.floats.data();
        return run_pointwise(*conv[0], addend, std::move(reused.floats), scratch);
    }

private:
    std::vector<const TfjsTensor*> conv_args(const std::vector<const TfjsTensor*>& inputs) const {
        expect_inputs(add_node_, inputs, conv_inputs_ + 1);
        return {inputs.begin(), inputs.begin() + static_cast<std::ptrdiff_t>(conv_inputs_)};
    }

    // Whether `other` has the convolution's output shape, so that the two run as one; for pointwise_ the shape
    // follows from the input's (no oneDNN plan is made for it).
    bool fits(const std::vector<const TfjsTensor*>& conv, const TfjsTensor& other) const {
        if (other.dtype != TfjsDtype::float32) return false;
        if (!pointwise_) return other.shape == summing_->output_shape(conv);
        const TfjsTensor& x = *conv[0];
        if (x.dtype != TfjsDtype::float32 || x.shape.size() != 4 ||
            x.shape[3] != static_cast<std::int64_t>(pointwise_->in) || x.shape[1] < 1 || x.shape[2] < 1)
            return false;  // an empty image goes apart, to ConvOp's error
        return other.shape == pointwise_shape(x);
    }

    // The output's shape: a 1x1 window's, every strides_-th pixel of x (TensorFlow's SAME and VALID agree there).
    std::vector<std::int64_t> pointwise_shape(const TfjsTensor& x) const {
        return {x.shape[0], (x.shape[1] - 1) / strides_[0] + 1, (x.shape[2] - 1) / strides_[1] + 1,
                static_cast<std::int64_t>(pointwise_->out)};
    }

    // Only with pointwise_; fits() checked the shapes. dst may hold the addend itself. A strided convolution (the
    // expression model's residual ones) runs on the pixels it reads, gathered first: oneDNN's strided 1x1 kernel
    // took 2.5 times as long for them (issue 15's bar (b)).
    TfjsTensor run_pointwise(const TfjsTensor& x, const float* addend, std::vector<float>&& dst,
                             Scratch& scratch) const {
        TfjsTensor y;
        y.shape = pointwise_shape(x);
        y.floats = std::move(dst);
        const auto pixels = y.elements() / pointwise_->out;
        if (strides_ == std::array<std::int64_t, 2>{1, 1}) {
            pointwise_conv_sum(x.floats.data(), pixels, *pointwise_, addend, y.floats.data(), lo_, hi_);
            return y;
        }
        auto gathered = scratch.floats(pixels * pointwise_->in);
        const auto h = static_cast<std::size_t>(x.shape[1]), w = static_cast<std::size_t>(x.shape[2]);
        const auto oh = static_cast<std::size_t>(y.shape[1]), ow = static_cast<std::size_t>(y.shape[2]);
        const auto sh = static_cast<std::size_t>(strides_[0]), sw = static_cast<std::size_t>(strides_[1]);
        const std::size_t c = pointwise_->in;
        float* to = gathered.data();
        for (std::size_t n = 0; n < static_cast<std::size_t>(x.shape[0]); ++n)
            for (std::size_t i = 0; i < oh; ++i)
                for (std::size_t j = 0; j < ow; ++j, to += c) {
                    const float* from = x.floats.data() + ((n * h + i * sh) * w + j * sw) * c;
                    std::copy(from, from + c, to);
                }
        pointwise_conv_sum(gathered.data(), pixels, *pointwise_, addend, y.floats.data(), lo_, hi_);
        scratch.recycle(std::move(gathered));
        return y;
    }

    TfjsTensor apart(const std::vector<const TfjsTensor*>& conv, const TfjsTensor& other, Scratch& scratch) const {
        TfjsTensor c = plain_.run(conv, scratch);
        std::vector<const TfjsTensor*> args{&c, &other};
        if (conv_at_ == 1) std::swap(args[0], args[1]);
        TfjsTensor y = add_->run(args, scratch);
        scratch.recycle(std::move(c.floats));
        return y;
    }

    ConvOp plain_;
    std::optional<ConvOp> summing_;  // the fused oneDNN form, where pointwise_ does not apply
    std::optional<PointwiseWeights> pointwise_;
    std::array<std::int64_t, 2> strides_{1, 1};  // pointwise_'s
    float lo_ = 0, hi_ = 0;
    std::unique_ptr<Op> add_;
    TfjsNode add_node_;
    std::size_t conv_at_, conv_inputs_;
};

// MaxPool and AvgPool (TensorFlow's average leaves the padding out of the count; on oneDNN).
class PoolOp : public Op {
public:
    PoolOp(const OpSpec& spec, bool max) : node_(spec.node), max_(max) {
        window_ = parse_window(node_, false);
        kernel_ = spatial_pair(node_, "ksize", {});
        if (node_.inputs.size() != 1) fail(node_, "expects 1 input");
    }

    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const override {
        const auto& x = nhwc_input(node_, inputs);
        if (max_) return max_pool(x, scratch);
        const auto plan = cache_.get(x.shape, [&] { return make_plan(x.shape); });
        TfjsTensor y;
        y.shape = plan->out_shape;
        y.floats = scratch.floats(y.elements());
        if (!y.floats.empty()) execute(*plan, x.floats.data(), y.floats.data(), scratch);
        return y;
    }

private:
    // On nn/max_pool, which takes a third of oneDNN's time for the expression model's pools.
    TfjsTensor max_pool(const TfjsTensor& x, Scratch& scratch) const {
        const auto eh = extent(node_, window_, 0, x.shape[1], kernel_[0]);
        const auto ew = extent(node_, window_, 1, x.shape[2], kernel_[1]);
        TfjsTensor y;
        y.shape = {x.shape[0], eh.out, ew.out, x.shape[3]};
        checked_elements(node_, y.shape);
        y.floats = scratch.floats(y.elements());
        const MaxPoolShape shape{x.shape[0], x.shape[1], x.shape[2],         x.shape[3],         eh.out,    ew.out,
                                 kernel_[0], kernel_[1], window_.strides[0], window_.strides[1], eh.before, ew.before};
        max_pool_nhwc(x.floats.data(), shape, y.floats.data());
        return y;
    }

    Plan make_plan(const std::vector<std::int64_t>& in) const {
        const auto eh = extent(node_, window_, 0, in[1], kernel_[0]);
        const auto ew = extent(node_, window_, 1, in[2], kernel_[1]);
        Plan plan;
        plan.out_shape = {in[0], eh.out, ew.out, in[3]};
        checked_elements(node_, plan.out_shape);
        plan.src = nhwc(in[0], in[3], in[1], in[2]);
        plan.dst = nhwc(in[0], in[3], eh.out, ew.out);
        dnnl::primitive_attr attr;
        attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
        const dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_inference,
                                               dnnl::algorithm::pooling_avg_exclude_padding, plan.src, plan.dst,
                                               {window_.strides[0], window_.strides[1]}, {kernel_[0], kernel_[1]},
                                               {eh.before, ew.before}, {eh.after, ew.after});
        dnnl::pooling_forward::primitive_desc pd;
        try {
            pd = dnnl::pooling_forward::primitive_desc(desc, attr, cpu_engine());
        } catch (const dnnl::error& e) {
            fail(node_, std::string("oneDNN refuses this pooling: ") + e.what());
        }
        plan.primitive = dnnl::pooling_forward(pd);
        plan.scratch = pd.scratchpad_desc();
        return plan;
    }

    TfjsNode node_;
    bool max_;
    Window window_;
    std::array<std::int64_t, 2> kernel_{1, 1};
    PlanCache cache_;
};

bool is_depthwise(const std::string& op) { return op == "DepthwiseConv2dNative" || op == "FusedDepthwiseConv2dNative"; }

// MatMul and _FusedMatMul on two matrices.
class MatMulOp : public Op {
public:
    explicit MatMulOp(const OpSpec& spec) : node_(spec.node) {
        transpose_a_ = node_.attr_bool("transpose_a", false);
        transpose_b_ = node_.attr_bool("transpose_b", false);
        if (node_.op == "_FusedMatMul") fused_ = parse_fused(node_);
        const std::size_t want = 2 + (fused_.bias ? 1 : 0) + (fused_.act == Act::prelu ? 1 : 0);
        if (node_.inputs.size() != want) fail(node_, "expects " + std::to_string(want) + " inputs");
    }

    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& /*scratch*/) const override {
        const auto& a = float_input(node_, inputs, 0);
        const auto& b = float_input(node_, inputs, 1);
        if (a.shape.size() != 2 || b.shape.size() != 2)
            fail(node_, "MatMul needs matrices, got " + shape_text(a.shape) + " and " + shape_text(b.shape));
        const std::int64_t m = transpose_a_ ? a.shape[1] : a.shape[0];
        const std::int64_t k = transpose_a_ ? a.shape[0] : a.shape[1];
        const std::int64_t kb = transpose_b_ ? b.shape[1] : b.shape[0];
        const std::int64_t n = transpose_b_ ? b.shape[0] : b.shape[1];
        if (k != kb) fail(node_, "inner dimensions disagree: " + shape_text(a.shape) + " x " + shape_text(b.shape));
        TfjsTensor y;
        y.shape = {m, n};
        checked_elements(node_, y.shape);
        y.floats.assign(static_cast<std::size_t>(m * n), 0.0f);
        if (m > 0 && n > 0 && k > 0)
            dnnl_sgemm(transpose_a_ ? 'T' : 'N', transpose_b_ ? 'T' : 'N', m, n, k, 1.0f, a.floats.data(), a.shape[1],
                       b.floats.data(), b.shape[1], 0.0f, y.floats.data(), n);
        if (fused_.bias) {
            const auto& bias = float_input(node_, inputs, 2);
            if (bias.floats.size() != static_cast<std::size_t>(n))
                fail(node_, "bias " + shape_text(bias.shape) + " does not match " + std::to_string(n) + " columns");
            for (std::int64_t r = 0; r < m; ++r)
                for (std::int64_t c = 0; c < n; ++c) y.floats[r * n + c] += bias.floats[c];
        }
        std::vector<float> alphas;
        if (fused_.act == Act::prelu) alphas = prelu_alphas(node_, inputs, 3, static_cast<std::size_t>(n));
        apply_act(fused_, y.floats.data(), y.floats.size(), static_cast<std::size_t>(std::max<std::int64_t>(n, 1)),
                  alphas);
        return y;
    }

private:
    TfjsNode node_;
    bool transpose_a_ = false, transpose_b_ = false;
    Fused fused_;
};

bool is_conv(const std::string& op) { return op == "Conv2D" || op == "_FusedConv2D" || is_depthwise(op); }

}  // namespace

std::unique_ptr<Op> make_conv_sum_op(const OpSpec& conv, const OpSpec& add, std::size_t conv_at,
                                     const TfjsNode* activation) {
    if (!is_conv(conv.node.op) || (add.node.op != "Add" && add.node.op != "AddV2") || add.node.inputs.size() != 2 ||
        conv_at > 1)
        return nullptr;
    Act act = Act::none;
    if (activation) {
        if (activation->op == "Relu")
            act = Act::relu;
        else if (activation->op == "Relu6")
            act = Act::relu6;
        else
            return nullptr;
    }
    const bool depthwise = is_depthwise(conv.node.op);
    const bool fused = conv.node.op == "_FusedConv2D" || conv.node.op == "FusedDepthwiseConv2dNative";
    if (fused && parse_fused(conv.node).act != Act::none) return nullptr;  // its activation comes before the add
    auto add_op = activation ? make_fused_op(add, *activation) : make_basic_op(add);
    if (!add_op) return nullptr;
    return std::make_unique<ConvSumOp>(conv, depthwise, act, add.node, std::move(add_op), conv_at);
}

std::unique_ptr<Op> make_conv_op(const OpSpec& spec) {
    const auto& op = spec.node.op;
    if (op == "Conv2D" || op == "_FusedConv2D") return std::make_unique<ConvOp>(spec, false);
    if (op == "DepthwiseConv2dNative" || op == "FusedDepthwiseConv2dNative")
        return std::make_unique<ConvOp>(spec, true);
    if (op == "MaxPool") return std::make_unique<PoolOp>(spec, true);
    if (op == "AvgPool") return std::make_unique<PoolOp>(spec, false);
    if (op == "MatMul" || op == "_FusedMatMul") return std::make_unique<MatMulOp>(spec);
    return nullptr;
}

}  // namespace emo::nn::tfjs
