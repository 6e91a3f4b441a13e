// Speed of `emo text` with both built-in models (GoEmotions emotions, EmoBank VAD) over GoEmotions dev: reading,
// normalising, features, both models, evidence and JSON output, one thread, process start excluded. Also the load
// time of the two models.
#include <emo/emo.hpp>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <sstream>
#include <string>

namespace {

const std::string goemotions_dev = EMO_SOURCE_DIR "/../shared/data/goemotions/dev.tsv";
const std::string emotion_dir = EMO_SOURCE_DIR "/models/text-goemotions";
const std::string vad_dir = EMO_SOURCE_DIR "/models/text-emobank";

void BM_TextModelLoad(benchmark::State& state) {
    for (auto _ : state) {
        auto model = emo::TextModel::load(emotion_dir, vad_dir);
        benchmark::DoNotOptimize(model.labels().size());
    }
}
BENCHMARK(BM_TextModelLoad)->Unit(benchmark::kMillisecond);

// range(0): evidence tokens per label (the CLI's default is 3; 0 turns evidence off).
void BM_TextGoEmotionsDev(benchmark::State& state) {
    if (!std::filesystem::exists(goemotions_dev)) {
        state.SkipWithError("GoEmotions dev is absent (../shared/data/goemotions)");
        return;
    }
    const auto model = emo::TextModel::load(emotion_dir, vad_dir);
    emo::TextOptions options;
    options.max_evidence = static_cast<std::size_t>(state.range(0));
    std::size_t texts = 0;
    for (auto _ : state) {
        std::ostringstream out;
        for (const auto& r : model.analyze(emo::read_texts(goemotions_dev), options)) {
            out << emo::to_json(r) << '\n';
            ++texts;
        }
        benchmark::DoNotOptimize(out.str().size());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(texts));
}
BENCHMARK(BM_TextGoEmotionsDev)->Arg(3)->Arg(0)->ArgName("evidence")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
