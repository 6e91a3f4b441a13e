// emo::train_conversation_model: trains the stacked conversation model (dialog/conv_model.hpp) on a labelled file.
#include "dialog/conv_model.hpp"
#include "train/calibration.hpp"
#include "train/linear_fit.hpp"
#include "train/penalty_search.hpp"
#include "train/progress.hpp"
#include "train/sentence_features.hpp"

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
// Penalties as inverse regularisation strengths C (sklearn's convention: l2 = 1 / (C * utterances)), each stage's
// chosen by cross-validation over dialogues on train (weighted-F1 of the out-of-fold predictions): stage 1 over
// 0.125 .. 16, stage 2 (a few dense context features, far less penalty needed) over 1/256 .. 1. MELD's earlier fixed
// pair, chosen on its dev split, was 1 and 1/30 (models/conv-meld/MODEL_CARD.md).
std::vector<double> stage1_c_grid() { return train::doubling_grid(0.125, 16); }
std::vector<double> stage2_c_grid() { return train::doubling_grid(1.0 / 256, 1); }
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

// Stage-1 rows of a corpus under a given model (a checkpoint's embeddings, where the model has one, in chunks with
// progress).
std::vector<core::SparseRow> stage1_rows(const dialog::ConvModel& m, const Corpus& c, bool verbose,
                                         Clock::time_point start) {
    std::vector<core::SparseRow> rows;
    rows.reserve(c.utterances.size());
    const std::size_t chunk = m.encoder.sentence ? 2048 : c.utterances.size();
    for (std::size_t begin = 0; begin < c.utterances.size(); begin += chunk) {
        const auto end = std::min(c.utterances.size(), begin + chunk);
        std::vector<std::string_view> texts;
        for (std::size_t i = begin; i < end; ++i) texts.push_back(c.utterances[i]->text);
        const auto blocks = m.encoder.sentence_blocks(texts);
        for (std::size_t i = begin; i < end; ++i) {
            const Utterance* u = c.utterances[i];
            try {
                rows.push_back(m.encoder.row(m.encoder.featurizer.transform(u->text), blocks[i - begin]));
            } catch (const Error& e) {
                throw Error(u->source + ": " + e.what());
            }
        }
        if (m.encoder.sentence) progress(verbose, start, "utterance rows: %zu of %zu", end, c.utterances.size());
    }
    return rows;
}

// Penalty C in sklearn's convention over the utterances fitted.
core::LinearModel fit(const std::vector<core::SparseRow>& rows, const std::vector<int>& y,
                      const std::vector<std::size_t>& subset, std::uint32_t classes, std::uint32_t dim, double c,
                      unsigned threads) {
    train::LabelledRows data;
    for (auto i : subset) {
        data.rows.push_back(&rows[i]);
        data.labels.push_back(y[i]);
    }
    train::FitOptions options;
    options.l2 = 1.0 / (c * static_cast<double>(subset.size()));
    options.threads = threads;
    return train::fit_linear(data, classes, dim, options);
}

// The C of the grid whose out-of-fold weighted-F1 (with per-class offsets fitted on the same predictions) is highest,
// with its out-of-fold logits; with `fixed` > 0, the cross-validation of that C alone, its fits run as far as the
// final model's.
train::PenaltyChoice choose_c(const std::vector<core::SparseRow>& rows, const std::vector<int>& y, std::uint32_t classes,
                              std::uint32_t dim, const std::vector<unsigned>& fold_of, unsigned threads, double fixed,
                              std::vector<double> grid, const char* name, bool verbose, Clock::time_point start) {
    train::LabelledRows data;
    for (const auto& r : rows) data.rows.push_back(&r);
    data.labels = y;
    train::FitOptions options;
    options.threads = threads;
    train::PenaltySearch search{
        .grid = std::move(grid), .patience = 2, .name = name, .verbose = verbose, .start = start};
    if (fixed > 0) search.grid = {fixed}, search.relative_tolerance = 0;
    return train::choose_penalty(data, classes, dim, options, fold_of, folds, search, [&](const auto& oof) {
        return train::weighted_f1_with_offsets(oof, y, train::fit_offsets(oof, y, classes));
    });
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
    // The front-end's defaults, with n-grams over words and "!"/"?" runs as the text trainer's: MELD dev weighted-F1
    // 0.5509 -> 0.5601 offline, 0.5518 -> 0.5615 online; DailyDialog 0.8991 -> 0.8981 offline (accuracy 0.8999 ->
    // 0.9015), 0.8966 -> 0.8977 online.
    text::FeaturizerConfig featurizer;
    featurizer.ngram_tokens = text::FeaturizerConfig::NgramTokens::words_and_marks;
    m.encoder.featurizer = text::Featurizer(featurizer);
    m.encoder.featurizer.fit(texts);
    if (!options.vectors_path.empty()) {
        auto vectors = text::WordVectors::load(options.vectors_path);
        m.encoder.vectors = std::make_shared<const text::WordVectors>(
            vectors.prune([](std::string_view) { return true; }, max_vector_words));
        m.encoder.vector_scale = vector_scale;
        progress(verbose, start, "word vectors: %zu words x %zu dims from %s", m.encoder.vectors->size(), m.encoder.vectors->dim(),
                 options.vectors_path.c_str());
    }
    m.encoder.sentence = train::fit_sentence_block(
        options.encoder, std::vector<std::string_view>(texts.begin(), texts.end()), verbose, start);
    const auto dim1 = m.encoder.dimension();
    const auto rows = stage1_rows(m, train, false, start);
    nlohmann::json info;

    // Folds split by dialogue so that no dialogue sees itself: for the penalties, and for the out-of-fold
    // first-stage probabilities that the second stage learns from (as noisy as the ones it will see on new dialogues).
    std::vector<unsigned> fold_of_dialogue(train.dialogues.size());
    {
        std::vector<std::size_t> order(train.dialogues.size());
        std::iota(order.begin(), order.end(), 0);
        std::mt19937 rng(options.seed);
        std::shuffle(order.begin(), order.end(), rng);
        for (std::size_t i = 0; i < order.size(); ++i) fold_of_dialogue[order[i]] = static_cast<unsigned>(i % folds);
    }
    std::vector<unsigned> fold_of(train.utterances.size());
    for (std::size_t i = 0; i < fold_of.size(); ++i) fold_of[i] = fold_of_dialogue[train.dialogue_of[i]];
    if (train.dialogues.size() < folds)
        throw Error(options.train_path + ": " + std::to_string(train.dialogues.size()) + " dialogue(s); the " +
                    std::to_string(folds) + " cross-validation folds split by dialogue need at least as many");

    double stage1_c = options.stage1_c;
    if (stage1_c <= 0) {
        const auto choice =
            choose_c(rows, y, k, dim1, fold_of, threads, 0, stage1_c_grid(), "stage 1 C", verbose, start);
        stage1_c = choice.c;
        for (const auto& [c, score] : choice.scores)
            info["training"]["stage1_c_search"].push_back({{"c", c}, {"weighted_f1", score}});
    }
    info["training"]["stage1_c"] = stage1_c;
    std::vector<std::vector<double>> oof(train.utterances.size());
    for (unsigned f = 0; f < folds; ++f) {
        std::vector<std::size_t> fit_set, held;
        for (std::size_t i = 0; i < train.utterances.size(); ++i) (fold_of[i] == f ? held : fit_set).push_back(i);
        dialog::ConvModel fold_model;
        fold_model.stage1_emotion = fit(rows, y, fit_set, k, dim1, stage1_c, threads);
        if (s) fold_model.stage1_sentiment = fit(rows, y_sent, fit_set, s, dim1, stage1_c, threads);
        for (auto i : held) oof[i] = fold_model.stage1_probs(rows[i]);
        progress(verbose, start, "stage 1 (C %g): fold %u of %u done", stage1_c, f + 1, folds);
    }
    std::vector<std::size_t> all(train.utterances.size());
    std::iota(all.begin(), all.end(), 0);
    m.stage1_emotion = fit(rows, y, all, k, dim1, stage1_c, threads);
    if (s) m.stage1_sentiment = fit(rows, y_sent, all, s, dim1, stage1_c, threads);
    progress(verbose, start, "stage 1: final models done");

    m.layout.per_utterance = k + s;
    const auto dim2 = m.layout.dimension();
    for (bool online : {false, true}) {
        const char* mode = online ? "online" : "offline";
        dialog::StageTwo& stage = online ? m.online : m.offline;
        auto ctx = context_rows(m.layout, train, oof, online);
        // Offsets for weighted-F1 from out-of-fold second-stage logits on the training data (never from dev), at the
        // chosen or given C.
        auto choice = choose_c(ctx, y, k, dim2, fold_of, threads, options.stage2_c, stage2_c_grid(),
                               online ? "stage 2 (online) C" : "stage 2 (offline) C", verbose, start);
        const double stage2_c = choice.c;
        const auto logits = std::move(choice.out_of_fold);
        if (options.stage2_c <= 0)
            for (const auto& [c, score] : choice.scores)
                info["training"]["stage2_c_search"][mode].push_back({{"c", c}, {"weighted_f1", score}});
        info["training"]["stage2_c"][mode] = stage2_c;
        stage.emotion = fit(ctx, y, all, k, dim2, stage2_c, threads);
        if (s) stage.sentiment = fit(ctx, y_sent, all, s, dim2, stage2_c, threads);
        stage.emotion_offsets = train::fit_offsets(logits, y, k);
        const double plain = train::weighted_f1_with_offsets(logits, y, std::vector<double>(k, 0.0));
        const double with_offsets = train::weighted_f1_with_offsets(logits, y, stage.emotion_offsets);
        info["training"]["cross_validated"][mode] = {{"weighted_f1", plain}, {"weighted_f1_offsets", with_offsets}};
        progress(verbose, start, "stage 2 (%s, C %g): done; train out-of-fold weighted-F1 %.4f -> %.4f with offsets",
                 mode, stage2_c, plain, with_offsets);
    }

    info["training"].update({{"train", options.train_path}, {"dev", options.dev_path},
                             {"utterances", train.utterances.size()}, {"seed", options.seed},
                             {"vectors", options.vectors_path}, {"encoder", train::describe(m.encoder.sentence)}});
    if (dev) {
        auto dev_rows = stage1_rows(m, *dev, verbose, start);
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
