#include "train/skipgram.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

namespace emo::train {

namespace {

// splitmix64: tiny, fast, and good enough for sampling; one per thread keeps runs reproducible.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n) for n < 2^32, by the multiply-shift method (no division in the inner loop).
    std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32); }
    float uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }

private:
    std::uint64_t state_;
};

// The logistic function is the inner loop's only transcendental, so it is read from a table over [-max, max].
class Sigmoid {
public:
    static constexpr float max = 6.0f;
    Sigmoid() {
        for (std::size_t i = 0; i < size; ++i) {
            double x = (static_cast<double>(i) / (size - 1) * 2 - 1) * max;
            table_[i] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
        }
    }
    float operator()(float x) const {
        if (x >= max) return 1.0f;
        if (x <= -max) return 0.0f;
        return table_[static_cast<std::size_t>((x + max) * ((size - 1) / (2 * max)))];
    }

private:
    static constexpr std::size_t size = 1024;
    float table_[size];
};

float dot(const float* __restrict a, const float* __restrict b, std::size_t n) {
    // Eight partial sums let the compiler keep several multiply-adds in flight (and vectorise at -O3).
    float s[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (std::size_t k = 0; k < 8; ++k) s[k] += a[i + k] * b[i + k];
    float total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (; i < n; ++i) total += a[i] * b[i];
    return total;
}

void axpy(float alpha, const float* __restrict x, float* __restrict y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// Noise words are drawn with probability proportional to count^0.75 from a table where each word fills its share.
std::vector<std::int32_t> noise_table(const std::vector<std::int64_t>& counts) {
    const std::size_t size = std::clamp<std::size_t>(counts.size() * 100, 1 << 16, 10'000'000);
    double total = 0;
    for (auto c : counts) total += std::pow(static_cast<double>(c), 0.75);
    std::vector<std::int32_t> table(size);
    std::size_t word = 0;
    double cumulative = std::pow(static_cast<double>(counts[0]), 0.75) / total;
    for (std::size_t i = 0; i < size; ++i) {
        table[i] = static_cast<std::int32_t>(word);
        if (static_cast<double>(i + 1) / size > cumulative && word + 1 < counts.size()) {
            ++word;
            cumulative += std::pow(static_cast<double>(counts[word]), 0.75) / total;
        }
    }
    return table;
}

// Probability (scaled to 2^32) of keeping each occurrence of a word: (sqrt(f/tN) + 1) * tN/f, as in word2vec, so
// very frequent words ("the", ",") are mostly skipped while rare ones are always kept.
std::vector<std::uint64_t> keep_thresholds(const std::vector<std::int64_t>& counts, double sample,
                                           std::size_t total_words) {
    std::vector<std::uint64_t> keep(counts.size(), 1ull << 32);
    if (sample <= 0) return keep;
    const double tn = sample * static_cast<double>(total_words);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        double f = static_cast<double>(counts[i]);
        double p = (std::sqrt(f / tn) + 1) * tn / f;
        if (p < 1) keep[i] = static_cast<std::uint64_t>(p * 4294967296.0);
    }
    return keep;
}

std::string format_duration(double seconds) {
    auto s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
    else std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
    return buf;
}

class Trainer {
public:
    Trainer(const TokenCorpus& corpus, const SkipGramOptions& options)
        : corpus_(corpus), opt_(options), vocab_(corpus.words.size()), dim_(options.dim) {
        Rng init(opt_.seed ^ 0x5eed5eed5eedull);
        input_.resize(vocab_ * dim_);
        for (auto& v : input_) v = (init.uniform() - 0.5f) / static_cast<float>(dim_);
        output_.assign(vocab_ * dim_, 0.0f);  // zero output vectors: the first updates move only them
        noise_ = noise_table(corpus_.counts);
        keep_ = keep_thresholds(corpus_.counts, opt_.sample, corpus_.tokens.size());
        total_ = static_cast<std::uint64_t>(corpus_.tokens.size()) * opt_.epochs;
    }

    text::WordVectors run() {
        start_ = std::chrono::steady_clock::now();
        last_report_ = start_;
        std::vector<std::thread> workers;
        std::vector<std::exception_ptr> errors(opt_.threads);
        for (std::size_t t = 0; t < opt_.threads; ++t)
            workers.emplace_back([this, t, &errors] {
                try {
                    work(t);
                } catch (...) {
                    errors[t] = std::current_exception();
                }
            });
        for (auto& w : workers) w.join();
        for (auto& e : errors)
            if (e) std::rethrow_exception(e);
        if (opt_.progress) {
            double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
            char buf[160];
            std::snprintf(buf, sizeof buf, "pretrain: trained %.1fM words in %s (%.0fk words/s)\n", total_ / 1e6,
                          format_duration(secs).c_str(), total_ / 1e3 / std::max(secs, 1e-9));
            *opt_.progress << buf << std::flush;
        }
        return text::WordVectors(corpus_.words, std::move(input_), dim_);
    }

private:
    // Thread `t` owns a contiguous run of sentences holding about 1/threads of the tokens.
    std::size_t first_sentence(std::size_t t) const {
        const auto& ends = corpus_.sentence_ends;
        auto target = corpus_.tokens.size() * t / opt_.threads;
        return static_cast<std::size_t>(std::upper_bound(ends.begin(), ends.end(), target) - ends.begin());
    }

    void work(std::size_t t) {
        Rng rng(opt_.seed * 0x9e3779b97f4a7c15ull + t + 1);
        const auto& ends = corpus_.sentence_ends;
        const std::size_t s_begin = t == 0 ? 0 : first_sentence(t);
        const std::size_t s_end = t + 1 == opt_.threads ? ends.size() : first_sentence(t + 1);
        std::vector<std::int32_t> sentence;
        std::vector<float> grad(dim_);
        std::uint64_t pending = 0;  // words not yet added to the shared counter
        float alpha = static_cast<float>(opt_.learning_rate);
        for (std::size_t epoch = 0; epoch < opt_.epochs; ++epoch) {
            for (std::size_t s = s_begin; s < s_end; ++s) {
                const std::size_t from = s == 0 ? 0 : ends[s - 1], to = ends[s];
                sentence.clear();
                for (std::size_t i = from; i < to; ++i) {
                    auto w = corpus_.tokens[i];
                    if (keep_[w] > (rng.next() & 0xffffffffull)) sentence.push_back(w);
                }
                pending += to - from;
                if (pending >= 10000) {
                    // The rate decays with the progress of all threads together, as one schedule over the run.
                    auto done = processed_.fetch_add(pending, std::memory_order_relaxed) + pending;
                    pending = 0;
                    alpha = static_cast<float>(opt_.learning_rate *
                                               std::max(1.0 - static_cast<double>(done) / (total_ + 1), 1e-4));
                    if (t == 0) report(done, alpha);
                }
                train_sentence(sentence, alpha, rng, grad.data());
            }
        }
        processed_.fetch_add(pending, std::memory_order_relaxed);
    }

    void train_sentence(const std::vector<std::int32_t>& sentence, float alpha, Rng& rng, float* grad) {
        const auto n = static_cast<std::ptrdiff_t>(sentence.size());
        const auto window = static_cast<std::uint32_t>(opt_.window);
        for (std::ptrdiff_t i = 0; i < n; ++i) {
            // A window drawn from 1..window weighs near contexts more, as word2vec does.
            const auto reach = static_cast<std::ptrdiff_t>(window - rng.below(window));
            for (std::ptrdiff_t j = std::max<std::ptrdiff_t>(0, i - reach); j <= std::min(n - 1, i + reach); ++j)
                if (j != i) train_pair(sentence[i], sentence[j], alpha, rng, grad);
        }
    }

    // One step on log sigma(u_c . v_w) + sum over noise words n of log sigma(-u_n . v_w).
    // Threads update the shared matrices without locks ("hogwild"): collisions are rare and only add noise.
    void train_pair(std::int32_t word, std::int32_t context, float alpha, Rng& rng, float* grad) {
        float* v = input_.data() + static_cast<std::size_t>(word) * dim_;
        std::fill(grad, grad + dim_, 0.0f);
        for (std::size_t k = 0; k <= opt_.negatives; ++k) {
            std::int32_t target = context;
            float label = 1.0f;
            if (k > 0) {
                target = noise_[rng.below(static_cast<std::uint32_t>(noise_.size()))];
                if (target == context) continue;
                label = 0.0f;
            }
            float* u = output_.data() + static_cast<std::size_t>(target) * dim_;
            const float g = (label - sigmoid_(dot(v, u, dim_))) * alpha;
            axpy(g, u, grad, dim_);
            axpy(g, v, u, dim_);
        }
        axpy(1.0f, grad, v, dim_);
    }

    void report(std::uint64_t done, float alpha) {
        if (!opt_.progress) return;
        auto now = std::chrono::steady_clock::now();
        if (now - last_report_ < std::chrono::seconds(5)) return;
        last_report_ = now;
        double secs = std::chrono::duration<double>(now - start_).count();
        double rate = done / std::max(secs, 1e-9);
        double fraction = static_cast<double>(done) / std::max<std::uint64_t>(total_, 1);
        char buf[160];
        std::snprintf(buf, sizeof buf, "pretrain: %5.1f%%  %.0fk words/s  lr %.5f  ETA %s\n", 100 * fraction,
                      rate / 1e3, alpha, format_duration((total_ - std::min(done, total_)) / std::max(rate, 1.0)).c_str());
        *opt_.progress << buf << std::flush;
    }

    const TokenCorpus& corpus_;
    const SkipGramOptions& opt_;
    const std::size_t vocab_, dim_;
    std::vector<float> input_, output_;
    std::vector<std::int32_t> noise_;
    std::vector<std::uint64_t> keep_;
    std::uint64_t total_ = 0;
    std::atomic<std::uint64_t> processed_{0};
    Sigmoid sigmoid_;
    std::chrono::steady_clock::time_point start_, last_report_;
};

}  // namespace

text::WordVectors train_skipgram(const TokenCorpus& corpus, const SkipGramOptions& options) {
    if (options.dim == 0 || options.dim > 4096) throw Error("pretrain: dim must be in 1..4096");
    if (options.window == 0 || options.window > 1000) throw Error("pretrain: window must be in 1..1000");
    if (options.negatives > 1000) throw Error("pretrain: negatives must be at most 1000");
    if (options.epochs == 0) throw Error("pretrain: epochs must be at least 1");
    if (options.threads == 0 || options.threads > 256) throw Error("pretrain: threads must be in 1..256");
    if (!(options.learning_rate > 0)) throw Error("pretrain: learning rate must be positive");
    if (corpus.words.empty() || corpus.tokens.empty())
        throw Error("pretrain: the corpus has no words left after the vocabulary cut (lower --min-count?)");
    if (corpus.counts.size() != corpus.words.size() || corpus.sentence_ends.empty() ||
        corpus.sentence_ends.back() != corpus.tokens.size())
        throw Error("pretrain: inconsistent token corpus");
    for (auto c : corpus.counts)
        if (c < 1) throw Error("pretrain: vocabulary word with a count below 1");
    for (auto id : corpus.tokens)
        if (id < 0 || static_cast<std::size_t>(id) >= corpus.words.size())
            throw Error("pretrain: token id out of range");
    Trainer trainer(corpus, options);
    return trainer.run();
}

}  // namespace emo::train
