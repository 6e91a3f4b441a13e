// Speed of the speech front-end and model on RAVDESS (actors 1-4, 240 files, decoding included), one thread: `emo
// features` (the 88 eGeMAPS functionals) and `emo audio` end to end (features, built-in model, evidence, JSON). The
// "x_realtime" counter is seconds of audio processed per second: the inverse of the real-time factor.
#include "speech/audio_stream.hpp"

#include <emo/emo.hpp>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

namespace {

const std::string ravdess = EMO_SOURCE_DIR "/../shared/data/ravdess_speech/labels.csv";
const std::string model_dir = EMO_SOURCE_DIR "/models/speech-ravdess";

struct Corpus {
    std::vector<emo::AudioInput> inputs;
    std::vector<std::string> paths;
    double seconds = 0;
};

const Corpus& corpus() {
    static const Corpus c = [] {
        Corpus out;
        if (!std::filesystem::exists(ravdess)) return out;
        for (auto& input : emo::read_audio_list(ravdess)) {
            if (std::stoi(input.speaker) > 4) continue;
            out.seconds += static_cast<double>(emo::speech::read_audio(input.path).size()) / 16000.0;
            out.paths.push_back(input.path);
            input.label.clear();
            out.inputs.push_back(std::move(input));
        }
        return out;
    }();
    return c;
}

void report(benchmark::State& state, double seconds) {
    state.counters["x_realtime"] =
        benchmark::Counter(seconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["files"] = static_cast<double>(corpus().paths.size());
}

void BM_EgemapsFeatures(benchmark::State& state) {
    if (corpus().paths.empty()) return state.SkipWithError("RAVDESS is absent (../shared/data/ravdess_speech)");
    emo::AudioOptions options;
    options.threads = 1;
    for (auto _ : state) benchmark::DoNotOptimize(emo::egemaps_features(corpus().paths, options).size());
    report(state, corpus().seconds);
}
BENCHMARK(BM_EgemapsFeatures)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_EmoAudio(benchmark::State& state) {
    if (corpus().paths.empty()) return state.SkipWithError("RAVDESS is absent (../shared/data/ravdess_speech)");
    const auto model = emo::SpeechModel::load(model_dir);
    emo::AudioOptions options;
    options.threads = 1;
    options.speaker_baseline = state.range(0) != 0;
    std::size_t bytes = 0;
    for (auto _ : state)
        for (const auto& r : model.analyze(corpus().inputs, options)) bytes += emo::to_json(r).size();
    benchmark::DoNotOptimize(bytes);
    report(state, corpus().seconds);
}
BENCHMARK(BM_EmoAudio)->Arg(0)->Arg(1)->ArgName("speaker_baseline")->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
