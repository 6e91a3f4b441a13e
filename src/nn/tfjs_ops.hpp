// The ops of the TF.js executor (nn/tfjs_executor.hpp), private to it: each node becomes an Op prepared once from the
// node's attributes and constant inputs, then run on the tensors of one call.
#pragma once

#include "nn/tfjs_executor.hpp"
#include "nn/tfjs_model.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace emo::nn::tfjs {

// Scratch memory for one call of TfjsGraph::run, handed from op to op: grown to the largest request and never
// cleared, so that the big buffers of oneDNN's convolutions are allocated (and faulted in) once per call, not per op.
// It also recycles the value buffers of tensors that no later op reads: fresh large allocations cost a page fault
// per 4 KiB, which on some virtual machines costs more than the convolution that fills them.
class Scratch {
public:
    // At least n bytes, 64-byte aligned, contents undefined; valid until the next call.
    void* bytes(std::size_t n);
    // A float buffer of n values (contents unspecified), recycled where one is free.
    std::vector<float> floats(std::size_t n);
    // Gives a buffer back for later floats() calls.
    void recycle(std::vector<float>&& buffer);

private:
    std::unique_ptr<std::byte[]> data_;
    std::size_t size_ = 0;
    std::vector<std::vector<float>> free_;
};

class Op {
public:
    virtual ~Op() = default;
    // Computes the node's output 0 from its data inputs (in the node's order). Thread-safe: all per-call memory is
    // in `scratch`, which belongs to the calling thread.
    virtual TfjsTensor run(const std::vector<const TfjsTensor*>& inputs, Scratch& scratch) const = 0;
    // The input whose values the op can overwrite to make its output, saving a buffer and a pass over memory; none by
    // default. The executor hands it over (run_reusing) when it owns that input and nothing reads it afterwards.
    virtual std::optional<std::size_t> reusable_input() const { return std::nullopt; }
    // run(), where inputs[*reusable_input()] points to `reused`, which the op may overwrite and take the values of.
    virtual TfjsTensor run_reusing(const std::vector<const TfjsTensor*>& inputs, TfjsTensor& /*reused*/,
                                   Scratch& scratch) const {
        return run(inputs, scratch);
    }
};

// What an op may look at when it is prepared: the node, and the values of those of its inputs that are constants
// (nullptr for the others).
struct OpSpec {
    const TfjsNode& node;
    std::vector<const TfjsTensor*> constants;
};

// The prepared op for spec.node; emo::Error naming the node and its op when the op is unknown or its attributes
// cannot be honoured. (Placeholder and Const are the executor's own business and never reach here.)
std::unique_ptr<Op> make_op(const OpSpec& spec);

// One op for `first` followed by `second`, where second's only data input is first's output and nothing else reads
// that output; nullptr when the pair is not one that fuses (tfjs_ops_basic.cpp: a binary op, then Relu or Relu6).
// Errors name the node they concern, as the two ops would.
std::unique_ptr<Op> make_fused_op(const OpSpec& first, const TfjsNode& second);

// One op for the convolution `conv` whose output only the Add or AddV2 `add` reads (as its input `conv_at`), and,
// where given, the Relu or Relu6 `activation` that alone reads the sum: oneDNN adds the other input of `add` (the
// fused op's last input, after conv's) as the convolution writes its output, and clamps it there, instead of two
// more passes over memory (tfjs_ops_conv.cpp). nullptr when the pair is not one that fuses (a convolution with an
// activation of its own, another op).
std::unique_ptr<Op> make_conv_sum_op(const OpSpec& conv, const OpSpec& add, std::size_t conv_at,
                                     const TfjsNode* activation);

// The families, each in its own file; nullptr when the op is not theirs.
std::unique_ptr<Op> make_conv_op(const OpSpec& spec);   // tfjs_ops_conv.cpp: convolutions, pooling, MatMul
std::unique_ptr<Op> make_basic_op(const OpSpec& spec);  // tfjs_ops_basic.cpp: element-wise, reductions
std::unique_ptr<Op> make_shape_op(const OpSpec& spec);  // tfjs_ops_shape.cpp: Reshape, Pad, Concat, slices

// Helpers shared by the op files.
// The input count must be `count` (or in [count, most]); emo::Error naming the node otherwise.
void expect_inputs(const TfjsNode& node, const std::vector<const TfjsTensor*>& inputs, std::size_t count);
// The float tensor `t` (input `index`), or an emo::Error naming the node when it holds int32.
const TfjsTensor& float_input(const TfjsNode& node, const std::vector<const TfjsTensor*>& inputs, std::size_t index);
// The values of an int32 tensor as int64 (axes, shapes, paddings), or emo::Error naming the node and `what`.
std::vector<std::int64_t> int_values(const TfjsNode& node, const TfjsTensor& t, const std::string& what);
// An axis in [-rank, rank) made non-negative, or emo::Error naming the node.
std::int64_t normalise_axis(const TfjsNode& node, std::int64_t axis, std::int64_t rank);
// The number of values of a tensor of `shape` this node is about to make; emo::Error naming the node when a dimension
// is negative or the count passes 2^31 (a hostile model.json must not make the executor allocate without bound).
std::size_t checked_elements(const TfjsNode& node, const std::vector<std::int64_t>& shape);
// An emo::Error whose message starts with the node's origin.
[[noreturn]] void fail(const TfjsNode& node, const std::string& message);

}  // namespace emo::nn::tfjs
