#include "nn/tfjs_executor.hpp"

#include "nn/tfjs_ops.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <utility>

namespace emo::nn {

std::size_t TfjsTensor::elements() const {
    std::size_t n = 1;
    for (auto d : shape) n *= static_cast<std::size_t>(d);
    return n;
}

namespace {

void check_fill(const std::vector<std::int64_t>& shape, std::size_t values) {
    std::size_t n = 1;
    for (auto d : shape) {
        if (d < 0) throw Error("tensor shape " + shape_text(shape) + " has a negative dimension");
        n *= static_cast<std::size_t>(d);
    }
    if (n != values)
        throw Error("tensor shape " + shape_text(shape) + " needs " + std::to_string(n) + " values, got " +
                    std::to_string(values));
}

}  // namespace

TfjsTensor TfjsTensor::of_floats(std::vector<std::int64_t> shape, std::vector<float> values) {
    check_fill(shape, values.size());
    TfjsTensor t;
    t.shape = std::move(shape);
    t.floats = std::move(values);
    return t;
}

TfjsTensor TfjsTensor::of_ints(std::vector<std::int64_t> shape, std::vector<std::int32_t> values) {
    check_fill(shape, values.size());
    TfjsTensor t;
    t.dtype = TfjsDtype::int32;
    t.shape = std::move(shape);
    t.ints = std::move(values);
    return t;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

namespace tfjs {

void fail(const TfjsNode& node, const std::string& message) { throw Error(node.origin + ": " + message); }

std::size_t checked_elements(const TfjsNode& node, const std::vector<std::int64_t>& shape) {
    constexpr std::int64_t most = std::int64_t{1} << 31;
    std::int64_t n = 1;
    for (auto d : shape) {
        if (d < 0) fail(node, "negative dimension in " + shape_text(shape));
        if (d > 0 && n > most / d) fail(node, "output " + shape_text(shape) + " is too large");
        n *= d;
    }
    if (n > most) fail(node, "output " + shape_text(shape) + " is too large");
    return static_cast<std::size_t>(n);
}

void expect_inputs(const TfjsNode& node, const std::vector<const TfjsTensor*>& inputs, std::size_t count) {
    if (inputs.size() != count)
        fail(node, "expects " + std::to_string(count) + " inputs, has " + std::to_string(inputs.size()));
}

const TfjsTensor& float_input(const TfjsNode& node, const std::vector<const TfjsTensor*>& inputs, std::size_t index) {
    if (index >= inputs.size()) fail(node, "missing input " + std::to_string(index));
    if (inputs[index]->dtype != TfjsDtype::float32)
        fail(node, "input " + std::to_string(index) + " must be float32, is int32");
    return *inputs[index];
}

std::vector<std::int64_t> int_values(const TfjsNode& node, const TfjsTensor& t, const std::string& what) {
    if (t.dtype != TfjsDtype::int32) fail(node, what + " must be int32");
    if (t.shape.size() > 2) fail(node, what + " must be a scalar, a vector or a matrix");
    return {t.ints.begin(), t.ints.end()};
}

std::int64_t normalise_axis(const TfjsNode& node, std::int64_t axis, std::int64_t rank) {
    if (axis < -rank || axis >= rank)
        fail(node, "axis " + std::to_string(axis) + " out of range for rank " + std::to_string(rank));
    return axis < 0 ? axis + rank : axis;
}

void* Scratch::bytes(std::size_t n) {
    if (n > size_) {
        // Whole pages past the request, so that slightly larger requests later do not reallocate.
        const std::size_t size = (n + 4095) / 4096 * 4096 + 4096;
        data_.reset(new std::byte[size + 64]);  // not value-initialised: oneDNN writes before it reads
        size_ = size;
    }
    void* p = data_.get();
    std::size_t space = size_ + 64;
    return std::align(64, n, p, space);
}

std::vector<float> Scratch::floats(std::size_t n) {
    // The smallest free buffer that holds n values, else the largest (to be grown).
    std::size_t best = free_.size();
    for (std::size_t i = 0; i < free_.size(); ++i) {
        if (best == free_.size()) {
            best = i;
            continue;
        }
        const std::size_t c = free_[i].capacity(), b = free_[best].capacity();
        const bool better = b >= n ? (c >= n && c < b) : c > b;
        if (better) best = i;
    }
    std::vector<float> v;
    if (best < free_.size()) {
        v = std::move(free_[best]);
        free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(best));
        if (v.capacity() < n) v.clear();  // grown below: nothing to copy over
    }
    v.resize(n);
    return v;
}

void Scratch::recycle(std::vector<float>&& buffer) {
    if (buffer.capacity() < 1024) return;  // small ones are cheap to allocate
    // A bounded pool: ops that allocate their own outputs (Pad, Reshape, ...) hand in more buffers than they take.
    constexpr std::size_t most = 32;
    if (free_.size() < most) {
        free_.push_back(std::move(buffer));
        return;
    }
    auto smallest = std::min_element(free_.begin(), free_.end(),
                                     [](const auto& a, const auto& b) { return a.capacity() < b.capacity(); });
    if (smallest->capacity() < buffer.capacity()) *smallest = std::move(buffer);
}

std::unique_ptr<Op> make_op(const OpSpec& spec) {
    if (auto op = make_conv_op(spec)) return op;
    if (auto op = make_basic_op(spec)) return op;
    if (auto op = make_shape_op(spec)) return op;
    fail(spec.node, "op '" + spec.node.op + "' is not supported by the TF.js executor");
}

}  // namespace tfjs

struct TfjsGraph::Impl {
    struct Step {
        TfjsNode node;
        std::vector<std::size_t> inputs;  // node indices (all output 0)
        std::unique_ptr<tfjs::Op> op;     // null for Placeholder and Const
        bool placeholder = false;
        TfjsTensor constant;  // Const
        bool is_const = false;
    };
    std::string path;
    std::vector<Step> steps;  // topological order
    std::map<std::string, std::size_t> index;
    std::map<std::string, std::string> aliases;  // signature key -> tensor name
    std::vector<std::string> input_names, output_names;

    // Once the steps and output names are in place: pairs and triples of ops that run as one.
    void fuse();

    // Whether every op treats the samples of a batch (axis 0) apart (samples_apart()): then a batch runs one sample at
    // a time, each sample's activations staying in the cache (the expression model at batch 32 ran at 60% of its
    // rate at batch 1, its activations 14 MB; issue 15's bar (b)), and the outputs are the same.
    bool per_sample = false;
    bool samples_apart() const;

    // The step that computes `name` ("node", "node:0", or a signature key); emo::Error otherwise.
    std::size_t resolve(const std::string& name) const {
        std::string tensor = name;
        if (auto a = aliases.find(name); a != aliases.end()) tensor = a->second;
        if (auto it = index.find(tensor); it != index.end()) return it->second;
        const auto colon = tensor.rfind(':');
        if (colon != std::string::npos && colon + 1 < tensor.size() &&
            std::all_of(tensor.begin() + static_cast<std::ptrdiff_t>(colon) + 1, tensor.end(),
                        [](unsigned char c) { return std::isdigit(c); })) {
            if (auto it = index.find(tensor.substr(0, colon)); it != index.end()) {
                if (tensor.substr(colon + 1) != "0")
                    throw Error(path + ": tensor '" + name + "': the executor's ops have one output each");
                return it->second;
            }
        }
        throw Error(path + ": no node or signature tensor named '" + name + "'");
    }
};

// Ops that run as one where nothing else reads the intermediate values (and no output names them): a convolution,
// the Add that alone reads it and the Relu or Relu6 that alone reads the sum, as BlazeFace's 31 residual blocks end
// (tfjs::make_conv_sum_op); else a binary op and such an activation (tfjs::make_fused_op). The fused op takes the
// place of the last one and reads the first ones' inputs; those keep their steps, which then run only when asked for
// by name.
void TfjsGraph::Impl::fuse() {
    auto& g = *this;
    const std::size_t n = g.steps.size();
    std::set<std::string> exposed;
    for (const auto& name : g.output_names)
        exposed.insert(name.ends_with(":0") ? name.substr(0, name.size() - 2) : name);
    std::vector<std::size_t> readers(n), reader(n);  // reader: the last one, the only one where readers is 1
    const auto count_readers = [&] {
        std::fill(readers.begin(), readers.end(), 0);
        for (std::size_t k = 0; k < n; ++k)
            for (auto in : g.steps[k].inputs) ++readers[in], reader[in] = k;
    };
    const auto alone = [&](std::size_t k) {
        return g.steps[k].op && readers[k] == 1 && !exposed.contains(g.steps[k].node.name);
    };
    const auto spec_of = [&](const Step& step) {
        tfjs::OpSpec spec{step.node, {}};
        for (auto in : step.inputs) spec.constants.push_back(g.steps[in].is_const ? &g.steps[in].constant : nullptr);
        return spec;
    };
    const auto is_clamp = [](const Step& s) { return s.node.op == "Relu" || s.node.op == "Relu6"; };

    count_readers();
    for (std::size_t k = 0; k < n; ++k) {
        const Step& add = g.steps[k];
        if (!add.op || add.inputs.size() != 2 || add.inputs[0] == add.inputs[1]) continue;
        const bool then_clamp = alone(k) && is_clamp(g.steps[reader[k]]);
        const std::size_t last = then_clamp ? reader[k] : k;
        for (std::size_t at = 0; at < 2; ++at) {
            const std::size_t conv = add.inputs[at];
            if (!alone(conv)) continue;
            auto op = tfjs::make_conv_sum_op(spec_of(g.steps[conv]), spec_of(add), at,
                                             then_clamp ? &g.steps[last].node : nullptr);
            if (!op) continue;
            auto inputs = g.steps[conv].inputs;
            inputs.push_back(add.inputs[1 - at]);
            g.steps[last].op = std::move(op);
            g.steps[last].inputs = std::move(inputs);
            break;
        }
    }

    count_readers();
    for (auto& step : g.steps) {
        if (!step.op || step.inputs.size() != 1 || !alone(step.inputs[0])) continue;
        const Step& first = g.steps[step.inputs[0]];
        if (auto op = tfjs::make_fused_op(spec_of(first), step.node)) {
            step.op = std::move(op);
            step.inputs = first.inputs;
        }
    }
}

// Ranks follow from the Placeholders' declared shapes; an op outside the list, a constant operand that could vary
// along axis 0, a reduction over axis 0 or a Softmax over it (rank 1) make the answer no.
bool TfjsGraph::Impl::samples_apart() const {
    static const std::set<std::string> unary = {"Relu", "Relu6", "Sigmoid", "Tanh", "Elu", "Identity"};
    static const std::set<std::string> spatial = {
        "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative", "MaxPool", "AvgPool"};
    static const std::set<std::string> binary = {"Add", "AddV2", "Mul", "Sub"};
    std::vector<std::int64_t> rank(steps.size(), -1);  // of computed values; -1 for constants
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const Step& step = steps[k];
        const auto& op = step.node.op;
        if (step.is_const) continue;
        if (step.placeholder) {
            const auto* shape = step.node.find_attr("shape");
            if (!shape || shape->kind != TfjsAttr::Kind::shape || shape->shape.unknown_rank ||
                shape->shape.dims.size() < 2 || shape->shape.dims[0] >= 0)
                return false;  // a batch of one must be a shape the graph takes
            rank[k] = static_cast<std::int64_t>(shape->shape.dims.size());
            continue;
        }
        if (step.inputs.empty() || steps[step.inputs[0]].is_const) return false;
        const std::int64_t in = rank[step.inputs[0]];
        if (unary.contains(op) || spatial.contains(op)) {
            if (spatial.contains(op) && in != 4) return false;
            rank[k] = in;
        } else if (binary.contains(op)) {
            if (step.inputs.size() != 2) return false;
            std::int64_t r = 0;
            for (auto i : step.inputs) {
                const Step& operand = steps[i];
                // A constant broadcasts along axis 0 only as a scalar, a vector or with a first dimension of 1.
                if (operand.is_const && operand.constant.shape.size() > 1 && operand.constant.shape[0] != 1)
                    return false;
                r = std::max(r, operand.is_const ? static_cast<std::int64_t>(operand.constant.shape.size()) : rank[i]);
            }
            rank[k] = r;
        } else if (op == "Mean") {
            if (step.inputs.size() != 2 || !steps[step.inputs[1]].is_const) return false;
            const auto& axes = steps[step.inputs[1]].constant;
            if (axes.dtype != TfjsDtype::int32) return false;
            for (auto a : axes.ints)
                if (a <= 0 || a >= in) return false;  // axis 0, or one counted from the end
            rank[k] = step.node.attr_bool("keep_dims", false) ? in : in - static_cast<std::int64_t>(axes.ints.size());
        } else if (op == "Softmax") {
            if (in < 2) return false;
            rank[k] = in;
        } else {
            return false;
        }
        if (rank[k] < 1) return false;
    }
    return true;
}

TfjsGraph::TfjsGraph(const TfjsModel& model) {
    auto impl = std::make_shared<Impl>();
    impl->path = model.path;
    const std::size_t n = model.nodes.size();
    std::map<std::string, std::size_t> file_index;
    for (std::size_t i = 0; i < n; ++i) file_index.emplace(model.nodes[i].name, i);

    // Kahn's algorithm over data and control inputs (ready nodes taken from a stack: any valid order does).
    std::vector<std::vector<std::size_t>> consumers(n);
    std::vector<std::size_t> pending(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& node = model.nodes[i];
        auto depend = [&](const std::string& name) {
            auto it = file_index.find(name);
            if (it == file_index.end()) throw Error(node.origin + ": input '" + name + "' names no node");
            consumers[it->second].push_back(i);
            ++pending[i];
        };
        for (const auto& in : node.inputs) {
            if (in.output != 0)
                throw Error(node.origin + ": reads output " + std::to_string(in.output) + " of '" + in.node +
                            "'; the executor's ops have one output each");
            depend(in.node);
        }
        for (const auto& c : node.control_inputs) depend(c);
    }
    std::vector<std::size_t> order, ready;
    for (std::size_t i = n; i-- > 0;)
        if (pending[i] == 0) ready.push_back(i);
    while (!ready.empty()) {
        const std::size_t i = ready.back();
        ready.pop_back();
        order.push_back(i);
        for (auto c : consumers[i])
            if (--pending[c] == 0) ready.push_back(c);
    }
    if (order.size() != n) {
        for (std::size_t i = 0; i < n; ++i)
            if (pending[i]) throw Error(model.nodes[i].origin + ": is part of a cycle");
    }

    std::vector<std::size_t> position(n);
    for (std::size_t k = 0; k < n; ++k) position[order[k]] = k;
    impl->steps.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& node = model.nodes[order[k]];
        auto& step = impl->steps[k];
        step.node = node;
        for (const auto& in : node.inputs) step.inputs.push_back(position[file_index.at(in.node)]);
        impl->index.emplace(node.name, k);
        if (node.op == "Placeholder") {
            step.placeholder = true;
        } else if (node.op == "Const") {
            const auto& w = model.weight(node.name);
            step.constant.dtype = w.dtype;
            step.constant.shape = w.shape;
            step.constant.floats = w.floats;
            step.constant.ints = w.ints;
            step.is_const = true;
        } else {
            tfjs::OpSpec spec{node, {}};
            for (auto in : step.inputs)
                spec.constants.push_back(impl->steps[in].is_const ? &impl->steps[in].constant : nullptr);
            step.op = tfjs::make_op(spec);
        }
    }

    for (const auto& info : model.inputs) {
        impl->aliases.emplace(info.key, info.name);
        impl->input_names.push_back(info.name);
    }
    for (const auto& info : model.outputs) {
        impl->aliases.emplace(info.key, info.name);
        impl->output_names.push_back(info.name);
    }
    if (model.inputs.empty())
        for (const auto& node : model.nodes)
            if (node.op == "Placeholder") impl->input_names.push_back(node.name);
    if (model.outputs.empty())
        for (std::size_t i = 0; i < n; ++i)
            if (consumers[i].empty() && model.nodes[i].op != "Const" && model.nodes[i].op != "Placeholder")
                impl->output_names.push_back(model.nodes[i].name);

    impl->per_sample = impl->samples_apart();  // on the graph as written: fusing rewires the steps' inputs
    impl->fuse();
    impl_ = std::move(impl);
}

namespace {

// The Placeholder's declared shape against the fed tensor: rank and every known dimension.
void check_placeholder(const TfjsNode& node, const TfjsTensor& t) {
    if (t.elements() != (t.dtype == TfjsDtype::float32 ? t.floats.size() : t.ints.size()))
        throw Error(node.origin + ": fed tensor of shape " + shape_text(t.shape) + " holds the wrong number of values");
    std::string want_type;
    if (const auto* type = node.find_attr("dtype"); type && type->kind == TfjsAttr::Kind::type) want_type = type->text;
    const bool want_int = want_type == "DT_INT32";
    if (!want_type.empty() && want_int != (t.dtype == TfjsDtype::int32))
        throw Error(node.origin + ": fed a tensor of the wrong type (the graph wants " + want_type + ")");
    const auto* attr = node.find_attr("shape");
    if (!attr || attr->kind != TfjsAttr::Kind::shape || attr->shape.unknown_rank) return;
    const auto& want = attr->shape.dims;
    bool ok = want.size() == t.shape.size();
    for (std::size_t k = 0; ok && k < want.size(); ++k) ok = want[k] < 0 || want[k] == t.shape[k];
    if (!ok) throw Error(node.origin + ": fed shape " + shape_text(t.shape) + ", the graph wants " + shape_text(want));
}

}  // namespace

TfjsRunContext::TfjsRunContext() : scratch_(std::make_unique<tfjs::Scratch>()) {}
TfjsRunContext::~TfjsRunContext() = default;
TfjsRunContext::TfjsRunContext(TfjsRunContext&&) noexcept = default;
TfjsRunContext& TfjsRunContext::operator=(TfjsRunContext&&) noexcept = default;

std::vector<TfjsTensor> TfjsGraph::run(const std::map<std::string, TfjsTensor>& inputs,
                                       const std::vector<std::string>& outputs) const {
    TfjsRunContext context;
    return run(inputs, outputs, context);
}

namespace {

// Sample `s` of x (axis 0), as a batch of one.
TfjsTensor sample_of(const TfjsTensor& x, std::int64_t s) {
    TfjsTensor one;
    one.shape = x.shape;
    one.shape[0] = 1;
    const auto per = one.elements();
    const auto from = x.floats.begin() + static_cast<std::ptrdiff_t>(per * static_cast<std::size_t>(s));
    one.floats.assign(from, from + static_cast<std::ptrdiff_t>(per));
    return one;
}

}  // namespace

std::vector<TfjsTensor> TfjsGraph::run(const std::map<std::string, TfjsTensor>& inputs,
                                       const std::vector<std::string>& outputs, TfjsRunContext& context) const {
    const auto& g = *impl_;
    if (g.per_sample && inputs.size() == 1) {
        const auto& [name, x] = *inputs.begin();
        if (x.dtype == TfjsDtype::float32 && x.shape.size() >= 2 && x.shape[0] > 1 && x.elements() == x.floats.size()) {
            // One sample at a time (Impl::per_sample says why), the outputs stacked along axis 0 again.
            // An output that is not a batch of one (a constant asked for by name) sends the batch the usual way.
            auto stacked = run({{name, sample_of(x, 0)}}, outputs, context);
            const bool batches = std::all_of(stacked.begin(), stacked.end(), [](const TfjsTensor& t) {
                return t.dtype == TfjsDtype::float32 && !t.shape.empty() && t.shape[0] == 1;
            });
            if (batches) {
                for (auto& t : stacked) {
                    t.shape[0] = x.shape[0];
                    t.floats.reserve(t.elements());
                }
                for (std::int64_t s = 1; s < x.shape[0]; ++s) {
                    const auto part = run({{name, sample_of(x, s)}}, outputs, context);
                    for (std::size_t i = 0; i < stacked.size(); ++i)
                        stacked[i].floats.insert(stacked[i].floats.end(), part[i].floats.begin(), part[i].floats.end());
                }
                return stacked;
            }
        }
    }
    const std::size_t n = g.steps.size();
    std::vector<const TfjsTensor*> value(n, nullptr);
    for (const auto& [name, tensor] : inputs) {
        const auto k = g.resolve(name);
        const auto& step = g.steps[k];
        if (!step.placeholder) throw Error(step.node.origin + ": fed as input '" + name + "' but is not a Placeholder");
        check_placeholder(step.node, tensor);
        value[k] = &tensor;
    }
    std::vector<std::size_t> wanted;
    for (const auto& name : outputs) wanted.push_back(g.resolve(name));

    // The steps the outputs need, and how many of those read each step (to free a value after its last reader).
    std::vector<bool> needed(n, false);
    std::vector<std::size_t> stack(wanted.begin(), wanted.end());
    while (!stack.empty()) {
        const auto k = stack.back();
        stack.pop_back();
        if (needed[k]) continue;
        needed[k] = true;
        for (auto in : g.steps[k].inputs) stack.push_back(in);
    }
    std::vector<std::size_t> readers(n, 0);
    for (std::size_t k = 0; k < n; ++k)
        if (needed[k])
            for (auto in : g.steps[k].inputs) ++readers[in];
    std::vector<bool> kept(n, false);
    for (auto k : wanted) kept[k] = true;

    std::vector<TfjsTensor> owned(n);
    std::vector<const TfjsTensor*> args;
    auto& scratch = *context.scratch_;
    for (std::size_t k = 0; k < n; ++k) {
        if (!needed[k]) continue;
        const auto& step = g.steps[k];
        if (step.placeholder) {
            if (!value[k]) throw Error(step.node.origin + ": this input is needed and was not fed");
            continue;
        }
        if (step.is_const) {
            value[k] = &step.constant;
            continue;
        }
        args.clear();
        for (auto in : step.inputs) args.push_back(value[in]);
        // The op may write over an input that it is the last to read and that this call made.
        TfjsTensor reused;
        const auto reusable = step.op->reusable_input();
        if (reusable && *reusable < step.inputs.size()) {
            const auto in = step.inputs[*reusable];
            if (value[in] == &owned[in] && readers[in] == 1 && !kept[in]) {
                reused = std::move(owned[in]);
                args[*reusable] = &reused;
            }
        }
        owned[k] = reused.floats.empty() ? step.op->run(args, scratch) : step.op->run_reusing(args, reused, scratch);
        scratch.recycle(std::move(reused.floats));  // when the op did not take it
        value[k] = &owned[k];
        for (auto in : step.inputs)
            if (--readers[in] == 0 && !kept[in]) {
                scratch.recycle(std::move(owned[in].floats));
                owned[in] = TfjsTensor{};
            }
    }
    std::vector<TfjsTensor> result;
    result.reserve(wanted.size());
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        const auto k = wanted[i];
        // The last request of a computed value takes it; others (inputs, constants, repeats) copy.
        const bool last =
            std::find(wanted.begin() + static_cast<std::ptrdiff_t>(i) + 1, wanted.end(), k) == wanted.end();
        if (last && value[k] == &owned[k])
            result.push_back(std::move(owned[k]));
        else
            result.push_back(*value[k]);
    }
    for (auto& t : owned) scratch.recycle(std::move(t.floats));
    return result;
}

const std::vector<std::string>& TfjsGraph::input_names() const { return impl_->input_names; }
const std::vector<std::string>& TfjsGraph::output_names() const { return impl_->output_names; }
const std::string& TfjsGraph::path() const { return impl_->path; }

}  // namespace emo::nn
