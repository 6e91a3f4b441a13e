// Speed of the emotion-cause model (models/causes-reccon): finding the causes and their spans for a
// 20-utterance conversation, one thread. The worst case is timed: every utterance non-neutral, so every one is a
// target with all its earlier utterances as candidates (210 pairs). Also the whole RECCON valid split.
#include <emo/emo.hpp>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

namespace {

const std::string model_dir = EMO_SOURCE_DIR "/models/causes-reccon";
const std::string reccon_valid = EMO_SOURCE_DIR "/../shared/data/reccon/original_annotation/dailydialog_valid.json";

emo::Conversation twenty_utterances() {
    const char* lines[] = {
        "I can't believe it , they finally called me back about the job at the bank !",
        "Really ? That's wonderful news , you must be so happy after all those interviews .",
        "I am , but I'm also nervous because I have to move to another city next month .",
        "Moving is hard , but you'll make new friends quickly , you always do .",
        "I hope so . I'll miss our Friday dinners though , they were the best part of my week .",
    };
    const char* emotions[] = {"happiness", "surprise", "fear", "happiness", "sadness"};
    emo::Conversation c;
    c.id = "bench";
    for (int i = 0; i < 20; ++i) {
        emo::Utterance u;
        u.speaker = i % 2 ? "B" : "A";
        u.text = lines[i % 5];
        u.label = emotions[i % 5];
        c.utterances.push_back(u);
    }
    return c;
}

void BM_CausesTwentyUtterances(benchmark::State& state) {
    const auto model = emo::CauseModel::load(model_dir);
    const auto conversation = twenty_utterances();
    emo::CauseOptions options;
    options.gold_emotions = true;
    for (auto _ : state) {
        std::vector<emo::Result> results(conversation.utterances.size());
        model.find_causes(conversation, results, options);
        benchmark::DoNotOptimize(results.back().causes->size());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_CausesTwentyUtterances)->Unit(benchmark::kMicrosecond);

void BM_CausesReccon(benchmark::State& state) {
    if (!std::filesystem::exists(reccon_valid)) {
        state.SkipWithError("RECCON is absent (../shared/data/reccon)");
        return;
    }
    const auto model = emo::CauseModel::load(model_dir);
    const auto conversations = emo::read_conversations(reccon_valid);
    emo::CauseOptions options;
    options.gold_emotions = true;
    std::size_t dialogues = 0;
    for (auto _ : state) {
        for (const auto& conversation : conversations) {
            std::vector<emo::Result> results(conversation.utterances.size());
            model.find_causes(conversation, results, options);
            benchmark::DoNotOptimize(results.size());
            ++dialogues;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(dialogues));
}
BENCHMARK(BM_CausesReccon)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
