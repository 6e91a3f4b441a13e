// Speed of the TF.js graph-model executor (src/nn/tfjs_executor) on the committed face models, one thread, a run
// context kept between calls (as a caller processing many images does): the expression model on 64x64 crops (batch
// 1 and 32), BlazeFace on one 256x256 image, facemesh-detection-short on one 128x128 image; and nn/winograd_conv and
// nn/depthwise_conv alone on the models' layer shapes.
#include "nn/dense_layer.hpp"
#include "nn/depthwise_conv.hpp"
#include "nn/tfjs_executor.hpp"
#include "nn/winograd_conv.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace {

using emo::nn::TfjsTensor;

TfjsTensor image(std::int64_t batch, std::int64_t size, std::int64_t channels) {
    std::vector<float> v(static_cast<std::size_t>(batch * size * size * channels));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.5f + 0.5f * std::sin(0.013f * static_cast<float>(i));
    return TfjsTensor::of_floats({batch, size, size, channels}, v);
}

void run_model(benchmark::State& state, const std::string& name, const std::string& input, std::int64_t size,
               std::int64_t channels) {
    emo::nn::set_threads(1);
    const emo::nn::TfjsGraph graph(emo::nn::read_tfjs_model(EMO_SOURCE_DIR "/models/faces/" + name + "/model.json"));
    const auto batch = state.range(0);
    const auto x = image(batch, size, channels);
    emo::nn::TfjsRunContext context;
    for (auto _ : state) {
        auto out = graph.run({{input, x}}, graph.output_names(), context);
        benchmark::DoNotOptimize(out.front().floats.data());
    }
    state.SetItemsProcessed(state.iterations() * batch);
}

void BM_Emotion(benchmark::State& state) { run_model(state, "emotion", "input_1", 64, 1); }
BENCHMARK(BM_Emotion)->Arg(1)->Arg(32)->ArgName("batch")->Unit(benchmark::kMillisecond);

void BM_Blazeface(benchmark::State& state) { run_model(state, "blazeface", "input", 256, 3); }
BENCHMARK(BM_Blazeface)->Arg(1)->ArgName("batch")->Unit(benchmark::kMillisecond);

void BM_FacemeshDetectionShort(benchmark::State& state) {
    run_model(state, "facemesh-detection-short", "input", 128, 3);
}
BENCHMARK(BM_FacemeshDetectionShort)->Arg(1)->ArgName("batch")->Unit(benchmark::kMillisecond);

// The expression model's dense 3x3 convolutions: 32 -> 64 channels, 31x31 -> 29x29 (VALID), and 256 -> 7 over 8x8
// (SAME), with the direct convolution's multiply-adds counted for GFLOP/s.
void BM_Winograd3x3(benchmark::State& state) {
    if (!emo::nn::winograd_supported()) {
        state.SkipWithError("no AVX2 and FMA here");
        return;
    }
    const bool first = state.range(0) == 0;
    const std::size_t in = first ? 32 : 256, out = first ? 64 : 7;
    emo::nn::Conv3x3Shape s;
    s.batch = 1;
    s.channels = static_cast<std::int64_t>(in);
    s.height = s.width = first ? 31 : 8;
    s.out_height = s.out_width = first ? 29 : 8;
    s.pad_top = s.pad_left = first ? 0 : 1;
    const auto x = image(1, s.height, static_cast<std::int64_t>(in));
    const std::vector<float> filter(9 * in * out, 0.01f), bias(out, 0.0f);
    const auto w = emo::nn::pack_winograd(filter.data(), bias.data(), in, out);
    std::vector<float> y(static_cast<std::size_t>(s.out_height * s.out_width) * out);
    for (auto _ : state) {
        emo::nn::winograd_conv3x3(x.floats.data(), s, w, y.data(), 0.0f, INFINITY);
        benchmark::DoNotOptimize(y.data());
    }
    state.counters["GFLOP/s"] =
        benchmark::Counter(2.0 * static_cast<double>(s.out_height * s.out_width) * 9.0 * static_cast<double>(in * out),
                           benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Winograd3x3)->Arg(0)->Arg(1)->ArgName("layer")->Unit(benchmark::kMicrosecond);

// BlazeFace's 3x3 depthwise convolutions at stride 1 (SAME), one per stage: 128x128x24, 64x64x24, 32x32x48 and
// 16x16x96, each run alone (its input fresh in the cache, unlike inside the model).
void BM_Depthwise3x3(benchmark::State& state) {
    const std::int64_t side = 128 >> state.range(0),
                       channels = std::int64_t{24} << std::max<std::int64_t>(state.range(0) - 1, 0);
    emo::nn::Conv3x3Shape s;
    s.batch = 1;
    s.height = s.width = s.out_height = s.out_width = side;
    s.channels = channels;
    s.pad_top = s.pad_left = 1;
    const auto x = image(1, side, channels);
    const std::vector<float> filter(static_cast<std::size_t>(9 * channels), 0.1f);
    std::vector<float> y(x.floats.size());
    for (auto _ : state) {
        emo::nn::depthwise3x3(x.floats.data(), s, filter.data(), y.data());
        benchmark::DoNotOptimize(y.data());
    }
    state.counters["GFLOP/s"] = benchmark::Counter(2.0 * 9.0 * static_cast<double>(x.floats.size()),
                                                   benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Depthwise3x3)->DenseRange(0, 3)->ArgName("stage")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
