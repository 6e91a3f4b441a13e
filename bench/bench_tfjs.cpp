// Speed of the TF.js graph-model executor (src/nn/tfjs_executor) on the committed face models, one thread, a run
// context kept between calls (as a caller processing many images does): the expression model on 64x64 crops (batch
// 1 and 32), BlazeFace on one 256x256 image, facemesh-detection-short on one 128x128 image.
#include "nn/dense_layer.hpp"
#include "nn/tfjs_executor.hpp"

#include <benchmark/benchmark.h>

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

}  // namespace

BENCHMARK_MAIN();
