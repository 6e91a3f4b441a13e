// Speed of `emo face`'s stages on one image, one thread (issue 15's bar (c): the whole of it within 15 ms for a
// 640x480 image with one face): decoding the file, the letterbox resample to BlazeFace's 256x256 input, and the whole
// analysis of the file (decode, detection, crops, expression; BM_AnalyzeFile's time is for 10 images). The image is
// $FACE_BENCH_IMAGE (for instance the detection test's scene0.png: EMO_FACE_SCENES_DIR=DIR build/emo_tests
// --gtest_filter='FaceDetection.Finds*'); without it the benchmarks that need a file are skipped. Run with
// --benchmark_repetitions=N: the minimum is the figure least disturbed by other work on a shared machine.
#include "io/image.hpp"
#include "vision/image_ops.hpp"

#include <emo/faces.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

const char* image_path() { return std::getenv("FACE_BENCH_IMAGE"); }

double minimum(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

void BM_DecodeImage(benchmark::State& state) {
    const char* path = image_path();
    if (!path) return state.SkipWithError("FACE_BENCH_IMAGE is not set");
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto _ : state) {
        auto image = emo::io::decode_image(bytes.data(), bytes.size(), path);
        benchmark::DoNotOptimize(image.rgb.data());
    }
}
BENCHMARK(BM_DecodeImage)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", minimum);

void BM_LetterboxResample(benchmark::State& state) {
    const int width = 640, height = 480;
    emo::io::Image image{width, height, std::vector<std::uint8_t>(width * height * 3)};
    for (std::size_t i = 0; i < image.rgb.size(); ++i) image.rgb[i] = static_cast<std::uint8_t>(i * 2654435761u >> 24);
    const auto square = emo::vision::letterbox_square(width, height);
    for (auto _ : state) {
        auto out = emo::vision::resample(image, square, 256, 256, emo::vision::Pixels::rgb);
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(BM_LetterboxResample)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", minimum);

constexpr int images_per_call = 10;

void BM_AnalyzeFile(benchmark::State& state) {
    const char* path = image_path();
    if (!path) return state.SkipWithError("FACE_BENCH_IMAGE is not set");
    emo::FaceOptions options;
    options.threads = 1;
    const auto model = emo::FaceModel::load(emo::FaceModel::default_directory(), 1);
    // Several files a call, as `emo face` hands them over (in chunks), so that the per-call set-up (the run contexts'
    // first buffers) is spread as there: the time is per call, the items per second are images.
    const std::vector<std::string> paths(images_per_call, path);
    for (auto _ : state) {
        auto results = model.analyze(paths, options);
        benchmark::DoNotOptimize(results.data());
    }
    state.SetItemsProcessed(state.iterations() * images_per_call);
}
BENCHMARK(BM_AnalyzeFile)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", minimum);

}  // namespace

BENCHMARK_MAIN();
