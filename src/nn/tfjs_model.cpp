#include "nn/tfjs_model.hpp"

#include "core/model_files.hpp"
#include "core/safetensors.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

namespace emo::nn {

static_assert(std::endian::native == std::endian::little, "TF.js weight shards are little-endian; add byte swapping");

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Bounds far beyond any real graph model (the package's largest: 2,140 nodes, 28 MB of weights, rank 4) that keep a
// hostile model.json from asking for absurd work or memory before its claims are checked against the shards.
constexpr std::uintmax_t max_json_bytes = 64ull << 20;
constexpr std::size_t max_nodes = 1u << 17;
constexpr std::size_t max_list = 1u << 16;  // inputs of a node, entries of a list attribute, weights, shards
constexpr std::size_t max_rank = 8;
constexpr std::int64_t max_dim = std::int64_t{1} << 31;
constexpr std::uint64_t max_weight_bytes = 1ull << 30;

std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

// TensorFlow's JSON writes int64 as a decimal string; hand-written files use plain numbers.
bool to_int64(const json& j, std::int64_t& out) {
    if (j.is_number_unsigned()) {
        const auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
        out = static_cast<std::int64_t>(u);
        return true;
    }
    if (j.is_number_integer()) {
        out = j.get<std::int64_t>();
        return true;
    }
    if (!j.is_string()) return false;
    const auto& s = j.get_ref<const std::string&>();
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// Floats are numbers, except the three that JSON cannot write, which protobuf's JSON spells as strings.
bool to_double(const json& j, double& out) {
    if (j.is_number()) {
        out = j.get<double>();
        return true;
    }
    if (!j.is_string()) return false;
    const auto& s = j.get_ref<const std::string&>();
    if (s == "NaN")
        out = std::numeric_limits<double>::quiet_NaN();
    else if (s == "Infinity")
        out = std::numeric_limits<double>::infinity();
    else if (s == "-Infinity")
        out = -std::numeric_limits<double>::infinity();
    else {
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return !s.empty() && ec == std::errc() && end == s.data() + s.size();
    }
    return true;
}

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;  // protobuf's JSON accepts the URL-safe alphabet too
    if (c == '/' || c == '_') return 63;
    return -1;
}

// Attribute strings are bytes, so protobuf's JSON writes them in base64 ("VkFMSUQ=" is "VALID").
bool decode_base64(const std::string& in, std::string& out) {
    out.clear();
    std::uint32_t buffer = 0;
    int bits = 0;
    std::size_t i = 0;
    for (; i < in.size() && in[i] != '='; ++i) {
        const int v = base64_value(in[i]);
        if (v < 0) return false;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xffu));
        }
    }
    for (; i < in.size(); ++i)
        if (in[i] != '=') return false;
    return true;
}

// A TensorShapeProto: {"dim": [{"size": "-1"}, ...], "unknownRank": true}; protobuf's JSON leaves out a size of 0.
TfjsShape parse_shape(const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(where + " is not a shape object");
    TfjsShape shape;
    if (auto it = j.find("unknownRank"); it != j.end()) {
        if (!it->is_boolean()) throw Error(where + ": 'unknownRank' is not true or false");
        shape.unknown_rank = it->get<bool>();
    }
    auto dims = j.find("dim");
    if (dims == j.end()) return shape;
    if (!dims->is_array() || dims->size() > max_rank)
        throw Error(where + ": 'dim' is not a list of at most " + std::to_string(max_rank) + " dimensions");
    for (const auto& d : *dims) {
        if (!d.is_object()) throw Error(where + ": a dimension is not an object");
        std::int64_t size = 0;
        auto it = d.find("size");
        if (it != d.end() && (!to_int64(*it, size) || size < -1 || size > max_dim))
            throw Error(where + ": a dimension's size is not an integer from -1 to 2^31");
        shape.dims.push_back(size);
    }
    return shape;
}

template <class T, class Convert>
std::vector<T> list_values(const json& list, const char* key, const std::string& where, Convert convert) {
    std::vector<T> values;
    auto it = list.find(key);
    if (it == list.end()) return values;
    if (!it->is_array() || it->size() > max_list)
        throw Error(where + ": list '" + key + "' is not an array of at most " + std::to_string(max_list) + " values");
    for (const auto& v : *it) values.push_back(convert(v));
    return values;
}

// An AttrValue: exactly one of s, i, f, b, type, shape, tensor, list (func and placeholder are kept as `other`).
TfjsAttr parse_attr(const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(where + " is not an object");
    TfjsAttr a;
    auto text = [&](const json& v) {
        std::string bytes;
        if (!v.is_string() || !decode_base64(v.get_ref<const std::string&>(), bytes))
            throw Error(where + ": a string is not base64");
        return bytes;
    };
    auto integer = [&](const json& v) {
        std::int64_t i = 0;
        if (!to_int64(v, i)) throw Error(where + ": not a 64-bit integer");
        return i;
    };
    auto real = [&](const json& v) {
        double f = 0;
        if (!to_double(v, f)) throw Error(where + ": not a number");
        return f;
    };
    auto boolean = [&](const json& v) {
        if (!v.is_boolean()) throw Error(where + ": not true or false");
        return v.get<bool>();
    };
    auto type = [&](const json& v) {
        if (!v.is_string()) throw Error(where + ": a data type is not a name");
        return v.get<std::string>();
    };
    auto shape = [&](const json& v) { return parse_shape(v, where); };

    if (auto it = j.find("list"); it != j.end()) {
        if (!it->is_object()) throw Error(where + ": 'list' is not an object");
        a.kind = TfjsAttr::Kind::list;
        a.strings = list_values<std::string>(*it, "s", where, text);
        a.integers = list_values<std::int64_t>(*it, "i", where, integer);
        a.reals = list_values<double>(*it, "f", where, real);
        a.booleans = list_values<bool>(*it, "b", where, boolean);
        a.types = list_values<std::string>(*it, "type", where, type);
        a.shapes = list_values<TfjsShape>(*it, "shape", where, shape);
    } else if (auto it = j.find("s"); it != j.end()) {
        a.kind = TfjsAttr::Kind::string;
        a.text = text(*it);
    } else if (auto it = j.find("i"); it != j.end()) {
        a.kind = TfjsAttr::Kind::integer;
        a.integer = integer(*it);
    } else if (auto it = j.find("f"); it != j.end()) {
        a.kind = TfjsAttr::Kind::real;
        a.real = real(*it);
    } else if (auto it = j.find("b"); it != j.end()) {
        a.kind = TfjsAttr::Kind::boolean;
        a.boolean = boolean(*it);
    } else if (auto it = j.find("type"); it != j.end()) {
        a.kind = TfjsAttr::Kind::type;
        a.text = type(*it);
    } else if (auto it = j.find("shape"); it != j.end()) {
        a.kind = TfjsAttr::Kind::shape;
        a.shape = shape(*it);
    } else if (auto it = j.find("tensor"); it != j.end()) {
        // Only the type and shape: the TF.js converter moves every Const's values into the weight shards.
        if (!it->is_object()) throw Error(where + ": 'tensor' is not an object");
        a.kind = TfjsAttr::Kind::tensor;
        if (auto dtype = it->find("dtype"); dtype != it->end()) a.text = type(*dtype);
        if (auto s = it->find("tensorShape"); s != it->end()) a.shape = shape(*s);
    }
    return a;
}

// "node", "node:2" (output 2) or "^node" (a control dependency).
void parse_input(const std::string& text, TfjsNode& node) {
    if (text.empty()) throw Error(node.origin + ": an input is empty");
    if (text[0] == '^') {
        node.control_inputs.push_back(text.substr(1));
        return;
    }
    TfjsInput input{text, 0};
    if (const auto colon = text.rfind(':'); colon != std::string::npos) {
        const char* first = text.data() + colon + 1;
        const char* last = text.data() + text.size();
        const auto [end, ec] = std::from_chars(first, last, input.output);
        if (first == last || ec != std::errc() || end != last || input.output < 0 || input.output >= 1 << 16)
            throw Error(node.origin + ": input " + in_quotes(text) + " has no valid output index after ':'");
        input.node = text.substr(0, colon);
    }
    node.inputs.push_back(std::move(input));
}

TfjsNode parse_node(const json& j, std::size_t index, const std::string& path) {
    const std::string where = path + ": modelTopology.node[" + std::to_string(index) + "]";
    if (!j.is_object()) throw Error(where + " is not an object");
    TfjsNode node;
    auto name = j.find("name");
    if (name == j.end() || !name->is_string() || name->get_ref<const std::string&>().empty())
        throw Error(where + " has no name");
    node.name = name->get<std::string>();
    auto op = j.find("op");
    if (op == j.end() || !op->is_string() || op->get_ref<const std::string&>().empty())
        throw Error(path + ": node " + in_quotes(node.name) + " has no op");
    node.op = op->get<std::string>();
    node.origin = path + ": node " + in_quotes(node.name) + " (" + node.op + ")";
    if (auto inputs = j.find("input"); inputs != j.end()) {
        if (!inputs->is_array() || inputs->size() > max_list)
            throw Error(node.origin + ": 'input' is not a list of at most " + std::to_string(max_list) + " names");
        for (const auto& input : *inputs) {
            if (!input.is_string()) throw Error(node.origin + ": an input is not a string");
            parse_input(input.get<std::string>(), node);
        }
    }
    if (auto attrs = j.find("attr"); attrs != j.end()) {
        if (!attrs->is_object()) throw Error(node.origin + ": 'attr' is not an object");
        for (const auto& [key, value] : attrs->items())
            node.attrs.emplace(key, parse_attr(value, node.origin + ": attribute " + in_quotes(key)));
    }
    return node;
}

// How a weight's bytes encode it: as its own dtype, or quantised (the manifest's quantization.dtype).
enum class Stored { float32, int32, boolean, uint8, uint16, float16 };

std::uint64_t stored_width(Stored stored) {
    switch (stored) {
        case Stored::float32:
        case Stored::int32:
            return 4;
        case Stored::uint16:
        case Stored::float16:
            return 2;
        default:
            return 1;
    }
}

// A weight as the manifest describes it, checked, with its place in the concatenated shards.
struct WeightSpec {
    std::string name;
    std::vector<std::int64_t> shape;
    TfjsDtype dtype = TfjsDtype::float32;
    Stored stored = Stored::float32;
    double scale = 1, min = 0;
    std::uint64_t count = 0, bytes = 0, offset = 0;
};

WeightSpec parse_weight(const json& j, const std::string& path, std::size_t group) {
    const std::string where = path + ": weightsManifest[" + std::to_string(group) + "]";
    if (!j.is_object()) throw Error(where + ": a weight is not an object");
    WeightSpec w;
    auto name = j.find("name");
    if (name == j.end() || !name->is_string() || name->get_ref<const std::string&>().empty())
        throw Error(where + ": a weight has no name");
    w.name = name->get<std::string>();
    const std::string what = path + ": weight " + in_quotes(w.name);

    auto shape = j.find("shape");
    if (shape == j.end() || !shape->is_array() || shape->size() > max_rank)
        throw Error(what + " has no shape of at most " + std::to_string(max_rank) + " dimensions");
    // Every dimension is at most 2^30 and the running product stays at most 2^30, so nothing overflows.
    w.count = 1;
    for (const auto& d : *shape) {
        if (!d.is_number_unsigned() || d.get<std::uint64_t>() > max_weight_bytes)
            throw Error(what + " has a dimension that is not an integer from 0 to 2^30: " + d.dump());
        const auto size = d.get<std::uint64_t>();
        w.shape.push_back(static_cast<std::int64_t>(size));
        if (size != 0 && w.count > max_weight_bytes / size)
            throw Error(what + " has an implausible shape " + shape->dump() + " (more than 2^30 elements)");
        w.count *= size;
    }

    auto dtype = j.find("dtype");
    if (dtype == j.end() || !dtype->is_string()) throw Error(what + " has no dtype");
    const auto declared = dtype->get<std::string>();
    if (declared != "float32" && declared != "int32" && declared != "bool")
        throw Error(what + " has unsupported dtype " + in_quotes(declared) + " (expected float32, int32 or bool)");
    w.dtype = declared == "float32" ? TfjsDtype::float32 : TfjsDtype::int32;
    w.stored = declared == "float32" ? Stored::float32 : declared == "int32" ? Stored::int32 : Stored::boolean;

    if (auto q = j.find("quantization"); q != j.end() && !q->is_null()) {
        if (!q->is_object()) throw Error(what + ": 'quantization' is not an object");
        auto qdtype = q->find("dtype");
        if (qdtype == q->end() || !qdtype->is_string()) throw Error(what + ": quantization has no dtype");
        const auto quantised = qdtype->get<std::string>();
        if (quantised == "uint8")
            w.stored = Stored::uint8;
        else if (quantised == "uint16")
            w.stored = Stored::uint16;
        else if (quantised == "float16")
            w.stored = Stored::float16;
        else
            throw Error(what + " has unsupported quantization dtype " + in_quotes(quantised) +
                        " (expected uint8, uint16 or float16)");
        if (declared == "bool" || (w.stored == Stored::float16 && declared != "float32"))
            throw Error(what + ": " + declared + " weights cannot be quantised as " + quantised);
        if (w.stored != Stored::float16) {
            auto scale = q->find("scale"), min = q->find("min");
            if (scale == q->end() || min == q->end() || !scale->is_number() || !min->is_number())
                throw Error(what + ": " + quantised + " quantization needs numbers 'scale' and 'min'");
            w.scale = scale->get<double>();
            w.min = min->get<double>();
            if (!std::isfinite(w.scale) || !std::isfinite(w.min))
                throw Error(what + ": quantization scale and min must be finite");
        }
    }
    w.bytes = w.count * stored_width(w.stored);
    return w;
}

// Shard paths are relative to model.json, as TF.js resolves them against the model's URL; leaving the model's
// directory is refused so that a model file cannot pull in arbitrary files.
fs::path shard_path(const json& j, const fs::path& dir, const std::string& path, std::size_t group) {
    const std::string where = path + ": weightsManifest[" + std::to_string(group) + "]";
    if (!j.is_string() || j.get_ref<const std::string&>().empty()) throw Error(where + ": a path is not a file name");
    const fs::path relative(j.get<std::string>());
    if (relative.is_absolute() || relative.has_root_name())
        throw Error(where + ": shard path " + in_quotes(relative.string()) + " is absolute");
    for (const auto& part : relative)
        if (part == "..")
            throw Error(where + ": shard path " + in_quotes(relative.string()) + " leaves the model's directory");
    return dir / relative;
}

// Turns a weight's stored bytes into its values, as TF.js dequantises: q * scale + min (in double precision, then
// rounded to float32; int32 weights to the nearest integer, halves up), float16 widened exactly.
TfjsWeight decode_weight(const WeightSpec& spec, const char* bytes, const std::string& path) {
    TfjsWeight w;
    w.name = spec.name;
    w.shape = spec.shape;
    w.dtype = spec.dtype;
    const std::uint64_t n = spec.count;
    auto u16 = [&](std::uint64_t i) {
        std::uint16_t v;
        std::memcpy(&v, bytes + 2 * i, 2);
        return v;
    };
    auto dequantised = [&](std::uint64_t i) {
        const double q = spec.stored == Stored::uint8 ? static_cast<unsigned char>(bytes[i]) : u16(i);
        return q * spec.scale + spec.min;
    };
    if (spec.dtype == TfjsDtype::float32) {
        w.floats.resize(n);
        if (spec.stored == Stored::float32) {
            if (n) std::memcpy(w.floats.data(), bytes, 4 * n);
        } else if (spec.stored == Stored::float16) {
            for (std::uint64_t i = 0; i < n; ++i) w.floats[i] = core::half_to_float(u16(i));
        } else {
            for (std::uint64_t i = 0; i < n; ++i) w.floats[i] = static_cast<float>(dequantised(i));
        }
        return w;
    }
    w.ints.resize(n);
    if (spec.stored == Stored::int32) {
        if (n) std::memcpy(w.ints.data(), bytes, 4 * n);
    } else if (spec.stored == Stored::boolean) {
        for (std::uint64_t i = 0; i < n; ++i) w.ints[i] = bytes[i] != 0;
    } else {
        for (std::uint64_t i = 0; i < n; ++i) {
            const double v = std::floor(dequantised(i) + 0.5);
            if (!(v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max()))
                throw Error(path + ": weight " + in_quotes(spec.name) + " dequantises outside the int32 range");
            w.ints[i] = static_cast<std::int32_t>(v);
        }
    }
    return w;
}

// The shards for an error message: the first few by path, then how many more.
std::string shard_names(const std::vector<fs::path>& shards) {
    if (shards.empty()) return "no shards";
    std::string names;
    for (std::size_t i = 0; i < shards.size() && i < 4; ++i) names += (i ? ", " : "") + shards[i].string();
    if (shards.size() > 4) names += " and " + std::to_string(shards.size() - 4) + " more";
    return names;
}

// Reads the weightsManifest and every shard it names; the checks all come before the one allocation for the data.
std::map<std::string, TfjsWeight> read_weights(const json& manifest, const std::string& path) {
    if (!manifest.is_array() || manifest.size() > max_list)
        throw Error(path + ": 'weightsManifest' is not a list of at most " + std::to_string(max_list) + " groups");
    const fs::path dir = fs::path(path).parent_path();
    std::vector<WeightSpec> specs;
    std::vector<fs::path> shards;
    std::set<std::string> names;
    std::uint64_t needed = 0;
    for (std::size_t g = 0; g < manifest.size(); ++g) {
        const auto& group = manifest[g];
        const std::string where = path + ": weightsManifest[" + std::to_string(g) + "]";
        if (!group.is_object()) throw Error(where + " is not an object");
        auto paths = group.find("paths");
        auto weights = group.find("weights");
        if (paths == group.end() || !paths->is_array() || weights == group.end() || !weights->is_array())
            throw Error(where + " lacks the lists 'paths' and 'weights'");
        if (shards.size() + paths->size() > max_list || specs.size() + weights->size() > max_list)
            throw Error(where + ": more than " + std::to_string(max_list) + " shards or weights");
        for (const auto& p : *paths) shards.push_back(shard_path(p, dir, path, g));
        for (const auto& w : *weights) {
            auto spec = parse_weight(w, path, g);
            if (!names.insert(spec.name).second)
                throw Error(path + ": weight " + in_quotes(spec.name) + " is listed twice");
            spec.offset = needed;
            needed += spec.bytes;  // each term <= 2^32: the sum of at most 2^16 of them cannot overflow
            if (needed > max_weight_bytes)
                throw Error(path + ": weight " + in_quotes(spec.name) + " takes the weights past 1 GiB");
            specs.push_back(std::move(spec));
        }
    }

    std::uint64_t available = 0;
    for (const auto& shard : shards) {
        std::error_code ec;
        const auto size = fs::file_size(shard, ec);
        if (ec || !fs::is_regular_file(shard, ec))
            throw Error(path + ": weight shard " + shard.string() + " is missing or not a readable file");
        available += size;
        if (available > max_weight_bytes) throw Error(path + ": the weight shards hold more than 1 GiB");
    }
    const std::string shard_list = shard_names(shards);
    for (const auto& spec : specs)
        if (spec.offset + spec.bytes > available)
            throw Error(path + ": weight " + in_quotes(spec.name) + " needs bytes " + std::to_string(spec.offset) +
                        " to " + std::to_string(spec.offset + spec.bytes) + " but the shards (" + shard_list +
                        ") hold only " + std::to_string(available));
    if (needed != available)
        throw Error(path + ": the shards (" + shard_list + ") hold " + std::to_string(available) +
                    " bytes but the weights' shapes and dtypes take " + std::to_string(needed) +
                    (specs.empty() ? "" : " (last weight " + in_quotes(specs.back().name) + ")"));

    std::vector<char> data(available);
    std::uint64_t filled = 0;
    for (const auto& shard : shards) {
        std::ifstream in(shard, std::ios::binary);
        std::error_code ec;
        const auto size = fs::file_size(shard, ec);
        if (!in || ec || filled + size > available) throw Error(path + ": cannot read weight shard " + shard.string());
        in.read(data.data() + filled, static_cast<std::streamsize>(size));
        if (static_cast<std::uint64_t>(in.gcount()) != size)
            throw Error(path + ": weight shard " + shard.string() + " changed or could not be read whole");
        filled += size;
    }
    if (filled != available) throw Error(path + ": the weight shards changed while being read");

    std::map<std::string, TfjsWeight> weights;
    for (const auto& spec : specs) weights.emplace(spec.name, decode_weight(spec, data.data() + spec.offset, path));
    return weights;
}

// A signature's "inputs" or "outputs": {"key": {"name": "input:0", "dtype": "DT_FLOAT", "tensorShape": {...}}}.
std::vector<TfjsTensorInfo> parse_signature_side(const json& signature, const char* side, const std::string& path) {
    std::vector<TfjsTensorInfo> infos;
    auto it = signature.find(side);
    if (it == signature.end()) return infos;
    const std::string where = path + ": signature " + side;
    if (!it->is_object() || it->size() > max_list) throw Error(where + " is not an object");
    for (const auto& [key, value] : it->items()) {
        if (!value.is_object()) throw Error(where + ": " + in_quotes(key) + " is not an object");
        TfjsTensorInfo info;
        info.key = key;
        info.name = key;
        if (auto name = value.find("name"); name != value.end() && name->is_string())
            info.name = name->get<std::string>();
        if (auto dtype = value.find("dtype"); dtype != value.end() && dtype->is_string())
            info.dtype = dtype->get<std::string>();
        if (auto shape = value.find("tensorShape"); shape != value.end())
            info.shape = parse_shape(*shape, where + ": " + in_quotes(key) + " tensorShape");
        else
            info.shape.unknown_rank = true;
        infos.push_back(std::move(info));
    }
    return infos;
}

// Every data and control input names a node; every Const has its values among the weights, in its own shape.
void check_graph(const TfjsModel& model) {
    for (const auto& node : model.nodes) {
        for (const auto& input : node.inputs)
            if (!model.find_node(input.node))
                throw Error(node.origin + ": input " + in_quotes(input.node) + " names no node of the graph");
        for (const auto& input : node.control_inputs)
            if (!model.find_node(input))
                throw Error(node.origin + ": control input " + in_quotes(input) + " names no node of the graph");
        if (node.op != "Const") continue;
        auto weight = model.weights.find(node.name);
        if (weight == model.weights.end())
            throw Error(node.origin + " has no weight of its name in the weightsManifest");
        const TfjsAttr* value = node.find_attr("value");
        if (value && value->kind == TfjsAttr::Kind::tensor && !value->shape.unknown_rank &&
            value->shape.dims != weight->second.shape)
            throw Error(node.origin + ": its value's shape differs from the shape of weight " + in_quotes(node.name) +
                        " in the weightsManifest");
    }
}

const std::string& string_field(const json& j, const char* key) {
    static const std::string none;
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get_ref<const std::string&>() : none;
}

}  // namespace

std::size_t TfjsWeight::elements() const {
    std::size_t count = 1;
    for (auto d : shape) count *= static_cast<std::size_t>(d);
    return count;
}

const TfjsAttr* TfjsNode::find_attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? nullptr : &it->second;
}

namespace {

const TfjsAttr& required_attr(const TfjsNode& node, const std::string& key, TfjsAttr::Kind kind, const char* what) {
    const TfjsAttr* a = node.find_attr(key);
    if (!a) throw Error(node.origin + ": attribute " + in_quotes(key) + " is missing");
    if (a->kind != kind) throw Error(node.origin + ": attribute " + in_quotes(key) + " is not " + what);
    return *a;
}

}  // namespace

std::string TfjsNode::attr_string(const std::string& key) const {
    return required_attr(*this, key, TfjsAttr::Kind::string, "a string").text;
}

std::string TfjsNode::attr_string(const std::string& key, const std::string& fallback) const {
    return find_attr(key) ? attr_string(key) : fallback;
}

std::int64_t TfjsNode::attr_int(const std::string& key) const {
    return required_attr(*this, key, TfjsAttr::Kind::integer, "an integer").integer;
}

std::int64_t TfjsNode::attr_int(const std::string& key, std::int64_t fallback) const {
    return find_attr(key) ? attr_int(key) : fallback;
}

double TfjsNode::attr_float(const std::string& key, double fallback) const {
    const TfjsAttr* a = find_attr(key);
    if (!a) return fallback;
    if (a->kind == TfjsAttr::Kind::integer) return static_cast<double>(a->integer);
    return required_attr(*this, key, TfjsAttr::Kind::real, "a number").real;
}

bool TfjsNode::attr_bool(const std::string& key, bool fallback) const {
    return find_attr(key) ? required_attr(*this, key, TfjsAttr::Kind::boolean, "true or false").boolean : fallback;
}

std::string TfjsNode::attr_type(const std::string& key) const {
    return required_attr(*this, key, TfjsAttr::Kind::type, "a data type").text;
}

std::vector<std::int64_t> TfjsNode::attr_ints(const std::string& key) const {
    return required_attr(*this, key, TfjsAttr::Kind::list, "a list").integers;
}

std::vector<std::int64_t> TfjsNode::attr_ints(const std::string& key, const std::vector<std::int64_t>& fallback) const {
    return find_attr(key) ? attr_ints(key) : fallback;
}

std::vector<std::string> TfjsNode::attr_strings(const std::string& key,
                                                const std::vector<std::string>& fallback) const {
    return find_attr(key) ? required_attr(*this, key, TfjsAttr::Kind::list, "a list").strings : fallback;
}

const TfjsNode* TfjsModel::find_node(const std::string& name) const {
    auto it = node_index_.find(name);
    return it == node_index_.end() ? nullptr : &nodes[it->second];
}

const TfjsWeight& TfjsModel::weight(const std::string& name) const {
    auto it = weights.find(name);
    if (it == weights.end()) throw Error(path + ": no weight " + in_quotes(name));
    return it->second;
}

TfjsModel read_tfjs_model(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw Error(path + ": cannot open");
    if (size > max_json_bytes) throw Error(path + ": model.json of " + std::to_string(size) + " bytes is too large");
    const json j = core::read_json_file(path);
    if (!j.is_object()) throw Error(path + ": not a JSON object");
    const auto& format = string_field(j, "format");
    if (j.contains("format") && format != "graph-model")
        throw Error(path + ": format " + in_quotes(format) + " is not a TF.js graph model (\"graph-model\")");
    auto topology = j.find("modelTopology");
    if (topology == j.end() || !topology->is_object()) throw Error(path + ": missing 'modelTopology'");
    auto nodes = topology->find("node");
    if (nodes == topology->end() || !nodes->is_array()) throw Error(path + ": missing 'modelTopology.node'");
    if (nodes->size() > max_nodes)
        throw Error(path + ": " + std::to_string(nodes->size()) + " nodes, more than " + std::to_string(max_nodes));
    auto manifest = j.find("weightsManifest");
    if (manifest == j.end()) throw Error(path + ": missing 'weightsManifest'");

    TfjsModel model;
    model.path = path;
    model.generated_by = string_field(j, "generatedBy");
    model.converted_by = string_field(j, "convertedBy");
    for (std::size_t i = 0; i < nodes->size(); ++i) {
        auto node = parse_node((*nodes)[i], i, path);
        if (!model.node_index_.emplace(node.name, model.nodes.size()).second)
            throw Error(path + ": node " + in_quotes(node.name) + " is defined twice");
        model.nodes.push_back(std::move(node));
    }

    // Some conversions keep the signature under userDefinedMetadata (the package's blazeface and emotion do).
    const json* signature = nullptr;
    auto meta = j.find("userDefinedMetadata");
    if (auto it = j.find("signature"); it != j.end()) {
        signature = &*it;
    } else if (meta != j.end() && meta->is_object() && meta->contains("signature")) {
        signature = &(*meta)["signature"];
    }
    if (signature && !signature->is_null()) {
        if (!signature->is_object()) throw Error(path + ": 'signature' is not an object");
        model.inputs = parse_signature_side(*signature, "inputs", path);
        model.outputs = parse_signature_side(*signature, "outputs", path);
    }

    model.weights = read_weights(*manifest, path);
    check_graph(model);
    return model;
}

std::vector<std::string> tfjs_ops(const TfjsModel& model) {
    std::set<std::string> ops;
    for (const auto& node : model.nodes) ops.insert(node.op);
    return {ops.begin(), ops.end()};
}

}  // namespace emo::nn
