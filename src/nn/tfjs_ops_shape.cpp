// Ops that move values without computing on them: Reshape, Squeeze, ExpandDims, Pad, ConcatV2, Pack, Shape and
// StridedSlice. float32 and int32 values are both 4 bytes, so these copy 4-byte words whatever the type.
#include "nn/tfjs_ops.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace emo::nn::tfjs {

namespace {

using Word = std::uint32_t;
static_assert(sizeof(float) == sizeof(Word) && sizeof(std::int32_t) == sizeof(Word));

const Word* words(const TfjsTensor& t) {
    return t.dtype == TfjsDtype::float32 ? reinterpret_cast<const Word*>(t.floats.data())
                                         : reinterpret_cast<const Word*>(t.ints.data());
}

// A tensor of `dtype` and `shape` with room for its values (zero), and its words; float buffers come from `scratch`.
Word* allocate(const TfjsNode& node, TfjsTensor& t, TfjsDtype dtype, std::vector<std::int64_t> shape,
               Scratch& scratch) {
    const std::size_t n = checked_elements(node, shape);
    t.dtype = dtype;
    t.shape = std::move(shape);
    if (dtype == TfjsDtype::float32) {
        t.floats = scratch.floats(n);
        std::fill(t.floats.begin(), t.floats.end(), 0.0f);
        return reinterpret_cast<Word*>(t.floats.data());
    }
    t.ints.assign(n, 0);
    return reinterpret_cast<Word*>(t.ints.data());
}

std::size_t product(const std::vector<std::int64_t>& shape, std::size_t from, std::size_t to) {
    std::size_t n = 1;
    for (std::size_t i = from; i < to; ++i) n *= static_cast<std::size_t>(shape[i]);
    return n;
}

std::vector<std::int64_t> strides_of(const std::vector<std::int64_t>& shape) {
    std::vector<std::int64_t> s(shape.size(), 1);
    for (std::size_t k = shape.size(); k-- > 1;) s[k - 1] = s[k] * shape[k];
    return s;
}

TfjsTensor with_shape(const TfjsTensor& x, std::vector<std::int64_t> shape) {
    TfjsTensor y = x;
    y.shape = std::move(shape);
    return y;
}

class ReshapeOp : public Op {
public:
    explicit ReshapeOp(const OpSpec& spec) : node_(spec.node) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& /*scratch*/) const override {
        expect_inputs(node_, inputs, 2);
        const auto& x = *inputs[0];
        auto shape = int_values(node_, *inputs[1], "shape");
        std::size_t known = 1;
        int unknown = -1;
        for (std::size_t i = 0; i < shape.size(); ++i) {
            if (shape[i] == -1 && unknown < 0) {
                unknown = static_cast<int>(i);
            } else if (shape[i] < 0) {
                fail(node_, "invalid target shape " + shape_text(shape));
            } else {
                known *= static_cast<std::size_t>(shape[i]);
                if (known > (std::size_t{1} << 31)) fail(node_, "target shape " + shape_text(shape) + " is too large");
            }
        }
        const std::size_t n = x.elements();
        if (unknown >= 0) {
            if (known == 0 || n % known != 0)
                fail(node_, "cannot reshape " + shape_text(x.shape) + " to " + shape_text(shape));
            shape[static_cast<std::size_t>(unknown)] = static_cast<std::int64_t>(n / known);
        } else if (known != n) {
            fail(node_, "cannot reshape " + shape_text(x.shape) + " (" + std::to_string(n) + " values) to " +
                            shape_text(shape));
        }
        return with_shape(x, shape);
    }

private:
    TfjsNode node_;
};

class SqueezeOp : public Op {
public:
    explicit SqueezeOp(const OpSpec& spec) : node_(spec.node), axes_(spec.node.attr_ints("squeeze_dims", {})) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& /*scratch*/) const override {
        expect_inputs(node_, inputs, 1);
        const auto& x = *inputs[0];
        const auto rank = static_cast<std::int64_t>(x.shape.size());
        std::vector<bool> drop(x.shape.size(), false);
        if (axes_.empty()) {
            for (std::size_t k = 0; k < x.shape.size(); ++k) drop[k] = x.shape[k] == 1;
        } else {
            for (auto a : axes_) {
                const auto k = static_cast<std::size_t>(normalise_axis(node_, a, rank));
                if (x.shape[k] != 1)
                    fail(node_, "cannot squeeze dimension " + std::to_string(a) + " of " + shape_text(x.shape));
                drop[k] = true;
            }
        }
        std::vector<std::int64_t> shape;
        for (std::size_t k = 0; k < x.shape.size(); ++k)
            if (!drop[k]) shape.push_back(x.shape[k]);
        return with_shape(x, shape);
    }

private:
    TfjsNode node_;
    std::vector<std::int64_t> axes_;
};

class ExpandDimsOp : public Op {
public:
    explicit ExpandDimsOp(const OpSpec& spec) : node_(spec.node) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& /*scratch*/) const override {
        expect_inputs(node_, inputs, 2);
        const auto& x = *inputs[0];
        const auto axis_values = int_values(node_, *inputs[1], "axis");
        if (axis_values.size() != 1) fail(node_, "axis must be one value");
        const auto rank = static_cast<std::int64_t>(x.shape.size()) + 1;
        const auto axis = normalise_axis(node_, axis_values[0], rank);
        auto shape = x.shape;
        shape.insert(shape.begin() + axis, 1);
        return with_shape(x, shape);
    }

private:
    TfjsNode node_;
};

// Pad and PadV2 (constant padding; PadV2's third input is the constant).
class PadOp : public Op {
public:
    explicit PadOp(const OpSpec& spec) : node_(spec.node) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const override {
        if (inputs.size() != 2 && !(node_.op == "PadV2" && inputs.size() == 3))
            fail(node_, "expects 2 inputs (3 for PadV2)");
        const auto& x = *inputs[0];
        const auto pads = int_values(node_, *inputs[1], "paddings");
        const std::size_t rank = x.shape.size();
        if (pads.size() != 2 * rank)
            fail(node_, "paddings hold " + std::to_string(pads.size()) + " values, the input " + shape_text(x.shape) +
                            " needs " + std::to_string(2 * rank));
        std::vector<std::int64_t> shape(rank);
        for (std::size_t k = 0; k < rank; ++k) {
            if (pads[2 * k] < 0 || pads[2 * k + 1] < 0) fail(node_, "negative paddings are not supported");
            shape[k] = x.shape[k] + pads[2 * k] + pads[2 * k + 1];
        }
        TfjsTensor y;
        Word* out = allocate(node_, y, x.dtype, shape, scratch);
        if (inputs.size() == 3) {
            const auto& c = *inputs[2];
            if (c.dtype != x.dtype || c.elements() != 1)
                fail(node_, "the constant must be one value of the input's type");
            std::fill(out, out + y.elements(), words(c)[0]);
        }
        const std::size_t n = x.elements();
        if (n == 0) return y;
        if (rank == 0) {
            out[0] = words(x)[0];
            return y;
        }
        const auto out_strides = strides_of(shape);
        const auto inner = static_cast<std::size_t>(x.shape[rank - 1]);
        std::vector<std::int64_t> index(rank, 0);
        const Word* in = words(x);
        for (std::size_t start = 0; start < n; start += inner) {
            std::int64_t o = 0;
            for (std::size_t k = 0; k < rank; ++k) o += (index[k] + pads[2 * k]) * out_strides[k];
            std::memcpy(out + o, in + start, inner * sizeof(Word));
            for (std::size_t d = rank - 1; d-- > 0;) {
                if (++index[d] < x.shape[d]) break;
                index[d] = 0;
            }
        }
        return y;
    }

private:
    TfjsNode node_;
};

// ConcatV2: N tensors and, last, the axis.
class ConcatOp : public Op {
public:
    explicit ConcatOp(const OpSpec& spec) : node_(spec.node) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const override {
        if (inputs.size() < 2) fail(node_, "expects at least one tensor and an axis");
        const auto axis_values = int_values(node_, *inputs.back(), "axis");
        if (axis_values.size() != 1) fail(node_, "axis must be one value");
        const auto& first = *inputs[0];
        const std::size_t rank = first.shape.size();
        const auto axis =
            static_cast<std::size_t>(normalise_axis(node_, axis_values[0], static_cast<std::int64_t>(rank)));
        auto shape = first.shape;
        shape[axis] = 0;
        for (std::size_t i = 0; i + 1 < inputs.size(); ++i) {
            const auto& t = *inputs[i];
            bool fits = t.dtype == first.dtype && t.shape.size() == rank;
            for (std::size_t k = 0; fits && k < rank; ++k) fits = k == axis || t.shape[k] == first.shape[k];
            if (!fits)
                fail(node_, "cannot concatenate " + shape_text(first.shape) + " and " + shape_text(t.shape) +
                                " on axis " + std::to_string(axis));
            shape[axis] += t.shape[axis];
        }
        TfjsTensor y;
        Word* out = allocate(node_, y, first.dtype, shape, scratch);
        const std::size_t outer = product(shape, 0, axis);
        for (std::size_t o = 0; o < outer; ++o) {
            for (std::size_t i = 0; i + 1 < inputs.size(); ++i) {
                const auto& t = *inputs[i];
                const std::size_t chunk = product(t.shape, axis, rank);
                if (chunk) std::memcpy(out, words(t) + o * chunk, chunk * sizeof(Word));
                out += chunk;
            }
        }
        return y;
    }

private:
    TfjsNode node_;
};

// Pack: N tensors of one shape stacked along a new dimension `axis`.
class PackOp : public Op {
public:
    explicit PackOp(const OpSpec& spec) : node_(spec.node), axis_(spec.node.attr_int("axis", 0)) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const override {
        if (inputs.empty()) fail(node_, "expects at least one input");
        const auto& first = *inputs[0];
        for (const auto* t : inputs)
            if (t->dtype != first.dtype || t->shape != first.shape)
                fail(node_, "cannot stack " + shape_text(first.shape) + " and " + shape_text(t->shape));
        const auto rank = static_cast<std::int64_t>(first.shape.size()) + 1;
        const auto axis = static_cast<std::size_t>(normalise_axis(node_, axis_, rank));
        auto shape = first.shape;
        shape.insert(shape.begin() + static_cast<std::ptrdiff_t>(axis), static_cast<std::int64_t>(inputs.size()));
        TfjsTensor y;
        Word* out = allocate(node_, y, first.dtype, shape, scratch);
        const std::size_t outer = product(first.shape, 0, axis);
        const std::size_t chunk = product(first.shape, axis, first.shape.size());
        for (std::size_t o = 0; o < outer; ++o)
            for (const auto* t : inputs) {
                if (chunk) std::memcpy(out, words(*t) + o * chunk, chunk * sizeof(Word));
                out += chunk;
            }
        return y;
    }

private:
    TfjsNode node_;
    std::int64_t axis_;
};

class ShapeOp : public Op {
public:
    explicit ShapeOp(const OpSpec& spec) : node_(spec.node) {}
    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& /*scratch*/) const override {
        expect_inputs(node_, inputs, 1);
        std::vector<std::int32_t> dims;
        for (auto d : inputs[0]->shape) dims.push_back(static_cast<std::int32_t>(d));
        return TfjsTensor::of_ints({static_cast<std::int64_t>(dims.size())}, dims);
    }

private:
    TfjsNode node_;
};

// StridedSlice as TensorFlow defines it: begin / end / strides per listed dimension; bit i of begin_mask (end_mask)
// takes the widest begin (end) for entry i; ellipsis_mask marks the entry that stands for all dimensions not listed;
// new_axis_mask inserts a dimension of size 1; shrink_axis_mask takes the single index `begin` and drops the
// dimension. Without an ellipsis, dimensions past the listed ones are taken whole.
class StridedSliceOp : public Op {
public:
    explicit StridedSliceOp(const OpSpec& spec) : node_(spec.node) {
        begin_mask_ = node_.attr_int("begin_mask", 0);
        end_mask_ = node_.attr_int("end_mask", 0);
        ellipsis_mask_ = node_.attr_int("ellipsis_mask", 0);
        new_axis_mask_ = node_.attr_int("new_axis_mask", 0);
        shrink_mask_ = node_.attr_int("shrink_axis_mask", 0);
        if (ellipsis_mask_ & (ellipsis_mask_ - 1)) fail(node_, "more than one ellipsis in ellipsis_mask");
    }

    TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const override {
        if (inputs.size() != 3 && inputs.size() != 4) fail(node_, "expects 3 or 4 inputs");
        const auto& x = *inputs[0];
        const auto begin = int_values(node_, *inputs[1], "begin");
        const auto end = int_values(node_, *inputs[2], "end");
        std::vector<std::int64_t> strides(begin.size(), 1);
        if (inputs.size() == 4) strides = int_values(node_, *inputs[3], "strides");
        const std::size_t spec = begin.size();
        if (end.size() != spec || strides.size() != spec) fail(node_, "begin, end and strides differ in length");
        const auto bit = [](std::int64_t mask, std::size_t i) { return i < 63 && ((mask >> i) & 1) != 0; };

        // How many input dimensions the listed entries consume (new axes consume none, the ellipsis the rest).
        std::size_t consumed = 0;
        bool has_ellipsis = false;
        for (std::size_t i = 0; i < spec; ++i) {
            if (bit(ellipsis_mask_, i))
                has_ellipsis = true;
            else if (!bit(new_axis_mask_, i))
                ++consumed;
        }
        const std::size_t rank = x.shape.size();
        if (consumed > rank)
            fail(node_, "slices " + std::to_string(consumed) + " dimensions of " + shape_text(x.shape));

        struct Dim {
            std::int64_t begin, stride, size;
        };
        std::vector<Dim> dims;                // one per input dimension
        std::vector<std::int64_t> out_shape;  // with new axes, without shrunk dimensions
        auto whole = [&](std::size_t d) {
            dims.push_back({0, 1, x.shape[d]});
            out_shape.push_back(x.shape[d]);
        };
        for (std::size_t i = 0; i < spec; ++i) {
            if (bit(ellipsis_mask_, i)) {
                const std::size_t cover = rank - consumed;
                for (std::size_t k = 0; k < cover; ++k) whole(dims.size());
                continue;
            }
            if (bit(new_axis_mask_, i)) {
                out_shape.push_back(1);
                continue;
            }
            const std::size_t d = dims.size();
            const std::int64_t size = x.shape[d];
            const std::int64_t stride = strides[i];
            if (stride == 0) fail(node_, "stride 0 in entry " + std::to_string(i));
            if (bit(shrink_mask_, i)) {
                std::int64_t index = begin[i] < 0 ? begin[i] + size : begin[i];
                if (index < 0 || index >= size)
                    fail(node_, "index " + std::to_string(begin[i]) + " out of range for dimension " +
                                    std::to_string(d) + " of " + shape_text(x.shape));
                dims.push_back({index, 1, 1});
                continue;
            }
            // Clamped to [0, size] going forward, [-1, size - 1] going backward (-1 meaning before the start).
            const std::int64_t low = stride > 0 ? 0 : -1, high = stride > 0 ? size : size - 1;
            auto resolve = [&](std::int64_t v, bool masked, bool is_begin) {
                if (masked) return (stride > 0) == is_begin ? low : high;
                if (v < 0) v += size;
                return std::clamp(v, low, high);
            };
            const std::int64_t b = resolve(begin[i], bit(begin_mask_, i), true);
            const std::int64_t e = resolve(end[i], bit(end_mask_, i), false);
            std::int64_t n = stride > 0 ? (e - b + stride - 1) / stride : (b - e + (-stride) - 1) / (-stride);
            n = std::max<std::int64_t>(n, 0);
            dims.push_back({b, stride, n});
            out_shape.push_back(n);
        }
        if (!has_ellipsis)
            while (dims.size() < rank) whole(dims.size());

        TfjsTensor y;
        Word* out = allocate(node_, y, x.dtype, out_shape, scratch);
        const std::size_t n = y.elements();
        if (n == 0) return y;
        const auto in_strides = strides_of(x.shape);
        const Word* in = words(x);
        std::vector<std::int64_t> index(rank, 0);
        for (std::size_t o = 0; o < n; ++o) {
            std::int64_t offset = 0;
            for (std::size_t k = 0; k < rank; ++k)
                offset += (dims[k].begin + index[k] * dims[k].stride) * in_strides[k];
            out[o] = in[offset];
            for (std::size_t k = rank; k-- > 0;) {
                if (++index[k] < dims[k].size) break;
                index[k] = 0;
            }
        }
        return y;
    }

private:
    TfjsNode node_;
    std::int64_t begin_mask_ = 0, end_mask_ = 0, ellipsis_mask_ = 0, new_axis_mask_ = 0, shrink_mask_ = 0;
};

}  // namespace

std::unique_ptr<Op> make_shape_op(const OpSpec& spec) {
    const auto& op = spec.node.op;
    if (op == "Reshape") return std::make_unique<ReshapeOp>(spec);
    if (op == "Squeeze") return std::make_unique<SqueezeOp>(spec);
    if (op == "ExpandDims") return std::make_unique<ExpandDimsOp>(spec);
    if (op == "Pad" || op == "PadV2") return std::make_unique<PadOp>(spec);
    if (op == "ConcatV2") return std::make_unique<ConcatOp>(spec);
    if (op == "Pack") return std::make_unique<PackOp>(spec);
    if (op == "Shape") return std::make_unique<ShapeOp>(spec);
    if (op == "StridedSlice") return std::make_unique<StridedSliceOp>(spec);
    return nullptr;
}

}  // namespace emo::nn::tfjs
