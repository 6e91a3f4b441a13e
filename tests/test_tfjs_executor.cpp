// Tests for src/nn/tfjs_executor (and its ops in src/nn/tfjs_ops_*.cpp): each op on small graphs that the test
// writes as model.json, against values worked out by hand or by a plain reference loop written here; errors that
// name the node; and the committed face models run end to end.
#include "nn/tfjs_executor.hpp"

#include "nn/tfjs_model.hpp"
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
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using emo::nn::TfjsGraph;
using emo::nn::TfjsTensor;
using nlohmann::json;
using Shape = std::vector<std::int64_t>;
using Floats = std::vector<float>;

using emo_test::base64;

// Attribute values in the GraphDef's JSON encoding.
json s_attr(const std::string& s) { return {{"s", base64(s)}}; }
json i_attr(std::int64_t i) { return {{"i", std::to_string(i)}}; }
json b_attr(bool b) { return {{"b", b}}; }
json f_attr(double f) { return {{"f", f}}; }
json ints_attr(const Shape& v) {
    json list = json::array();
    for (auto x : v) list.push_back(std::to_string(x));
    return {{"list", {{"i", list}}}};
}
json strings_attr(const std::vector<std::string>& v) {
    json list = json::array();
    for (const auto& x : v) list.push_back(base64(x));
    return {{"list", {{"s", list}}}};
}
json shape_json(const Shape& dims) {
    json dim = json::array();
    for (auto d : dims) dim.push_back({{"size", std::to_string(d)}});
    return {{"dim", dim}};
}

// Values spread over [-1, 1) from a fixed linear congruential sequence.
Floats pseudo_random(std::size_t n, std::uint32_t seed) {
    Floats v(n);
    std::uint32_t s = seed;
    for (auto& x : v) {
        s = s * 1664525u + 1013904223u;
        x = static_cast<float>(s >> 8) / static_cast<float>(1u << 23) - 1.0f;
    }
    return v;
}

std::size_t count(const Shape& s) {
    std::size_t n = 1;
    for (auto d : s) n *= static_cast<std::size_t>(d);
    return n;
}

class TfjsExecutor : public emo_test::ScratchDirTest {
protected:
    TfjsExecutor() : ScratchDirTest("emo_tfjs_executor_") {}

    // A float32 Placeholder of `shape` (-1 for any size).
    void placeholder(const std::string& name, const Shape& shape) {
        nodes_.push_back({{"name", name},
                          {"op", "Placeholder"},
                          {"attr", {{"dtype", {{"type", "DT_FLOAT"}}}, {"shape", {{"shape", shape_json(shape)}}}}}});
    }
    void constant(const std::string& name, const Shape& shape, const Floats& values) {
        add_const(name, shape, "DT_FLOAT", "float32",
                  std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
    }
    void int_constant(const std::string& name, const Shape& shape, const std::vector<std::int32_t>& values) {
        add_const(name, shape, "DT_INT32", "int32",
                  std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(std::int32_t)));
    }
    void node(const std::string& name, const std::string& op, const std::vector<std::string>& inputs,
              json attrs = json::object()) {
        attrs["T"] = {{"type", "DT_FLOAT"}};
        nodes_.push_back({{"name", name}, {"op", op}, {"input", inputs}, {"attr", attrs}});
    }

    TfjsGraph graph() { return TfjsGraph(emo::nn::read_tfjs_model(write_files())); }

    std::string write_files() {
        write("w.bin", bytes_);
        return write("model.json", json{{"format", "graph-model"},
                                        {"modelTopology", {{"node", nodes_}, {"versions", {{"producer", 1}}}}},
                                        {"weightsManifest", {{{"paths", {"w.bin"}}, {"weights", weights_}}}}}
                                       .dump());
    }

    // Runs the graph on one input "x" and returns output `out`.
    TfjsTensor run1(const TfjsTensor& x, const std::string& out = "y") {
        const auto g = graph();
        auto outputs = g.run({{"x", x}}, {out});
        return outputs.at(0);
    }

    std::vector<json> nodes_, weights_;
    std::string bytes_;

private:
    void add_const(const std::string& name, const Shape& shape, const std::string& type, const std::string& dtype,
                   const std::string& bytes) {
        nodes_.push_back({{"name", name},
                          {"op", "Const"},
                          {"attr",
                           {{"dtype", {{"type", type}}},
                            {"value", {{"tensor", {{"dtype", type}, {"tensorShape", shape_json(shape)}}}}}}}});
        weights_.push_back({{"name", name}, {"shape", shape}, {"dtype", dtype}});
        bytes_ += bytes;
    }
};

void expect_near_all(const Floats& got, const Floats& want, float tolerance = 1e-5f) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << "at " << i;
}

// TensorFlow's output size and leading pad for one dimension: SAME pads (out - 1) * stride + span - in in all, the
// smaller half before.
void same_or_valid(bool same, std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t dilation,
                   std::int64_t& out, std::int64_t& before) {
    const std::int64_t span = (k - 1) * dilation + 1;
    if (same) {
        out = (in + stride - 1) / stride;
        before = std::max<std::int64_t>((out - 1) * stride + span - in, 0) / 2;
    } else {
        out = (in - span) / stride + 1;
        before = 0;
    }
}

// Reference convolution, NHWC input and HWIO filter; `depthwise` reads the filter as [kh, kw, C, M].
Floats reference_conv(const Floats& x, const Shape& xs, const Floats& f, const Shape& fs, bool same, std::int64_t sh,
                      std::int64_t sw, std::int64_t dh, std::int64_t dw, bool depthwise, Shape& ys) {
    const std::int64_t n = xs[0], h = xs[1], w = xs[2], c = xs[3], kh = fs[0], kw = fs[1];
    const std::int64_t oc = depthwise ? fs[2] * fs[3] : fs[3];
    std::int64_t oh, ow, ph, pw;
    same_or_valid(same, h, kh, sh, dh, oh, ph);
    same_or_valid(same, w, kw, sw, dw, ow, pw);
    ys = {n, oh, ow, oc};
    Floats y(count(ys), 0.0f);
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t i = 0; i < oh; ++i)
            for (std::int64_t j = 0; j < ow; ++j)
                for (std::int64_t o = 0; o < oc; ++o) {
                    double acc = 0;
                    for (std::int64_t u = 0; u < kh; ++u)
                        for (std::int64_t v = 0; v < kw; ++v) {
                            const std::int64_t r = i * sh - ph + u * dh, s = j * sw - pw + v * dw;
                            if (r < 0 || r >= h || s < 0 || s >= w) continue;
                            const float* px = &x[static_cast<std::size_t>(((b * h + r) * w + s) * c)];
                            if (depthwise) {
                                const std::int64_t ch = o / fs[3], m = o % fs[3];
                                acc += px[ch] * f[static_cast<std::size_t>(((u * kw + v) * fs[2] + ch) * fs[3] + m)];
                            } else {
                                for (std::int64_t ci = 0; ci < c; ++ci)
                                    acc += px[ci] * f[static_cast<std::size_t>(((u * kw + v) * c + ci) * oc + o)];
                            }
                        }
                    y[static_cast<std::size_t>(((b * oh + i) * ow + j) * oc + o)] = static_cast<float>(acc);
                }
    return y;
}

// Reference pooling; average over the window's pixels inside the input (TensorFlow's rule).
Floats reference_pool(const Floats& x, const Shape& xs, std::int64_t k, std::int64_t stride, bool same, bool max,
                      Shape& ys) {
    const std::int64_t n = xs[0], h = xs[1], w = xs[2], c = xs[3];
    std::int64_t oh, ow, ph, pw;
    same_or_valid(same, h, k, stride, 1, oh, ph);
    same_or_valid(same, w, k, stride, 1, ow, pw);
    ys = {n, oh, ow, c};
    Floats y(count(ys));
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t i = 0; i < oh; ++i)
            for (std::int64_t j = 0; j < ow; ++j)
                for (std::int64_t ch = 0; ch < c; ++ch) {
                    double acc = max ? -1e30 : 0;
                    int inside = 0;
                    for (std::int64_t u = 0; u < k; ++u)
                        for (std::int64_t v = 0; v < k; ++v) {
                            const std::int64_t r = i * stride - ph + u, s = j * stride - pw + v;
                            if (r < 0 || r >= h || s < 0 || s >= w) continue;
                            const double val = x[static_cast<std::size_t>(((b * h + r) * w + s) * c + ch)];
                            acc = max ? std::max(acc, val) : acc + val;
                            ++inside;
                        }
                    y[static_cast<std::size_t>(((b * oh + i) * ow + j) * c + ch)] =
                        static_cast<float>(max ? acc : acc / inside);
                }
    return y;
}

json conv_attrs(const std::string& padding, std::int64_t sh, std::int64_t sw, std::int64_t dh = 1,
                std::int64_t dw = 1) {
    return {{"padding", s_attr(padding)},
            {"strides", ints_attr({1, sh, sw, 1})},
            {"dilations", ints_attr({1, dh, dw, 1})},
            {"data_format", s_attr("NHWC")}};
}

TEST_F(TfjsExecutor, SamePaddingWithStrideTwoPutsTheOddPixelAfter) {
    // 4x4 input 1..16, 3x3 ones, stride 2: TensorFlow pads 0 rows/columns before and 1 after.
    placeholder("x", {1, 4, 4, 1});
    constant("f", {3, 3, 1, 1}, Floats(9, 1.0f));
    node("y", "Conv2D", {"x", "f"}, conv_attrs("SAME", 2, 2));
    Floats x(16);
    for (int i = 0; i < 16; ++i) x[i] = static_cast<float>(i + 1);
    const auto y = run1(TfjsTensor::of_floats({1, 4, 4, 1}, x));
    EXPECT_EQ(y.shape, (Shape{1, 2, 2, 1}));
    expect_near_all(y.floats, {54, 45, 72, 54});
}

struct ConvCase {
    bool same;
    std::int64_t sh, sw, dh, dw;
};

TEST_F(TfjsExecutor, Conv2DMatchesAReferenceLoopOnOddSizes) {
    const Shape xs{2, 7, 5, 3}, fs{3, 2, 3, 4};
    const auto x = pseudo_random(count(xs), 1), f = pseudo_random(count(fs), 2);
    const std::vector<ConvCase> cases = {{true, 2, 2, 1, 1},  {false, 2, 2, 1, 1}, {true, 1, 1, 1, 1},
                                         {false, 1, 2, 1, 1}, {true, 1, 1, 2, 2},  {false, 2, 1, 2, 1}};
    for (const auto& c : cases) {
        nodes_.clear();
        weights_.clear();
        bytes_.clear();
        placeholder("x", {-1, -1, -1, 3});
        constant("f", fs, f);
        node("y", "Conv2D", {"x", "f"}, conv_attrs(c.same ? "SAME" : "VALID", c.sh, c.sw, c.dh, c.dw));
        Shape ys;
        const auto want = reference_conv(x, xs, f, fs, c.same, c.sh, c.sw, c.dh, c.dw, false, ys);
        const auto y = run1(TfjsTensor::of_floats(xs, x));
        SCOPED_TRACE(std::string(c.same ? "SAME" : "VALID") + " stride " + std::to_string(c.sh) + "x" +
                     std::to_string(c.sw) + " dilation " + std::to_string(c.dh));
        EXPECT_EQ(y.shape, ys);
        expect_near_all(y.floats, want);
    }
}

TEST_F(TfjsExecutor, FusedConvAddsBiasThenActivation) {
    const Shape xs{1, 5, 6, 2}, fs{3, 3, 2, 3};
    const auto x = pseudo_random(count(xs), 3), f = pseudo_random(count(fs), 4);
    const Floats bias = {0.5f, -0.25f, 5.5f};  // the third channel reaches Relu6's top
    Shape ys;
    const auto conv = reference_conv(x, xs, f, fs, true, 2, 2, 1, 1, false, ys);
    for (const std::string act : {"", "Relu", "Relu6", "Prelu"}) {
        nodes_.clear();
        weights_.clear();
        bytes_.clear();
        placeholder("x", {1, 5, 6, 2});
        constant("f", fs, f);
        constant("b", {3}, bias);
        constant("a", {3}, {0.1f, 0.2f, 0.3f});
        auto attrs = conv_attrs("SAME", 2, 2);
        std::vector<std::string> inputs = {"x", "f", "b"};
        attrs["fused_ops"] =
            strings_attr(act.empty() ? std::vector<std::string>{"BiasAdd"} : std::vector<std::string>{"BiasAdd", act});
        attrs["num_args"] = i_attr(act == "Prelu" ? 2 : 1);
        if (act == "Prelu") inputs.push_back("a");
        node("y", "_FusedConv2D", inputs, attrs);
        Floats want = conv;
        for (std::size_t i = 0; i < want.size(); ++i) {
            const std::size_t ch = i % 3;
            float v = want[i] + bias[ch];
            if (act == "Relu") v = std::max(v, 0.0f);
            if (act == "Relu6") v = std::clamp(v, 0.0f, 6.0f);
            if (act == "Prelu" && v < 0) v *= 0.1f * static_cast<float>(ch + 1);
            want[i] = v;
        }
        SCOPED_TRACE(act);
        const auto y = run1(TfjsTensor::of_floats(xs, x));
        EXPECT_EQ(y.shape, ys);
        expect_near_all(y.floats, want);
    }
}

// A convolution, the Add that alone reads it and the Relu or Relu6 that alone reads the sum run as one oneDNN
// primitive (the sum as a post-op), over the other operand's buffer when the executor made it and nothing reads it
// later: the same values as the reference loops, whichever side of the Add the convolution is on, whether the other
// operand is fed (copied) or computed (reused), broadcast (run apart), or the sum asked for by name. (Where the
// other operand is the depthwise convolution, either convolution may be the one fused.)
TEST_F(TfjsExecutor, ConvolutionAddAndActivationFusedGiveTheValuesOfTheOpsApart) {
    const Shape xs{1, 6, 7, 4}, fs{1, 1, 4, 4}, ds{3, 3, 4, 1};
    const auto x = pseudo_random(count(xs), 11), f = pseudo_random(count(fs), 12), d = pseudo_random(count(ds), 13);
    const auto s = pseudo_random(count(xs), 14), bias = pseudo_random(4, 15);
    Shape ys, zs;
    const auto pointwise = reference_conv(x, xs, f, fs, true, 1, 1, 1, 1, false, ys);
    const auto depthwise = reference_conv(x, xs, d, ds, true, 1, 1, 1, 1, true, zs);
    for (const std::string act : {"", "Relu", "Relu6"})
        for (const bool conv_first : {true, false})
            for (const std::string other : {"fed", "computed", "broadcast"}) {
                nodes_.clear();
                weights_.clear();
                bytes_.clear();
                placeholder("x", xs);
                placeholder("s", {-1, -1, -1, 4});
                constant("f", fs, f);
                constant("d", ds, d);
                constant("b", {4}, bias);
                auto attrs = conv_attrs("SAME", 1, 1);
                attrs["fused_ops"] = strings_attr({"BiasAdd"});
                attrs["num_args"] = i_attr(1);
                node("c", "_FusedConv2D", {"x", "f", "b"}, attrs);
                node("dw", "DepthwiseConv2dNative", {"x", "d"}, conv_attrs("SAME", 1, 1));
                // The other operand: fed as is, or made by an op of this call (the depthwise convolution).
                const std::string operand = other == "computed" ? "dw" : "s";
                node("sum", "AddV2",
                     conv_first ? std::vector<std::string>{"c", operand} : std::vector<std::string>{operand, "c"});
                if (!act.empty()) node("y", act, {"sum"});
                const std::string out = act.empty() ? "sum" : "y";
                const Shape other_shape = other == "broadcast" ? Shape{1, 1, 7, 4} : xs;
                const Floats other_values(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(count(other_shape)));
                const auto g = graph();
                const auto outputs = g.run(
                    {{"x", TfjsTensor::of_floats(xs, x)}, {"s", TfjsTensor::of_floats(other_shape, other_values)}},
                    {out});
                Floats want(count(xs));
                for (std::size_t i = 0; i < want.size(); ++i) {
                    const std::size_t ch = i % 4, col = i / 4 % 7;
                    const float added = other == "computed"    ? depthwise[i]
                                        : other == "broadcast" ? other_values[col * 4 + ch]
                                                               : other_values[i];
                    float v = conv_first ? (pointwise[i] + bias[ch]) + added : added + (pointwise[i] + bias[ch]);
                    if (act == "Relu") v = std::max(v, 0.0f);
                    if (act == "Relu6") v = std::clamp(v, 0.0f, 6.0f);
                    want[i] = v;
                }
                SCOPED_TRACE(act + (conv_first ? " conv first, " : " conv second, ") + other);
                EXPECT_EQ(outputs[0].shape, xs);
                expect_near_all(outputs[0].floats, want);
                // Asked for by name besides, the sum is the sum and the operand is kept (not written over).
                if (!act.empty()) {
                    const auto more = g.run(
                        {{"x", TfjsTensor::of_floats(xs, x)}, {"s", TfjsTensor::of_floats(other_shape, other_values)}},
                        {out, "sum", "dw"});
                    expect_near_all(more[0].floats, want);
                    for (std::size_t i = 0; i < want.size(); ++i)
                        if (want[i] > 0 && want[i] < 6) {
                            ASSERT_NEAR(more[1].floats[i], want[i], 1e-5f) << i;
                        }
                    expect_near_all(more[2].floats, depthwise);
                }
            }
}

// A strided 1x1 convolution fused with its Add (the expression model's residual branches) reads every second pixel
// of an odd-sized image, SAME and VALID alike, and gives the values of the ops apart.
TEST_F(TfjsExecutor, StridedPointwiseConvolutionAddReadsEverySecondPixel) {
    const Shape xs{1, 7, 6, 3}, fs{1, 1, 3, 5}, ys_want{1, 4, 3, 5};
    const auto x = pseudo_random(count(xs), 21), f = pseudo_random(count(fs), 22);
    const auto s = pseudo_random(count(ys_want), 23), bias = pseudo_random(5, 24);
    for (const bool same : {true, false}) {
        nodes_.clear();
        weights_.clear();
        bytes_.clear();
        placeholder("x", xs);
        placeholder("s", ys_want);
        constant("f", fs, f);
        constant("b", {5}, bias);
        auto attrs = conv_attrs(same ? "SAME" : "VALID", 2, 2);
        attrs["fused_ops"] = strings_attr({"BiasAdd"});
        attrs["num_args"] = i_attr(1);
        node("c", "_FusedConv2D", {"x", "f", "b"}, attrs);
        node("sum", "AddV2", {"c", "s"});
        node("y", "Relu", {"sum"});
        Shape ys;
        const auto conv = reference_conv(x, xs, f, fs, same, 2, 2, 1, 1, false, ys);
        ASSERT_EQ(ys, ys_want);
        Floats want(conv.size());
        for (std::size_t i = 0; i < want.size(); ++i) want[i] = std::max((conv[i] + bias[i % 5]) + s[i], 0.0f);
        const auto out =
            graph().run({{"x", TfjsTensor::of_floats(xs, x)}, {"s", TfjsTensor::of_floats(ys_want, s)}}, {"y"});
        SCOPED_TRACE(same ? "SAME" : "VALID");
        EXPECT_EQ(out[0].shape, ys_want);
        expect_near_all(out[0].floats, want);
    }
}

TEST_F(TfjsExecutor, ExplicitPaddingPadsWhereTold) {
    placeholder("x", {1, 2, 2, 1});
    constant("f", {1, 1, 1, 1}, {2.0f});
    auto attrs = conv_attrs("EXPLICIT", 1, 1);
    attrs["explicit_paddings"] = ints_attr({0, 0, 1, 0, 0, 2, 0, 0});
    node("y", "Conv2D", {"x", "f"}, attrs);
    const auto y = run1(TfjsTensor::of_floats({1, 2, 2, 1}, {1, 2, 3, 4}));
    EXPECT_EQ(y.shape, (Shape{1, 3, 4, 1}));
    expect_near_all(y.floats, {0, 0, 0, 0, 2, 4, 0, 0, 6, 8, 0, 0});
}

TEST_F(TfjsExecutor, DepthwiseWithChannelMultiplierMatchesAReferenceLoop) {
    const Shape xs{1, 7, 6, 3}, fs{3, 3, 3, 2};
    const auto x = pseudo_random(count(xs), 5), f = pseudo_random(count(fs), 6);
    for (const bool same : {true, false}) {
        nodes_.clear();
        weights_.clear();
        bytes_.clear();
        placeholder("x", {1, 7, 6, 3});
        constant("f", fs, f);
        node("y", "DepthwiseConv2dNative", {"x", "f"}, conv_attrs(same ? "SAME" : "VALID", 2, 2));
        Shape ys;
        const auto want = reference_conv(x, xs, f, fs, same, 2, 2, 1, 1, true, ys);
        const auto y = run1(TfjsTensor::of_floats(xs, x));
        SCOPED_TRACE(same ? "SAME" : "VALID");
        EXPECT_EQ(y.shape, ys);
        expect_near_all(y.floats, want);
    }
}

TEST_F(TfjsExecutor, PoolingMatchesAReferenceLoop) {
    const Shape xs{1, 7, 6, 2};
    const auto x = pseudo_random(count(xs), 7);
    for (const bool max : {true, false})
        for (const bool same : {true, false})
            for (const std::int64_t k : {2, 3}) {
                nodes_.clear();
                weights_.clear();
                bytes_.clear();
                placeholder("x", {1, 7, 6, 2});
                node("y", max ? "MaxPool" : "AvgPool", {"x"},
                     {{"padding", s_attr(same ? "SAME" : "VALID")},
                      {"strides", ints_attr({1, 2, 2, 1})},
                      {"ksize", ints_attr({1, k, k, 1})},
                      {"data_format", s_attr("NHWC")}});
                Shape ys;
                const auto want = reference_pool(x, xs, k, 2, same, max, ys);
                const auto y = run1(TfjsTensor::of_floats(xs, x));
                SCOPED_TRACE(std::string(max ? "max" : "avg") + (same ? " SAME " : " VALID ") + std::to_string(k));
                EXPECT_EQ(y.shape, ys);
                expect_near_all(y.floats, want);
            }
}

TEST_F(TfjsExecutor, BinaryOpsBroadcastLikeNumPy) {
    placeholder("x", {2, 1, 3});
    constant("c", {4, 1}, {1, 2, 3, 4});
    constant("s", {}, {10});
    node("sum", "AddV2", {"x", "c"});
    node("y", "Mul", {"sum", "s"});
    node("d", "Sub", {"c", "x"});
    const Floats x = {0, 1, 2, 3, 4, 5};
    const auto g = graph();
    const auto out = g.run({{"x", TfjsTensor::of_floats({2, 1, 3}, x)}}, {"y", "d"});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].shape, (Shape{2, 4, 3}));
    EXPECT_EQ(out[1].shape, (Shape{2, 4, 3}));
    for (int b = 0; b < 2; ++b)
        for (int r = 0; r < 4; ++r)
            for (int k = 0; k < 3; ++k) {
                const float xv = x[b * 3 + k], cv = static_cast<float>(r + 1);
                EXPECT_FLOAT_EQ(out[0].floats[(b * 4 + r) * 3 + k], (xv + cv) * 10);
                EXPECT_FLOAT_EQ(out[1].floats[(b * 4 + r) * 3 + k], cv - xv);
            }
}

// The executor runs a binary op and the Relu or Relu6 that alone reads it as one op, with equal shapes in one flat
// loop: the same values as the two ops apart, on random inputs, broadcast or not, and the sum still there when it is
// asked for by name or read by another op too.
TEST_F(TfjsExecutor, BinaryOpsFusedWithTheirActivationGiveTheValuesOfTheTwoApart) {
    const Shape xs{2, 5, 3, 7};
    placeholder("x", xs);
    placeholder("z", {2, 5, 3, -1});
    constant("bias", {7}, pseudo_random(7, 3));
    node("sum", "AddV2", {"x", "z"});  // equal shapes: fused with Relu
    node("y", "Relu", {"sum"});
    node("scaled", "Mul", {"x", "bias"});  // broadcast: fused with Relu6
    node("y6", "Relu6", {"scaled"});
    node("diff", "Sub", {"x", "z"});  // read twice: not fused
    node("yd", "Relu", {"diff"});
    node("twice", "AddV2", {"diff", "diff"});
    Floats x = pseudo_random(count(xs), 1), z = pseudo_random(count(xs), 2);
    for (auto& v : x) v *= 8;  // past Relu6's top
    const auto bias = pseudo_random(7, 3);
    const auto g = graph();
    const auto out = g.run({{"x", TfjsTensor::of_floats(xs, x)}, {"z", TfjsTensor::of_floats(xs, z)}},
                           {"y", "y6", "yd", "twice", "sum"});
    ASSERT_EQ(out.size(), 5u);
    for (const auto& t : out) ASSERT_EQ(t.shape, xs);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const float sum = x[i] + z[i], scaled = x[i] * bias[i % 7], diff = x[i] - z[i];
        ASSERT_EQ(out[0].floats[i], std::max(sum, 0.0f)) << i;
        ASSERT_EQ(out[1].floats[i], std::clamp(scaled, 0.0f, 6.0f)) << i;
        ASSERT_EQ(out[2].floats[i], std::max(diff, 0.0f)) << i;
        ASSERT_EQ(out[3].floats[i], diff + diff) << i;
        ASSERT_EQ(out[4].floats[i], sum) << i;
    }
    // The fused pair still names the op that failed.
    try {
        g.run({{"x", TfjsTensor::of_floats(xs, x)}, {"z", TfjsTensor::of_floats({2, 5, 3, 6}, Floats(180))}}, {"y"});
        ADD_FAILURE() << "no error";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("'sum'"), std::string::npos) << e.what();
    }
}

TEST_F(TfjsExecutor, ShapesThatCannotBroadcastNameTheNode) {
    placeholder("x", {2, 3});
    constant("c", {4}, {1, 2, 3, 4});
    node("y", "Add", {"x", "c"});
    try {
        run1(TfjsTensor::of_floats({2, 3}, Floats(6, 1.0f)));
        ADD_FAILURE() << "no error";
    } catch (const emo::Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("'y'"), std::string::npos) << m;
        EXPECT_NE(m.find("[2, 3]"), std::string::npos) << m;
    }
}

TEST_F(TfjsExecutor, UnaryActivations) {
    placeholder("x", {5});
    node("r", "Relu", {"x"});
    node("r6", "Relu6", {"x"});
    node("s", "Sigmoid", {"x"});
    node("l", "LeakyRelu", {"x"}, {{"alpha", f_attr(0.25)}});
    const Floats x = {-2, -0.5f, 0, 3, 8};
    const auto g = graph();
    const auto out = g.run({{"x", TfjsTensor::of_floats({5}, x)}}, {"r", "r6", "s", "l"});
    expect_near_all(out[3].floats, {-0.5f, -0.125f, 0, 3, 8});
    expect_near_all(out[0].floats, {0, 0, 0, 3, 8});
    expect_near_all(out[1].floats, {0, 0, 0, 3, 6});
    Floats sig;
    for (float v : x) sig.push_back(1.0f / (1.0f + std::exp(-v)));
    expect_near_all(out[2].floats, sig, 1e-6f);
}

TEST_F(TfjsExecutor, SoftmaxNormalisesEachRow) {
    placeholder("x", {2, 3});
    node("y", "Softmax", {"x"});
    const Floats x = {1, 2, 3, -1, 0, 100};
    const auto y = run1(TfjsTensor::of_floats({2, 3}, x));
    ASSERT_EQ(y.shape, (Shape{2, 3}));
    for (int r = 0; r < 2; ++r) {
        double z = 0;
        const double top = *std::max_element(x.begin() + r * 3, x.begin() + r * 3 + 3);
        for (int k = 0; k < 3; ++k) z += std::exp(x[r * 3 + k] - top);
        for (int k = 0; k < 3; ++k) EXPECT_NEAR(y.floats[r * 3 + k], std::exp(x[r * 3 + k] - top) / z, 1e-6);
    }
}

TEST_F(TfjsExecutor, MeanReducesTheListedAxes) {
    placeholder("x", {2, 2, 3, 2});
    int_constant("hw", {2}, {1, -2});
    node("y", "Mean", {"x", "hw"}, {{"keep_dims", b_attr(false)}});
    node("k", "Mean", {"x", "hw"}, {{"keep_dims", b_attr(true)}});
    Floats x(24);
    for (int i = 0; i < 24; ++i) x[i] = static_cast<float>(i);
    const auto g = graph();
    const auto out = g.run({{"x", TfjsTensor::of_floats({2, 2, 3, 2}, x)}}, {"y", "k"});
    EXPECT_EQ(out[0].shape, (Shape{2, 2}));
    EXPECT_EQ(out[1].shape, (Shape{2, 1, 1, 2}));
    // Batch 0 channel 0 averages 0, 2, ..., 10; channel 1 the odd ones; batch 1 adds 12.
    expect_near_all(out[0].floats, {5, 6, 17, 18});
    expect_near_all(out[1].floats, {5, 6, 17, 18});
}

TEST_F(TfjsExecutor, AReductionOverTheBatchRunsTheBatchWhole) {
    // Mean over axis 0 mixes the samples: the batch must not run one sample at a time.
    placeholder("x", {-1, 2, 1, 1});
    int_constant("n", {1}, {0});
    node("y", "Mean", {"x", "n"}, {{"keep_dims", b_attr(true)}});
    node("r", "Relu", {"x"});
    const auto g = graph();
    const auto out = g.run({{"x", TfjsTensor::of_floats({3, 2, 1, 1}, {1, 2, 3, 4, 5, 6})}}, {"y", "r"});
    EXPECT_EQ(out[0].shape, (Shape{1, 2, 1, 1}));
    expect_near_all(out[0].floats, {3, 4});
    EXPECT_EQ(out[1].shape, (Shape{3, 2, 1, 1}));
}

TEST_F(TfjsExecutor, PadReshapeConcatAndPack) {
    placeholder("x", {1, 2, 2});
    int_constant("p", {3, 2}, {0, 0, 1, 0, 0, 2});
    int_constant("shape", {2}, {-1, 4});
    int_constant("axis", {}, {-1});
    node("pad", "Pad", {"x", "p"});
    node("flat", "Reshape", {"pad", "shape"});
    node("cat", "ConcatV2", {"flat", "flat", "axis"}, {{"N", i_attr(2)}});
    node("pack", "Pack", {"x", "x"}, {{"axis", i_attr(1)}, {"N", i_attr(2)}});
    const auto g = graph();
    const auto out = g.run({{"x", TfjsTensor::of_floats({1, 2, 2}, {1, 2, 3, 4})}}, {"pad", "flat", "cat", "pack"});
    EXPECT_EQ(out[0].shape, (Shape{1, 3, 4}));
    expect_near_all(out[0].floats, {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0});
    EXPECT_EQ(out[1].shape, (Shape{3, 4}));
    EXPECT_EQ(out[2].shape, (Shape{3, 8}));
    expect_near_all(out[2].floats, {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 3, 4, 0, 0});
    EXPECT_EQ(out[3].shape, (Shape{1, 2, 2, 2}));
    expect_near_all(out[3].floats, {1, 2, 3, 4, 1, 2, 3, 4});
}

TEST_F(TfjsExecutor, OutputsTooLargeToAllocateAreErrorsNotCrashes) {
    placeholder("x", {4});
    int_constant("p", {1, 2}, {1 << 30, 1 << 30});
    node("pad", "Pad", {"x", "p"});
    constant("row", {1, 100000}, Floats(100000, 1.0f));
    constant("col", {100000, 1}, Floats(100000, 1.0f));
    node("outer", "Mul", {"row", "col"});
    const auto g = graph();
    const auto x = TfjsTensor::of_floats({4}, {1, 2, 3, 4});
    for (const std::string out : {"pad", "outer"}) {
        try {
            g.run({{"x", x}}, {out});
            ADD_FAILURE() << "no error for " << out;
        } catch (const emo::Error& e) {
            EXPECT_NE(std::string(e.what()).find("'" + out + "'"), std::string::npos) << e.what();
        }
    }
}

TEST_F(TfjsExecutor, ReshapeOfTheWrongSizeNamesTheNode) {
    placeholder("x", {2, 3});
    int_constant("shape", {2}, {4, 2});
    node("y", "Reshape", {"x", "shape"});
    EXPECT_THROW(
        {
            try {
                run1(TfjsTensor::of_floats({2, 3}, Floats(6)));
            } catch (const emo::Error& e) {
                EXPECT_NE(std::string(e.what()).find("'y'"), std::string::npos) << e.what();
                throw;
            }
        },
        emo::Error);
}

class TfjsExecutorStridedSlice : public TfjsExecutor {
protected:
    // x is [2, 3, 4] holding 0..23; returns x[begin:end:strides] under the masks.
    TfjsTensor slice(const std::vector<std::int32_t>& begin, const std::vector<std::int32_t>& end,
                     const std::vector<std::int32_t>& strides, int begin_mask, int end_mask, int ellipsis, int new_axis,
                     int shrink) {
        nodes_.clear();
        weights_.clear();
        bytes_.clear();
        placeholder("x", {2, 3, 4});
        const Shape n{static_cast<std::int64_t>(begin.size())};
        int_constant("b", n, begin);
        int_constant("e", n, end);
        int_constant("s", n, strides);
        node("y", "StridedSlice", {"x", "b", "e", "s"},
             {{"begin_mask", i_attr(begin_mask)},
              {"end_mask", i_attr(end_mask)},
              {"ellipsis_mask", i_attr(ellipsis)},
              {"new_axis_mask", i_attr(new_axis)},
              {"shrink_axis_mask", i_attr(shrink)}});
        Floats x(24);
        for (int i = 0; i < 24; ++i) x[i] = static_cast<float>(i);
        return run1(TfjsTensor::of_floats({2, 3, 4}, x));
    }
};

TEST_F(TfjsExecutorStridedSlice, PlainRangesTakeTheRestWhole) {
    const auto y = slice({0, 1}, {2, 3}, {1, 1}, 0, 0, 0, 0, 0);
    EXPECT_EQ(y.shape, (Shape{2, 2, 4}));
    expect_near_all(y.floats, {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23});
}

TEST_F(TfjsExecutorStridedSlice, ShrinkTakesOneIndexAndDropsTheDimension) {
    auto y = slice({1}, {2}, {1}, 0, 0, 0, 0, 1);
    EXPECT_EQ(y.shape, (Shape{3, 4}));
    EXPECT_EQ(y.floats.front(), 12.0f);
    EXPECT_EQ(y.floats.back(), 23.0f);
    y = slice({-1, 0, -1}, {0, 0, 0}, {1, 1, 1}, 0, 0, 0, 0, 5);  // x[-1, 0:0, -1]: empty
    EXPECT_EQ(y.shape, (Shape{0}));
    y = slice({-1, 0, -1}, {0, 3, 0}, {1, 1, 1}, 0, 0, 0, 0, 5);
    EXPECT_EQ(y.shape, (Shape{3}));
    expect_near_all(y.floats, {15, 19, 23});
}

TEST_F(TfjsExecutorStridedSlice, EllipsisStandsForTheUnlistedDimensions) {
    const auto y = slice({0, 1}, {0, 4}, {1, 2}, 0, 0, 1, 0, 0);
    EXPECT_EQ(y.shape, (Shape{2, 3, 2}));
    expect_near_all(y.floats, {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23});
}

TEST_F(TfjsExecutorStridedSlice, NewAxisInsertsADimensionOfOne) {
    const auto y = slice({0, 0}, {0, 1}, {1, 1}, 0, 0, 0, 1, 0);
    EXPECT_EQ(y.shape, (Shape{1, 1, 3, 4}));
    EXPECT_EQ(y.floats.size(), 12u);
    EXPECT_EQ(y.floats.back(), 11.0f);
}

TEST_F(TfjsExecutorStridedSlice, MasksAndNegativeStridesReverse) {
    const auto y = slice({0, 0, 0}, {0, 0, 0}, {1, -1, -2}, 7, 7, 0, 0, 0);
    EXPECT_EQ(y.shape, (Shape{2, 3, 2}));
    expect_near_all(y.floats, {11, 9, 7, 5, 3, 1, 23, 21, 19, 17, 15, 13});
    // Negative begin and end without masks: x[:, -1:-3:-1, 1:]
    const auto z = slice({0, -1, 1}, {0, -3, 4}, {1, -1, 1}, 1, 1, 0, 0, 0);
    EXPECT_EQ(z.shape, (Shape{2, 2, 3}));
    expect_near_all(z.floats, {9, 10, 11, 5, 6, 7, 21, 22, 23, 17, 18, 19});
}

TEST_F(TfjsExecutor, ShapeStridedSlicePackFeedReshape) {
    // The converter's pattern for a Keras Reshape with a dynamic batch (as in facemesh-detection-short).
    placeholder("x", {-1, 2, 2, 3});
    node("shape", "Shape", {"x"}, {{"out_type", {{"type", "DT_INT32"}}}});
    int_constant("b", {1}, {0});
    int_constant("e", {1}, {1});
    int_constant("s", {1}, {1});
    node("batch", "StridedSlice", {"shape", "b", "e", "s"}, {{"shrink_axis_mask", i_attr(1)}});
    int_constant("rows", {}, {4});
    int_constant("cols", {}, {3});
    node("target", "Pack", {"batch", "rows", "cols"}, {{"axis", i_attr(0)}});
    node("y", "Reshape", {"x", "target"});
    const auto g = graph();
    const auto out = g.run({{"x", TfjsTensor::of_floats({2, 2, 2, 3}, pseudo_random(24, 9))}}, {"target", "y"});
    EXPECT_EQ(out[0].ints, (std::vector<std::int32_t>{2, 4, 3}));
    EXPECT_EQ(out[1].shape, (Shape{2, 4, 3}));
}

TEST_F(TfjsExecutor, FusedMatMulTransposesAddsBiasAndRelu) {
    placeholder("x", {2, 3});
    constant("w", {2, 3}, {1, 0, -1, 2, 1, 0});  // [out, in], read with transpose_b
    constant("bias", {2}, {0.5f, -10});
    node("y", "_FusedMatMul", {"x", "w", "bias"},
         {{"transpose_a", b_attr(false)},
          {"transpose_b", b_attr(true)},
          {"fused_ops", strings_attr({"BiasAdd", "Relu"})},
          {"num_args", i_attr(1)}});
    node("plain", "MatMul", {"x", "w"}, {{"transpose_b", b_attr(true)}});
    const auto g = graph();
    const auto out = g.run({{"x", TfjsTensor::of_floats({2, 3}, {1, 2, 3, 4, 5, 6})}}, {"y", "plain"});
    EXPECT_EQ(out[0].shape, (Shape{2, 2}));
    expect_near_all(out[1].floats, {-2, 4, -2, 13});
    expect_near_all(out[0].floats, {0, 0, 0, 3});
}

TEST_F(TfjsExecutor, AnUnknownOpIsRefusedWhenTheGraphIsBuilt) {
    placeholder("x", {2});
    node("weird", "FancyOp", {"x"});
    try {
        graph();
        ADD_FAILURE() << "no error";
    } catch (const emo::Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("FancyOp"), std::string::npos) << m;
        EXPECT_NE(m.find("'weird'"), std::string::npos) << m;
    }
}

TEST_F(TfjsExecutor, AnUnsupportedFusedOpIsRefusedWhenTheGraphIsBuilt) {
    placeholder("x", {1, 2, 2, 1});
    constant("f", {1, 1, 1, 1}, {1});
    constant("b", {1}, {0});
    auto attrs = conv_attrs("SAME", 1, 1);
    attrs["fused_ops"] = strings_attr({"FusedBatchNorm"});
    node("y", "_FusedConv2D", {"x", "f", "b"}, attrs);
    EXPECT_THROW(graph(), emo::Error);
}

TEST_F(TfjsExecutor, FedShapesAreCheckedAgainstThePlaceholder) {
    placeholder("x", {-1, 4, 4, 1});
    node("y", "Relu", {"x"});
    try {
        run1(TfjsTensor::of_floats({1, 4, 5, 1}, Floats(20)));
        ADD_FAILURE() << "no error";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW(run1(TfjsTensor::of_floats({3, 4, 4, 1}, Floats(48))));
}

TEST_F(TfjsExecutor, OutputsByNodeOrTensorNameAndMissingInputs) {
    placeholder("x", {2});
    node("y", "Relu", {"x"});
    const auto g = graph();
    const auto x = TfjsTensor::of_floats({2}, {-1, 1});
    EXPECT_EQ(g.run({{"x:0", x}}, {"y:0"}).at(0).floats, (Floats{0, 1}));
    EXPECT_THROW(g.run({{"x", x}}, {"nothing"}), emo::Error);
    EXPECT_THROW(g.run({}, {"y"}), emo::Error);
}

// The committed face models, on a smooth deterministic image.
TfjsTensor test_image(std::int64_t size, std::int64_t channels) {
    Floats v(static_cast<std::size_t>(size * size * channels));
    for (std::int64_t i = 0; i < size; ++i)
        for (std::int64_t j = 0; j < size; ++j)
            for (std::int64_t c = 0; c < channels; ++c)
                v[static_cast<std::size_t>((i * size + j) * channels + c)] =
                    0.5f + 0.5f * std::sin(0.11f * static_cast<float>(i) + 0.07f * static_cast<float>(j * (c + 1)));
    return TfjsTensor::of_floats({1, size, size, channels}, v);
}

void expect_finite(const TfjsTensor& t) {
    for (float v : t.floats) ASSERT_TRUE(std::isfinite(v));
}

std::string face_model(const std::string& name) {
    return std::string(EMO_SOURCE_DIR) + "/models/faces/" + name + "/model.json";
}

TEST(TfjsExecutorModels, EmotionGivesSevenProbabilitiesPerCrop) {
    const TfjsGraph g(emo::nn::read_tfjs_model(face_model("emotion")));
    auto x = test_image(64, 1);
    // Two crops in one batch: the second a flipped copy.
    Floats two = x.floats;
    two.insert(two.end(), x.floats.rbegin(), x.floats.rend());
    const auto out = g.run({{"input_1", TfjsTensor::of_floats({2, 64, 64, 1}, two)}}, g.output_names());
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].shape, (Shape{2, 7}));
    expect_finite(out[0]);
    for (int r = 0; r < 2; ++r) {
        double sum = 0;
        for (int k = 0; k < 7; ++k) sum += out[0].floats[r * 7 + k];
        EXPECT_NEAR(sum, 1.0, 1e-5);
    }
    // Each crop alone gives its row of the batch exactly: every op of the model treats samples apart, so the batch
    // runs one crop at a time (TfjsGraph::Impl::per_sample).
    const auto one = g.run({{"input_1:0", x}}, {"Identity"});
    const auto flipped = g.run({{"input_1", TfjsTensor::of_floats({1, 64, 64, 1}, Floats(two.begin() + 4096, two.end()))}},
                               {"Identity"});
    for (int k = 0; k < 7; ++k) {
        EXPECT_EQ(one[0].floats[k], out[0].floats[k]);
        EXPECT_EQ(flipped[0].floats[k], out[0].floats[7 + k]);
    }
}

TEST(TfjsExecutorModels, OneGraphRunsFromSeveralThreadsAtOnce) {
    const TfjsGraph g(emo::nn::read_tfjs_model(face_model("emotion")));
    std::vector<TfjsTensor> crops;
    for (std::uint32_t i = 0; i < 4; ++i) {
        auto x = test_image(64, 1);
        const auto noise = pseudo_random(x.floats.size(), 50 + i);
        for (std::size_t k = 0; k < x.floats.size(); ++k) x.floats[k] += 0.3f * noise[k];
        crops.push_back(x);
    }
    std::vector<Floats> alone;
    for (const auto& x : crops) alone.push_back(g.run({{"input_1", x}}, {"Identity"}).at(0).floats);
    std::vector<std::vector<Floats>> together(crops.size());
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < crops.size(); ++t)
        threads.emplace_back([&, t] {
            emo::nn::TfjsRunContext context;
            for (int r = 0; r < 10; ++r)
                together[t].push_back(g.run({{"input_1", crops[t]}}, {"Identity"}, context).at(0).floats);
        });
    for (auto& th : threads) th.join();
    for (std::size_t t = 0; t < crops.size(); ++t)
        for (const auto& y : together[t]) EXPECT_EQ(y, alone[t]) << "thread " << t;
}

TEST(TfjsExecutorModels, BlazefaceGivesScoresAndBoxesForBothAnchorGrids) {
    const TfjsGraph g(emo::nn::read_tfjs_model(face_model("blazeface")));
    const auto out =
        g.run({{"input", test_image(256, 3)}}, {"Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"});
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].shape, (Shape{1, 512, 1}));
    EXPECT_EQ(out[1].shape, (Shape{1, 384, 1}));
    EXPECT_EQ(out[2].shape, (Shape{1, 512, 16}));
    EXPECT_EQ(out[3].shape, (Shape{1, 384, 16}));
    for (const auto& t : out) expect_finite(t);
}

TEST(TfjsExecutorModels, FacemeshDetectionShortRunsItsShapeOps) {
    const TfjsGraph g(emo::nn::read_tfjs_model(face_model("facemesh-detection-short")));
    ASSERT_EQ(g.output_names(), (std::vector<std::string>{"Identity:0"}));
    const auto out = g.run({{"input", test_image(128, 3)}}, {"objects"});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].shape, (Shape{1, 896, 17}));
    expect_finite(out[0]);
}

// Parity with TensorFlow.js itself (issue 15: within 1e-4 absolute):
// tests/tfjs_oracle/run.mjs runs the same model on the same input with the pure-JavaScript CPU backend (npm
// @tensorflow/tfjs, pinned there; scripts/setup installs it).
class TfjsExecutorParity : public TfjsExecutor {
protected:
    // TF.js's outputs `names` of the model (a model.json path) for one input.
    std::vector<TfjsTensor> oracle(const std::string& model, const std::string& input, const TfjsTensor& x,
                                   const std::vector<std::string>& names) {
        const std::string root = EMO_SOURCE_DIR;
        const std::string script = root + "/tests/tfjs_oracle/run.mjs";
        if (!std::filesystem::exists(root + "/tests/tfjs_oracle/node_modules/@tensorflow/tfjs"))
            throw std::runtime_error("tests/tfjs_oracle/node_modules is missing: run scripts/setup");
        const json request = {
            {"model", model}, {"inputs", {{input, {{"shape", x.shape}, {"values", x.floats}}}}}, {"outputs", names}};
        const auto request_path = write("request.json", request.dump());
        const auto out_path = (dir_ / "out.json").string(), err_path = (dir_ / "err.txt").string();
        const std::string command =
            "node '" + script + "' '" + request_path + "' >'" + out_path + "' 2>'" + err_path + "'";
        if (std::system(command.c_str()) != 0) {
            std::ifstream err(err_path);
            std::stringstream text;
            text << err.rdbuf();
            throw std::runtime_error("the TF.js oracle failed: " + text.str());
        }
        // TF.js prints a banner on stdout first; the answer is the last line.
        std::ifstream in(out_path);
        std::string line, last;
        while (std::getline(in, line))
            if (!line.empty()) last = line;
        const auto answer = json::parse(last);
        EXPECT_EQ(answer["backend"], "cpu");
        std::vector<TfjsTensor> outputs;
        for (const auto& o : answer["outputs"])
            outputs.push_back(TfjsTensor::of_floats(o["shape"].get<Shape>(), o["values"].get<Floats>()));
        return outputs;
    }

    void expect_parity(const std::string& model, const std::string& input, const TfjsTensor& x,
                       const std::vector<std::string>& outputs) {
        const std::string name = std::filesystem::path(model).parent_path().filename().string();
        const TfjsGraph g(emo::nn::read_tfjs_model(model));
        const auto ours = g.run({{input, x}}, outputs);
        const auto theirs = oracle(model, input, x, outputs);
        ASSERT_EQ(ours.size(), theirs.size());
        for (std::size_t i = 0; i < ours.size(); ++i) {
            SCOPED_TRACE(name + " output " + outputs[i]);
            ASSERT_EQ(ours[i].shape, theirs[i].shape);
            // Absolute, even on BlazeFace's raw logits near -118, where a float32 ulp is 8e-6: the convolutions
            // round as TF.js's do (sums from zero in TF.js's order, then the bias, then the residual), so outputs
            // part only where oneDNN's kernels sum in another order.
            float worst = 0;
            std::size_t at = 0;
            for (std::size_t k = 0; k < ours[i].floats.size(); ++k) {
                const float d = std::fabs(ours[i].floats[k] - theirs[i].floats[k]);
                if (!(d <= worst)) {
                    worst = d;
                    at = k;
                }
            }
            std::cout << name << " " << outputs[i] << ": worst difference " << worst << "\n";
            EXPECT_LE(worst, 1e-4f) << "at " << at << ": " << ours[i].floats[at] << " vs " << theirs[i].floats[at];
        }
    }

    // An image-like input: a smooth pattern with noise, in [0, 1].
    static TfjsTensor input(std::int64_t size, std::int64_t channels, std::uint32_t seed) {
        auto x = test_image(size, channels);
        const auto noise = pseudo_random(x.floats.size(), seed);
        for (std::size_t i = 0; i < x.floats.size(); ++i)
            x.floats[i] = std::clamp(0.8f * x.floats[i] + 0.2f * (noise[i] * 0.5f + 0.5f), 0.0f, 1.0f);
        return x;
    }
};

TEST_F(TfjsExecutorParity, Emotion) {
    auto x = input(64, 1, 11);
    expect_parity(face_model("emotion"), "input_1", x, {"Identity"});
}

TEST_F(TfjsExecutorParity, Blazeface) {
    // BlazeFace expects [-1, 1].
    auto x = input(256, 3, 12);
    for (auto& v : x.floats) v = 2 * v - 1;
    expect_parity(face_model("blazeface"), "input", x, {"Identity", "Identity_1", "Identity_2", "Identity_3"});
}

TEST_F(TfjsExecutorParity, FacemeshDetectionShort) {
    auto x = input(128, 3, 13);
    for (auto& v : x.floats) v = 2 * v - 1;
    expect_parity(face_model("facemesh-detection-short"), "input", x, {"Identity"});
}

TEST_F(TfjsExecutorParity, EachOpOnOddSizes) {
    // One graph holding every op the executor implements that TF.js runs alike, on a 9x7 input: SAME with stride 2
    // pads asymmetrically, VALID leaves a remainder, and the depthwise filter has a channel multiplier.
    placeholder("x", {1, 9, 7, 3});
    std::uint32_t seed = 100;
    auto random_constant = [&](const std::string& name, const Shape& shape) {
        constant(name, shape, pseudo_random(count(shape), ++seed));
    };
    random_constant("f1", {3, 3, 3, 4});
    random_constant("b1", {4});
    random_constant("f2", {2, 3, 3, 2});
    random_constant("f3", {3, 3, 3, 2});
    random_constant("w", {4, 5});
    random_constant("wb", {5});
    random_constant("k", {1, 1, 1, 3});
    random_constant("f0", {1, 1, 3, 9});
    random_constant("f5", {3, 3, 9, 5});
    random_constant("b5", {5});
    random_constant("f6", {3, 3, 9, 3});
    random_constant("f7", {3, 3, 9, 1});
    auto fused = conv_attrs("SAME", 2, 2);
    fused["fused_ops"] = strings_attr({"BiasAdd", "Relu6"});
    fused["num_args"] = i_attr(1);
    node("c1", "_FusedConv2D", {"x", "f1", "b1"}, fused);
    node("c2", "Conv2D", {"x", "f2"}, conv_attrs("VALID", 2, 2));
    node("c3", "Conv2D", {"x", "f2"}, conv_attrs("SAME", 1, 1, 2, 2));
    auto explicit_pads = conv_attrs("EXPLICIT", 1, 2);
    explicit_pads["explicit_paddings"] = ints_attr({0, 0, 2, 1, 0, 1, 0, 0});
    node("c4", "Conv2D", {"x", "f2"}, explicit_pads);
    // Dense 3x3 windows at stride 1 over nine channels: nn/winograd_conv's (tiles cut at both edges).
    node("c0", "Conv2D", {"x", "f0"}, conv_attrs("VALID", 1, 1));
    auto fused_relu = conv_attrs("SAME", 1, 1);
    fused_relu["fused_ops"] = strings_attr({"BiasAdd", "Relu"});
    fused_relu["num_args"] = i_attr(1);
    node("c5", "_FusedConv2D", {"c0", "f5", "b5"}, fused_relu);
    node("c6", "Conv2D", {"c0", "f6"}, conv_attrs("VALID", 1, 1));
    // A 3x3 depthwise at stride 1 with one filter per channel: nn/depthwise_conv's (a channel tail of 1).
    node("d3", "DepthwiseConv2dNative", {"c0", "f7"}, conv_attrs("SAME", 1, 1));
    node("d1", "DepthwiseConv2dNative", {"x", "f3"}, conv_attrs("SAME", 2, 2));
    node("d2", "DepthwiseConv2dNative", {"x", "f3"}, conv_attrs("VALID", 1, 1));
    auto pool = [&](const std::string& name, const std::string& op, const std::string& padding, std::int64_t k) {
        node(name, op, {"x"},
             {{"padding", s_attr(padding)},
              {"strides", ints_attr({1, 2, 2, 1})},
              {"ksize", ints_attr({1, k, k, 1})},
              {"data_format", s_attr("NHWC")}});
    };
    pool("p1", "MaxPool", "SAME", 3);
    pool("p2", "AvgPool", "SAME", 3);
    pool("p3", "AvgPool", "VALID", 2);
    pool("p4", "MaxPool", "VALID", 2);
    int_constant("hw", {2}, {1, 2});
    node("m", "Mean", {"c1", "hw"}, {{"keep_dims", b_attr(false)}});
    node("s", "Softmax", {"m"});
    node("mm", "_FusedMatMul", {"m", "w", "wb"},
         {{"transpose_a", b_attr(false)},
          {"transpose_b", b_attr(false)},
          {"fused_ops", strings_attr({"BiasAdd", "Relu"})},
          {"num_args", i_attr(1)}});
    node("sig", "Sigmoid", {"c2"});
    node("add", "AddV2", {"c1", "b1"});
    node("mul", "Mul", {"p1", "k"});
    node("sub", "Sub", {"p2", "p1"});
    node("relu", "Relu", {"c3"});
    int_constant("pads", {4, 2}, {0, 0, 1, 2, 0, 1, 0, 0});
    node("pad", "Pad", {"x", "pads"});
    int_constant("axis", {}, {3});
    node("cat", "ConcatV2", {"p1", "p2", "axis"}, {{"N", i_attr(2)}});
    int_constant("sb", {2}, {0, 1});
    int_constant("se", {2}, {0, 6});
    int_constant("ss", {2}, {1, 2});
    node("slice", "StridedSlice", {"d1", "sb", "se", "ss"},
         {{"begin_mask", i_attr(0)},
          {"end_mask", i_attr(0)},
          {"ellipsis_mask", i_attr(1)},
          {"new_axis_mask", i_attr(0)},
          {"shrink_axis_mask", i_attr(0)}});
    int_constant("rs", {3}, {1, -1, 2});
    node("reshape", "Reshape", {"d1", "rs"});
    const auto model = write_files();
    expect_parity(model, "x", TfjsTensor::of_floats({1, 9, 7, 3}, pseudo_random(9 * 7 * 3, 99)),
                  {"c1", "c2", "c3",  "c4",  "c5",  "c6",  "d1",   "d2",  "d3",  "p1",  "p2",    "p3", "p4",
                   "m",  "s",  "mm",  "sig", "add", "mul", "sub",  "relu", "pad", "cat", "slice", "reshape"});
}

}  // namespace
