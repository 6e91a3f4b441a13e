// Speed of emo's transformer encoder on a checkpoint directory named by $EMO_BENCH_CHECKPOINT, in int8 where
// $EMO_BENCH_INT8 is 1, in bf16 where $EMO_BENCH_BF16 is 1 (bench/transformer_speed.sh makes RoBERTa-base- and
// DistilRoBERTa-base-shaped random ones and runs the peers beside it): sequences of 64 tokens, batches of 1 and 32, 1
// and 2 threads; classifier logits, tokenisation excluded. Sequences per second are the items per second.
#include "nn/encoder_model.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

const emo::nn::EncoderModel* checkpoint() {
    static std::unique_ptr<emo::nn::EncoderModel> model = [] {
        const char* dir = std::getenv("EMO_BENCH_CHECKPOINT");
        const char* int8 = std::getenv("EMO_BENCH_INT8");
        const char* bf16 = std::getenv("EMO_BENCH_BF16");
        const auto precision = int8 && std::string(int8) == "1"   ? emo::nn::Precision::int8
                               : bf16 && std::string(bf16) == "1" ? emo::nn::Precision::bf16
                                                                  : emo::nn::Precision::float32;
        return dir ? std::make_unique<emo::nn::EncoderModel>(emo::nn::EncoderModel::load(dir, precision)) : nullptr;
    }();
    return model.get();
}

// range(0): batch size; range(1): threads.
void BM_TransformerLogits(benchmark::State& state) {
    const auto* model = checkpoint();
    if (!model) {
        state.SkipWithError("set EMO_BENCH_CHECKPOINT to a checkpoint directory");
        return;
    }
    const auto batch_size = static_cast<std::size_t>(state.range(0));
    emo::nn::set_threads(static_cast<int>(state.range(1)));
    std::mt19937 random(1);
    std::uniform_int_distribution<std::int32_t> id(5, static_cast<std::int32_t>(model->config().vocab_size) - 1);
    emo::nn::TokenBatch batch;
    for (std::size_t s = 0; s < batch_size; ++s) {
        std::vector<std::int32_t> ids(64);
        for (auto& v : ids) v = id(random);
        ids.front() = 0;
        ids.back() = 2;
        batch.add(ids);
    }
    for (auto _ : state) benchmark::DoNotOptimize(model->logits(batch).data());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch_size));
}
BENCHMARK(BM_TransformerLogits)
    ->ArgsProduct({{1, 32}, {1, 2}})
    ->ArgNames({"batch", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3.0);

// Not a speed: how often int8 (or bf16) keeps float32's top label, over 1,000 random token sequences of 8 to 64
// tokens (the bar asks 99% of 1,000 texts; random ids stand in for texts, since hf_reference.py's RoBERTa
// checkpoints come without a tokenizer). Reported as the counter "agreement"; run with --benchmark_filter=Agreement.
// Beside it, to judge how demanding the set is: "logit_error" (root mean square of the logits' differences over
// that of the float32 logits, both centred on each text's mean logit), "margin_p01/p05/p10" (percentiles of the float32
// margin between the top two logits, over the root mean square of the logits) and "flips_below_p10" (disagreements
// among the texts whose margin is under margin_p10).
void top_label_agreement(benchmark::State& state, emo::nn::Precision precision) {
    const char* dir = std::getenv("EMO_BENCH_CHECKPOINT");
    if (!dir) {
        state.SkipWithError("set EMO_BENCH_CHECKPOINT to a checkpoint directory");
        return;
    }
    if (precision == emo::nn::Precision::bf16 && !emo::nn::bf16_supported()) {
        state.SkipWithError("this CPU has no bf16 instructions");
        return;
    }
    const auto full = emo::nn::EncoderModel::load(dir, emo::nn::Precision::float32);
    const auto other = emo::nn::EncoderModel::load(dir, precision);
    std::mt19937 random(7);
    std::uniform_int_distribution<std::int32_t> id(5, static_cast<std::int32_t>(full.config().vocab_size) - 1);
    std::uniform_int_distribution<std::size_t> length(8, 64);
    std::size_t same = 0, total = 0;
    double squares = 0, error_squares = 0;
    std::vector<std::pair<double, bool>> margins;  // float32 margin, agreed
    for (auto _ : state) {
        for (int b = 0; b < 1000 / 25; ++b) {
            emo::nn::TokenBatch batch;
            for (int s = 0; s < 25; ++s) {
                std::vector<std::int32_t> ids(length(random));
                for (auto& v : ids) v = id(random);
                ids.front() = 0;
                ids.back() = 2;
                batch.add(ids);
            }
            const auto a = full.logits(batch), q = other.logits(batch);
            const auto k = static_cast<std::ptrdiff_t>(full.labels().size());
            for (std::ptrdiff_t s = 0; s < static_cast<std::ptrdiff_t>(batch.size()); ++s) {
                const auto top = [&](const std::vector<float>& l) {
                    return std::max_element(l.begin() + s * k, l.begin() + (s + 1) * k) - (l.begin() + s * k);
                };
                const bool agreed = top(a) == top(q);
                same += agreed;
                ++total;
                std::vector<float> sorted(a.begin() + s * k, a.begin() + (s + 1) * k);
                std::sort(sorted.rbegin(), sorted.rend());
                margins.emplace_back(k > 1 ? sorted[0] - sorted[1] : 0.0, agreed);
                // Centred on each text's mean logit: a shift of all its logits together changes no label.
                double mean_a = 0, mean_d = 0;
                for (std::ptrdiff_t j = s * k; j < (s + 1) * k; ++j) {
                    mean_a += a[j] / double(k);
                    mean_d += (double(a[j]) - q[j]) / double(k);
                }
                for (std::ptrdiff_t j = s * k; j < (s + 1) * k; ++j) {
                    squares += (a[j] - mean_a) * (a[j] - mean_a);
                    const double d = double(a[j]) - q[j] - mean_d;
                    error_squares += d * d;
                }
            }
        }
    }
    state.counters["agreement"] = static_cast<double>(same) / static_cast<double>(total);
    state.counters["logit_error"] = std::sqrt(error_squares / squares);
    const double rms = std::sqrt(squares / static_cast<double>(margins.size() * full.labels().size()));
    std::sort(margins.begin(), margins.end());
    const auto percentile = [&](double p) { return margins[std::size_t(p * double(margins.size()))].first / rms; };
    state.counters["margin_p01"] = percentile(0.01);
    state.counters["margin_p05"] = percentile(0.05);
    state.counters["margin_p10"] = percentile(0.10);
    std::size_t flips = 0;
    for (std::size_t i = 0; i < margins.size() / 10; ++i) flips += !margins[i].second;
    state.counters["flips_below_p10"] = static_cast<double>(flips);
}
void BM_Int8TopLabelAgreement(benchmark::State& state) { top_label_agreement(state, emo::nn::Precision::int8); }
BENCHMARK(BM_Int8TopLabelAgreement)->Iterations(1)->Unit(benchmark::kSecond);
void BM_Bf16TopLabelAgreement(benchmark::State& state) { top_label_agreement(state, emo::nn::Precision::bf16); }
BENCHMARK(BM_Bf16TopLabelAgreement)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
BENCHMARK_MAIN();
