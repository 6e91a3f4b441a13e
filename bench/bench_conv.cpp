// Speed of `emo conv` with the built-in model over MELD dev: reading, tokenising, features, model and JSON output,
// one thread, process start excluded. Also the model load time and the peak resident memory of the process.
#include <emo/emo.hpp>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

const std::string meld_dev = EMO_SOURCE_DIR "/../shared/data/meld/dev_sent_emo.csv";
const std::string model_dir = EMO_SOURCE_DIR "/models/conv-meld";

double peak_resident_mb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

void BM_ModelLoad(benchmark::State& state) {
    for (auto _ : state) {
        auto model = emo::Model::load(model_dir);
        benchmark::DoNotOptimize(model.labels().size());
    }
}
BENCHMARK(BM_ModelLoad)->Unit(benchmark::kMillisecond);

void BM_ConvMeldDev(benchmark::State& state) {
    if (!std::filesystem::exists(meld_dev)) {
        state.SkipWithError("MELD dev is absent (../shared/data/meld)");
        return;
    }
    auto model = emo::Model::load(model_dir);
    emo::ConvOptions options;
    options.online = state.range(0) != 0;
    std::size_t utterances = 0;
    for (auto _ : state) {
        std::ostringstream out;
        for (const auto& conversation : emo::read_conversations(meld_dev)) {
            for (const auto& r : model.analyze(conversation, options)) {
                out << emo::to_json(r) << '\n';
                ++utterances;
            }
        }
        benchmark::DoNotOptimize(out.str().size());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(utterances));
    state.counters["peak_rss_MB"] = peak_resident_mb();
}
BENCHMARK(BM_ConvMeldDev)->Arg(0)->Arg(1)->ArgName("online")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
