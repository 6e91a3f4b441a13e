// The executor of TF.js graph models (issue 15): a TfjsModel (nn/tfjs_model.hpp) turned once into a topologically
// ordered list of ops, each checked and prepared when the graph is built (convolutions, depthwise convolutions and
// pooling as oneDNN primitives with their weights reordered once per input shape), then run on float32 NHWC tensors.
// A built graph is immutable and may be run from several threads at once; each call keeps its tensors to itself.
#pragma once

#include "nn/tfjs_model.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace emo::nn {

// A tensor of the executor: row-major values (NHWC for images), float32 or int32 (shapes and indices).
struct TfjsTensor {
    TfjsDtype dtype = TfjsDtype::float32;
    std::vector<std::int64_t> shape;
    std::vector<float> floats;       // dtype float32
    std::vector<std::int32_t> ints;  // dtype int32

    // The product of the dimensions (1 for a scalar).
    std::size_t elements() const;
    // A float32 tensor; emo::Error when the values do not fill the shape exactly.
    static TfjsTensor of_floats(std::vector<std::int64_t> shape, std::vector<float> values);
    // An int32 tensor; emo::Error when the values do not fill the shape exactly.
    static TfjsTensor of_ints(std::vector<std::int64_t> shape, std::vector<std::int32_t> values);
};

// "[1, 64, 64, 3]", for messages.
std::string shape_text(const std::vector<std::int64_t>& shape);

namespace tfjs {
class Scratch;
}

// Memory that TfjsGraph::run reuses from one call to the next (value buffers, oneDNN's scratch): a caller that runs
// many inputs keeps one per thread. A context must not be used by two calls at the same time.
class TfjsRunContext {
public:
    TfjsRunContext();
    ~TfjsRunContext();
    TfjsRunContext(TfjsRunContext&&) noexcept;
    TfjsRunContext& operator=(TfjsRunContext&&) noexcept;

private:
    friend class TfjsGraph;
    std::unique_ptr<tfjs::Scratch> scratch_;
};

class TfjsGraph {
public:
    // Prepares every node of `model` (which may be dropped afterwards). An op the executor does not implement, an
    // attribute it cannot honour, a cycle, or a weight of the wrong shape is an emo::Error naming the node.
    explicit TfjsGraph(const TfjsModel& model);

    // Feeds `inputs` and computes `outputs`, running only the nodes they need. Names are signature keys, tensor names
    // ("input:0", "Identity_1:0") or node names ("Identity"); every input fed must be a Placeholder and every
    // Placeholder needed must be fed. Shapes that disagree with the graph are an emo::Error naming the node.
    std::vector<TfjsTensor> run(const std::map<std::string, TfjsTensor>& inputs,
                                const std::vector<std::string>& outputs) const;
    // The same, reusing the memory of `context` (faster when called repeatedly: no fresh pages per call).
    std::vector<TfjsTensor> run(const std::map<std::string, TfjsTensor>& inputs,
                                const std::vector<std::string>& outputs, TfjsRunContext& context) const;

    // The signature's input and output tensor names, or (without a signature) the Placeholders and the nodes no
    // other node reads, in file order.
    const std::vector<std::string>& input_names() const;
    const std::vector<std::string>& output_names() const;
    const std::string& path() const;

private:
    struct Impl;
    std::shared_ptr<const Impl> impl_;
};

}  // namespace emo::nn
