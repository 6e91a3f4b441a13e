// A TensorFlow.js graph model read from disk: model.json (format "graph-model": the TensorFlow GraphDef as JSON in
// modelTopology, and a weightsManifest) and its binary weight shards, with every weight decoded to float32 or int32.
// This is the loading half of the face models' runtime; the executor over src/nn's kernels builds on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace emo::nn {

// A TensorFlow shape as the graph's attributes carry it: -1 for a dimension that is not known before run time, and
// `unknown_rank` where not even the number of dimensions is known.
struct TfjsShape {
    std::vector<std::int64_t> dims;
    bool unknown_rank = false;
};

// One attribute of a node (TensorFlow's AttrValue), decoded from its JSON encoding: strings from base64, 64-bit
// integers from their decimal strings, data types by their TensorFlow names ("DT_FLOAT", "DT_INT32", ...).
struct TfjsAttr {
    enum class Kind { string, integer, real, boolean, type, shape, tensor, list, other };
    Kind kind = Kind::other;
    std::string text;  // string: its bytes; type: the type's name; tensor: the tensor's type's name
    std::int64_t integer = 0;
    double real = 0;
    bool boolean = false;
    TfjsShape shape;  // shape; tensor: the tensor's shape (a Const node's values live in the weights)
    // list: the values, in the one of these that TensorFlow filled (an empty list fills none).
    std::vector<std::string> strings, types;
    std::vector<std::int64_t> integers;
    std::vector<double> reals;
    std::vector<bool> booleans;
    std::vector<TfjsShape> shapes;
};

// A data input of a node: output `output` of node `node` (written "node:1" in the file; plain "node" is output 0).
struct TfjsInput {
    std::string node;
    int output = 0;
};

struct TfjsNode {
    std::string name, op;
    std::vector<TfjsInput> inputs;            // data inputs, in order
    std::vector<std::string> control_inputs;  // "^node" inputs: ordering only, no data
    std::map<std::string, TfjsAttr> attrs;
    std::string origin;  // "MODEL.JSON: node 'NAME' (OP)", the prefix of every error about this node

    // Typed access to an attribute; a missing one (without a fallback) or one of another kind throws emo::Error
    // naming the node and the attribute.
    const TfjsAttr* find_attr(const std::string& key) const;
    std::string attr_string(const std::string& key) const;
    std::string attr_string(const std::string& key, const std::string& fallback) const;
    std::int64_t attr_int(const std::string& key) const;
    std::int64_t attr_int(const std::string& key, std::int64_t fallback) const;
    double attr_float(const std::string& key, double fallback) const;  // also takes an integer-valued attribute
    bool attr_bool(const std::string& key, bool fallback) const;
    std::string attr_type(const std::string& key) const;
    // List attributes; an empty list and a missing attribute (with a fallback) are both fine.
    std::vector<std::int64_t> attr_ints(const std::string& key) const;
    std::vector<std::int64_t> attr_ints(const std::string& key, const std::vector<std::int64_t>& fallback) const;
    std::vector<std::string> attr_strings(const std::string& key, const std::vector<std::string>& fallback) const;
};

// What a weight holds once decoded: float32 weights (stored as float32, or quantised as uint8 / uint16 / float16)
// and int32 weights (int32, or bool as 0 / 1).
enum class TfjsDtype { float32, int32 };

struct TfjsWeight {
    std::string name;
    std::vector<std::int64_t> shape;
    TfjsDtype dtype = TfjsDtype::float32;
    std::vector<float> floats;       // dtype float32: row-major values
    std::vector<std::int32_t> ints;  // dtype int32: row-major values
    std::size_t elements() const;
};

// An input or output of the model as its signature describes it ("input:0", DT_FLOAT, [-1, 64, 64, 1]).
struct TfjsTensorInfo {
    std::string key;  // the signature's key for it ("input", or the tensor's name where the converter used that)
    std::string name, dtype;
    TfjsShape shape;
};

struct TfjsModel {
    std::string path;  // model.json
    std::string generated_by, converted_by;
    std::vector<TfjsNode> nodes;  // in file order
    std::map<std::string, TfjsWeight> weights;
    // From "signature" (or userDefinedMetadata.signature, where the converter put it); empty where there is none.
    std::vector<TfjsTensorInfo> inputs, outputs;

    // The node called `name`, or nullptr.
    const TfjsNode* find_node(const std::string& name) const;
    // The weight called `name`; emo::Error naming the model when there is none.
    const TfjsWeight& weight(const std::string& name) const;

private:
    std::map<std::string, std::size_t> node_index_;
    friend TfjsModel read_tfjs_model(const std::string& path);
};

// Reads model.json and the shards its weightsManifest names (paths relative to its directory, concatenated in
// manifest order, each weight's bytes following the last). Everything is checked before it is used: sizes of the
// JSON, counts and shapes of nodes and weights, shard paths (inside the model's directory), each weight's bytes
// against the shards' total, which must match exactly; node inputs name existing nodes; every Const node has a
// weight of its shape. Any failure is an emo::Error naming the file and the node or weight, never a crash or an
// allocation larger than the shards themselves call for.
TfjsModel read_tfjs_model(const std::string& path);

// The ops the model's nodes use, sorted, each once ("Const", "DepthwiseConv2dNative", "_FusedConv2D", ...).
std::vector<std::string> tfjs_ops(const TfjsModel& model);

}  // namespace emo::nn
