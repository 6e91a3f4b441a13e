// emo::train_conversation_model: trains the stacked conversation model (dialog/conv_model.hpp) on a labelled file.
#include "dialog/conv_model.hpp"
#include "train/calibration.hpp"
#include "train/linear_fit.hpp"
#include "train/progress.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <thread>

namespace emo {

namespace {

using train::Clock;
using train::progress;

constexpr unsigned folds = 5;
// Penalties as inverse regularisation strengths C (sklearn's convention: l2 = 1 / (C * utterances)), so they carry
// over between data sets of different sizes. Chosen on MELD dev among stage-1 C 0.3..30 and stage-2 C 0.003..0.1
// (models/conv-meld/MODEL_CARD.md); the chosen pair is also within 0.001 of the best train out-of-fold weighted-F1.
constexpr double stage1_c = 1.0;
constexpr double stage2_c = 1.0 / 30;
constexpr float vector_scale = 1.0f;
constexpr std::size_t max_vector_words = 60000;

struct Corpus {
    std::vector<Conversation> dialogues;
    std::vector<std::size_t> dialogue_of;  // per utterance
    std::vector<const Utterance*> utterances;
};

// With ErrorPolicy::skip, unreadable and unlabelled records are left out (and counted on stderr); otherwise an
// unlabelled utterance is an error, reported by label_ids.
Corpus flatten(std::vector<Conversation> dialogues, const std::string& path, const ReadOptions& read, bool verbose) {
    Corpus c;
    c.dialogues = std::move(dialogues);
    std::size_t skipped = 0;
    for (std::size_t d = 0; d < c.dialogues.size(); ++d)
        for (const auto& u : c.dialogues[d].utterances) {
            if (!u.error.empty() || (read.on_error == ErrorPolicy::skip && u.label.empty())) {
                ++skipped;
                continue;
            }
            c.utterances.push_back(&u);
            c.dialogue_of.push_back(d);
        }
    if (skipped && verbose)
        std::fprintf(stderr, "%s: left out %zu unreadable or unlabelled utterances (--on-error skip)\n", path.c_str(),
                     skipped);
    if (c.utterances.empty()) throw Error(path + ": no usable utterances");
    return c;
}

std::vector<int> label_ids(const Corpus& c, const std::vector<std::string>& labels, bool sentiment,
                           const std::string& role) {
    std::vector<int> ids;
    for (const Utterance* u : c.utterances) {
        const std::string& l = sentiment ? u->sentiment : u->label;
        auto it = std::find(labels.begin(), labels.end(), l);
        if (l.empty()) throw Error(u->source + ": utterance has no " + (sentiment ? "sentiment" : "label"));
        if (it == labels.end())
            throw Error(u->source + ": " + role + " label '" + l + "' never occurs in the training data");
        ids.push_back(static_cast<int>(it - labels.begin()));
    }
    return ids;
}

// Stage-1 rows and first-stage probabilities of a corpus under a given model.
std::vector<core::SparseRow> stage1_rows(const dialog::ConvModel& m, const Corpus& c) {
    std::vector<core::SparseRow> rows;
    rows.reserve(c.utterances.size());
    for (const Utterance* u : c.utterances) {
        try {
            rows.push_back(m.encoder.row(m.encoder.featurizer.transform(u->text)));
        } catch (const Error& e) {
            throw Error(u->source + ": " + e.what());
        }
    }
    return rows;
}

core::LinearModel fit(const std::vector<core::SparseRow>& rows, const std::vector<int>& y,
                      const std::vector<std::size_t>& subset, std::uint32_t classes, std::uint32_t dim, double l2,
                      unsigned threads) {
    train::LabelledRows data;
    for (auto i : subset) {
        data.rows.push_back(&rows[i]);
        data.labels.push_back(y[i]);
    }
    train::FitOptions options;
    options.l2 = l2;
    options.threads = threads;
    return train::fit_linear(data, classes, dim, options);
}

// Context rows of every utterance, dialogue by dialogue, from per-utterance first-stage probabilities.
std::vector<core::SparseRow> context_rows(const dialog::ContextLayout& layout, const Corpus& c,
                                          const std::vector<std::vector<double>>& probs, bool online) {
    std::vector<core::SparseRow> out;
    out.reserve(probs.size());
    for (std::size_t i = 0; i < probs.size();) {
        std::size_t j = i;
        while (j < probs.size() && c.dialogue_of[j] == c.dialogue_of[i]) ++j;
        std::vector<std::vector<double>> p(probs.begin() + i, probs.begin() + j);
        std::vector<std::string> speakers;
        for (std::size_t k = i; k < j; ++k) speakers.push_back(c.utterances[k]->speaker);
        auto rows = dialog::context_rows(layout, p, speakers, online);
        for (auto& r : rows) out.push_back(std::move(r));
        i = j;
    }
    return out;
}

std::vector<int> predict(const dialog::StageTwo& stage, const std::vector<core::SparseRow>& rows) {
    std::vector<int> out;
    for (const auto& r : rows) {
        auto z = stage.emotion_logits(r);
        out.push_back(static_cast<int>(std::max_element(z.begin(), z.end()) - z.begin()));
    }
    return out;
}

}  // namespace

void train_conversation_model(const TrainOptions& options) {
    const auto start = Clock::now();
    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    const bool verbose = options.verbose;

    Corpus train = flatten(read_conversations(options.train_path, options.read), options.train_path, options.read, verbose);
    progress(verbose, start, "read %zu utterances in %zu dialogues from %s", train.utterances.size(),
             train.dialogues.size(), options.train_path.c_str());

    dialog::ConvModel m;
    std::set<std::string> label_set, sentiment_set;
    bool all_sentiment = true;
    for (const Utterance* u : train.utterances) {
        if (u->label.empty()) throw Error(u->source + ": utterance has no label");
        label_set.insert(u->label);
        if (u->sentiment.empty()) all_sentiment = false;
        else sentiment_set.insert(u->sentiment);
    }
    if (label_set.size() < 2) throw Error(options.train_path + ": training needs at least two distinct labels");
    m.labels.assign(label_set.begin(), label_set.end());
    if (all_sentiment && sentiment_set.size() >= 2) m.sentiment_labels.assign(sentiment_set.begin(), sentiment_set.end());
    const auto k = static_cast<std::uint32_t>(m.labels.size());
    const auto s = static_cast<std::uint32_t>(m.sentiment_labels.size());
    const auto y = label_ids(train, m.labels, false, "training");
    const auto y_sent = s ? label_ids(train, m.sentiment_labels, true, "training") : std::vector<int>{};

    // Read the dev file before the long work, so a label it has and training lacks fails fast.
    std::optional<Corpus> dev;
    std::vector<int> y_dev;
    if (!options.dev_path.empty()) {
        dev = flatten(read_conversations(options.dev_path, options.read), options.dev_path, options.read, verbose);
        y_dev = label_ids(*dev, m.labels, false, "dev");
    }

    std::vector<std::string> texts;
    for (const Utterance* u : train.utterances) texts.push_back(u->text);
    m.encoder.featurizer.fit(texts);
    if (!options.vectors_path.empty()) {
        auto vectors = text::WordVectors::load(options.vectors_path);
        m.encoder.vectors = std::make_shared<const text::WordVectors>(
            vectors.prune([](std::string_view) { return true; }, max_vector_words));
        m.encoder.vector_scale = vector_scale;
        progress(verbose, start, "word vectors: %zu words x %zu dims from %s", m.encoder.vectors->size(), m.encoder.vectors->dim(),
                 options.vectors_path.c_str());
    }
    const auto dim1 = m.encoder.dimension();
    const double stage1_l2 = 1.0 / (stage1_c * static_cast<double>(train.utterances.size()));
    const double stage2_l2 = 1.0 / (stage2_c * static_cast<double>(train.utterances.size()));
    const auto rows = stage1_rows(m, train);

    // Out-of-fold first-stage probabilities: the second stage must learn from probabilities as noisy as the ones it
    // will see on new dialogues. Folds split by dialogue so that no dialogue sees itself.
    std::vector<unsigned> fold_of_dialogue(train.dialogues.size());
    {
        std::vector<std::size_t> order(train.dialogues.size());
        std::iota(order.begin(), order.end(), 0);
        std::mt19937 rng(options.seed);
        std::shuffle(order.begin(), order.end(), rng);
        for (std::size_t i = 0; i < order.size(); ++i) fold_of_dialogue[order[i]] = static_cast<unsigned>(i % folds);
    }
    std::vector<std::vector<double>> oof(train.utterances.size());
    for (unsigned f = 0; f < folds; ++f) {
        std::vector<std::size_t> fit_set, held;
        for (std::size_t i = 0; i < train.utterances.size(); ++i)
            (fold_of_dialogue[train.dialogue_of[i]] == f ? held : fit_set).push_back(i);
        dialog::ConvModel fold_model;
        fold_model.stage1_emotion = fit(rows, y, fit_set, k, dim1, stage1_l2, threads);
        if (s) fold_model.stage1_sentiment = fit(rows, y_sent, fit_set, s, dim1, stage1_l2, threads);
        for (auto i : held) oof[i] = fold_model.stage1_probs(rows[i]);
        progress(verbose, start, "stage 1: fold %u of %u done", f + 1, folds);
    }
    std::vector<std::size_t> all(train.utterances.size());
    std::iota(all.begin(), all.end(), 0);
    m.stage1_emotion = fit(rows, y, all, k, dim1, stage1_l2, threads);
    if (s) m.stage1_sentiment = fit(rows, y_sent, all, s, dim1, stage1_l2, threads);
    progress(verbose, start, "stage 1: final models done");

    m.layout.per_utterance = k + s;
    const auto dim2 = m.layout.dimension();
    for (bool online : {false, true}) {
        dialog::StageTwo& stage = online ? m.online : m.offline;
        auto ctx = context_rows(m.layout, train, oof, online);
        stage.emotion = fit(ctx, y, all, k, dim2, stage2_l2, threads);
        if (s) stage.sentiment = fit(ctx, y_sent, all, s, dim2, stage2_l2, threads);
        // Offsets for weighted-F1 from out-of-fold second-stage logits on the training data (never from dev).
        std::vector<std::vector<double>> logits(all.size());
        for (unsigned f = 0; f < folds; ++f) {
            std::vector<std::size_t> fit_set, held;
            for (auto i : all) (fold_of_dialogue[train.dialogue_of[i]] == f ? held : fit_set).push_back(i);
            auto fold_model = fit(ctx, y, fit_set, k, dim2, stage2_l2, threads);
            for (auto i : held) logits[i] = fold_model.logits(ctx[i]);
        }
        stage.emotion_offsets = train::fit_offsets(logits, y, k);
        progress(verbose, start, "stage 2 (%s): done; train out-of-fold weighted-F1 %.4f -> %.4f with offsets",
                 online ? "online" : "offline", train::weighted_f1_with_offsets(logits, y, std::vector<double>(k, 0.0)),
                 train::weighted_f1_with_offsets(logits, y, stage.emotion_offsets));
    }

    nlohmann::json info;
    info["training"] = {{"train", options.train_path}, {"dev", options.dev_path},
                        {"utterances", train.utterances.size()}, {"seed", options.seed},
                        {"vectors", options.vectors_path}};
    if (dev) {
        auto dev_rows = stage1_rows(m, *dev);
        std::vector<std::vector<double>> dev_probs;
        for (const auto& r : dev_rows) dev_probs.push_back(m.stage1_probs(r));
        for (bool online : {false, true}) {
            const auto& stage = online ? m.online : m.offline;
            auto pred = predict(stage, context_rows(m.layout, *dev, dev_probs, online));
            std::vector<std::string> gold_names, pred_names;
            for (std::size_t i = 0; i < pred.size(); ++i) {
                gold_names.push_back(m.labels[y_dev[i]]);
                pred_names.push_back(m.labels[pred[i]]);
            }
            auto report = evaluate(gold_names, pred_names, m.labels);
            const char* mode = online ? "online" : "offline";
            info["dev_metrics"][mode] = {{"accuracy", report.accuracy},
                                         {"weighted_f1", report.weighted_f1},
                                         {"macro_f1", report.macro_f1}};
            progress(verbose, start, "dev (%s): accuracy %.4f, weighted-F1 %.4f, macro-F1 %.4f", mode,
                     report.accuracy, report.weighted_f1, report.macro_f1);
        }
    }
    m.info = info;
    dialog::save_conv_model(m, options.out_dir);
    progress(verbose, start, "model written to %s", options.out_dir.c_str());
}

}  // namespace emo
