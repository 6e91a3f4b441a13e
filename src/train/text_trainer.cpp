// emo::train_text_model: trains a LinearTextModel (text/linear_text_model.hpp) on labelled or rated texts.
//   multilabel: sigmoid per label; each label's threshold maximises its F1 on out-of-fold probabilities of train, and
//               the label rule (neutral alone or beside others; at least one label or none) their macro-F1.
//   multiclass: softmax over single-label texts.
//   regression: ridge per target, its penalty chosen by cross-validated Pearson r on train, then each target mixed
//               from all targets' predictions where that raises its cross-validated r; optionally stacked on a
//               classifier whose probabilities join the features.
#include "text/linear_text_model.hpp"
#include "train/folds.hpp"
#include "train/linear_fit.hpp"
#include "train/output_mixing.hpp"
#include "train/penalty_search.hpp"
#include "train/progress.hpp"
#include "train/sentence_features.hpp"
#include "train/text_training_data.hpp"
#include "train/thresholds.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <thread>

namespace emo {

namespace {

using train::Clock;
using train::progress;

namespace fs = std::filesystem;

// Inverse penalties in sklearn's convention (l2 = 1 / (C * texts)), chosen by cross-validation on train.
// multilabel: by the out-of-fold macro-F1 over 1, 2, ..., 16 (the climb stops at the first value worse than the best;
// each C costs a fit per label and fold).
std::vector<double> multilabel_c_grid() { return train::doubling_grid(1, 16); }
// multiclass: C by cross-validated accuracy on train over 0.25, 0.5, ..., 64 (the climb stops after two values worse
// than the best).
std::vector<double> multiclass_c_grid() { return train::doubling_grid(0.25, 64); }
// Ridge penalties (sklearn's alpha: l2 = alpha / texts) tried for each regression target.
constexpr double ridge_alphas[] = {0.5, 1, 2, 4, 8, 16};
constexpr std::size_t max_vector_words = 60000;

struct Fitter {
    const std::vector<core::SparseRow>& rows;
    std::uint32_t outputs, dim;
    train::FitOptions options;

    // Fits on the texts in `subset` with labels (softmax) or [text][output] targets, and per-text weights (none: 1).
    core::LinearModel fit(const std::vector<std::size_t>& subset, const std::vector<int>& labels,
                          const std::vector<float>& targets, const std::vector<double>& weights = {}) const {
        train::LabelledRows data;
        for (auto i : subset) {
            data.rows.push_back(&rows[i]);
            if (!weights.empty()) data.weights.push_back(weights[i]);
            if (!labels.empty()) data.labels.push_back(labels[i]);
            if (!targets.empty())
                data.targets.insert(data.targets.end(), targets.begin() + i * outputs,
                                    targets.begin() + (i + 1) * outputs);
        }
        return train::fit_linear(data, outputs, dim, options);
    }
};

// Raw outputs (logits or values) of every training text from the model that did not see it.
template <class Fit>
std::vector<std::vector<double>> out_of_fold(const std::vector<core::SparseRow>& rows,
                                             const std::vector<unsigned>& fold_of, unsigned folds, Fit&& fit,
                                             bool verbose, Clock::time_point start, const char* what) {
    std::vector<std::vector<double>> out(rows.size());
    for (unsigned f = 0; f < folds; ++f) {
        std::vector<std::size_t> fit_set, held;
        for (std::size_t i = 0; i < rows.size(); ++i) (fold_of[i] == f ? held : fit_set).push_back(i);
        const core::LinearModel model = fit(fit_set);
        for (auto i : held) out[i] = model.logits(rows[i]);
        progress(verbose, start, "%s: fold %u of %u done", what, f + 1, folds);
    }
    return out;
}

// What the dev split scores, as metrics for the manifest; printed as it goes.
nlohmann::json dev_metrics(const text::LinearTextModel& m, const train::TextData& dev, bool verbose,
                           Clock::time_point start) {
    std::vector<std::vector<double>> predictions;
    for (const auto& r : train::encode_all(m, dev.texts, verbose, start)) predictions.push_back(m.predict(r));
    nlohmann::json j;
    if (m.task == text::TextTask::regression) {
        std::vector<std::vector<double>> gold(dev.texts.size());
        for (std::size_t i = 0; i < gold.size(); ++i)
            gold[i].assign(dev.targets.begin() + i * m.outputs.size(),
                           dev.targets.begin() + (i + 1) * m.outputs.size());
        auto report = evaluate_regression(gold, predictions, m.outputs);
        for (const auto& t : report.targets) {
            j[t.name] = {{"pearson", t.pearson}, {"ccc", t.ccc}, {"mae", t.mae}, {"count", t.count}};
            progress(verbose, start, "dev %s: Pearson r %.4f, CCC %.4f, MAE %.4f (%zu texts)", t.name.c_str(),
                     t.pearson, t.ccc, t.mae, t.count);
        }
    } else if (m.task == text::TextTask::multilabel) {
        std::vector<std::vector<std::size_t>> predicted;
        for (const auto& p : predictions) predicted.push_back(m.decide(p));
        auto report = evaluate_multilabel(dev.label_sets, predicted, m.outputs);
        j = {{"macro_f1", report.macro_f1}, {"micro_f1", report.micro_f1}, {"jaccard", report.jaccard}};
        progress(verbose, start, "dev: macro-F1 %.4f, micro-F1 %.4f, Jaccard %.4f (%zu texts)", report.macro_f1,
                 report.micro_f1, report.jaccard, report.count);
    } else {
        std::vector<std::string> gold, predicted;
        for (std::size_t i = 0; i < predictions.size(); ++i) {
            gold.push_back(m.outputs[dev.labels[i]]);
            predicted.push_back(m.outputs[m.decide(predictions[i])[0]]);
        }
        auto report = evaluate(gold, predicted, m.outputs);
        j = {{"accuracy", report.accuracy}, {"weighted_f1", report.weighted_f1}, {"macro_f1", report.macro_f1}};
        progress(verbose, start, "dev: accuracy %.4f, weighted-F1 %.4f, macro-F1 %.4f", report.accuracy,
                 report.weighted_f1, report.macro_f1);
    }
    return j;
}

// Sets each label's threshold to maximise its F1 on out-of-fold logits and returns what those thresholds give on
// the same logits.
MultiLabelReport thresholds_from_out_of_fold(text::LinearTextModel& m, const train::TextData& data,
                                             const std::vector<float>& targets,
                                             const std::vector<std::vector<double>>& oof) {
    const auto k = static_cast<std::uint32_t>(m.outputs.size());
    m.thresholds.resize(k);
    for (std::uint32_t l = 0; l < k; ++l) {
        std::vector<double> scores(oof.size());
        std::vector<char> gold(oof.size());
        for (std::size_t i = 0; i < oof.size(); ++i) {
            scores[i] = 1.0 / (1.0 + std::exp(-oof[i][l]));
            gold[i] = targets[i * k + l] > 0;
        }
        m.thresholds[l] = train::best_f1_threshold(scores, gold);
    }
    std::vector<std::vector<double>> probs;
    for (const auto& z : oof) {
        std::vector<double> p(z.size());
        for (std::size_t l = 0; l < z.size(); ++l) p[l] = 1.0 / (1.0 + std::exp(-z[l]));
        probs.push_back(std::move(p));
    }
    // The label rule with the best macro-F1; the rule of models before the choice (both on) unless another beats it.
    std::optional<MultiLabelReport> best;
    text::LinearTextModel::LabelRule best_rule;
    for (const bool neutral_alone : {true, false})
        for (const bool at_least_one : {true, false}) {
            m.label_rule = {neutral_alone, at_least_one};
            std::vector<std::vector<std::size_t>> predicted;
            for (const auto& p : probs) predicted.push_back(m.decide(p));
            auto report = evaluate_multilabel(data.label_sets, predicted, m.outputs);
            if (!best || report.macro_f1 > best->macro_f1) best = std::move(report), best_rule = m.label_rule;
        }
    m.label_rule = best_rule;
    return *best;
}

void train_multilabel(text::LinearTextModel& m, const train::TextData& data, const TextTrainOptions& options,
                      const std::vector<core::SparseRow>& rows, unsigned threads, Clock::time_point start) {
    const auto k = static_cast<std::uint32_t>(m.outputs.size());
    Fitter fitter{rows, k, m.dimension(), {}};
    fitter.options.loss = train::Loss::sigmoid;
    fitter.options.threads = threads;
    std::vector<float> targets(rows.size() * k, 0.0f);
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (auto l : data.label_sets[i]) targets[i * k + l] = 1.0f;

    // Thresholds from out-of-fold probabilities: the final model's own training probabilities would be
    // overconfident, and dev must stay unseen. Without --c, the same folds choose C by the macro-F1 that each C's
    // out-of-fold probabilities reach with their own thresholds.
    const auto fold_of = train::assign_folds(rows.size(), options.folds, options.seed);
    double c = options.c;
    std::vector<std::vector<double>> oof;
    core::LinearModel fold_average;  // where the final fit starts, when the search gives one
    if (c <= 0) {
        train::LabelledRows labelled;
        for (const auto& r : rows) labelled.rows.push_back(&r);
        labelled.targets = targets;
        train::PenaltySearch search{
            .grid = multilabel_c_grid(), .patience = 1, .min_gain = 1e-3, .verbose = options.verbose, .start = start};
        auto choice = train::choose_penalty(
            labelled, k, fitter.dim, fitter.options, fold_of, options.folds, search,
            [&](const auto& z) { return thresholds_from_out_of_fold(m, data, targets, z).macro_f1; });
        c = choice.c;
        oof = std::move(choice.out_of_fold);
        fold_average = std::move(choice.fold_average);
        for (const auto& [grid_c, score] : choice.scores)
            m.info["training"]["c_search"].push_back({{"c", grid_c}, {"macro_f1", score}});
    } else {
        fitter.options.l2 = 1.0 / (c * static_cast<double>(rows.size()));
        oof = out_of_fold(
            rows, fold_of, options.folds, [&](const auto& subset) { return fitter.fit(subset, {}, targets); },
            options.verbose, start, "thresholds");
    }
    const auto cv = thresholds_from_out_of_fold(m, data, targets, oof);
    progress(options.verbose, start, "C %g; neutral %s, %s; train out-of-fold: macro-F1 %.4f, micro-F1 %.4f", c,
             m.label_rule.neutral_alone ? "alone" : "beside others",
             m.label_rule.at_least_one ? "at least one label" : "texts may have none", cv.macro_f1, cv.micro_f1);
    m.info["training"]["cross_validated"] = {{"macro_f1", cv.macro_f1}, {"micro_f1", cv.micro_f1}};
    m.info["training"]["c"] = c;

    fitter.options.l2 = 1.0 / (c * static_cast<double>(rows.size()));
    if (!fold_average.weights.empty()) fitter.options.start = &fold_average;
    std::vector<std::size_t> all(rows.size());
    std::iota(all.begin(), all.end(), 0);
    m.head = fitter.fit(all, {}, targets);
}

// scikit-learn's class_weight="balanced": each text weighs n / (classes * texts of its class), so every class
// weighs the same in the loss and the weights average 1 over the texts (C keeps its meaning).
std::vector<double> balanced_class_weights(const std::vector<int>& labels, std::uint32_t classes) {
    std::vector<std::size_t> count(classes, 0);
    for (int y : labels) ++count[static_cast<std::size_t>(y)];
    std::vector<double> weights;
    weights.reserve(labels.size());
    for (int y : labels)
        weights.push_back(static_cast<double>(labels.size()) /
                          (static_cast<double>(classes) * static_cast<double>(count[static_cast<std::size_t>(y)])));
    return weights;
}

void train_multiclass(text::LinearTextModel& m, const train::TextData& data, const TextTrainOptions& options,
                      const std::vector<core::SparseRow>& rows, unsigned threads, Clock::time_point start) {
    Fitter fitter{rows, static_cast<std::uint32_t>(m.outputs.size()), m.dimension(), {}};
    fitter.options.threads = threads;
    std::vector<std::size_t> all(rows.size());
    std::iota(all.begin(), all.end(), 0);
    const auto balanced = balanced_class_weights(data.labels, fitter.outputs);
    // "auto" is decided by cross-validation below; with a fixed C there is none, and the texts keep weight 1.
    bool weighted = options.class_weight == "balanced";
    double c = options.c;
    core::LinearModel fold_average;  // where the final fit starts, when the search gives one
    if (c <= 0) {
        train::LabelledRows labelled;
        for (const auto& r : rows) labelled.rows.push_back(&r);
        labelled.labels = data.labels;
        if (weighted) labelled.weights = balanced;
        const auto fold_of = train::assign_folds(rows.size(), options.folds, options.seed);
        auto accuracy = [&](const auto& oof) { return train::out_of_fold_accuracy(oof, data.labels); };
        train::PenaltySearch search{
            .grid = multiclass_c_grid(), .patience = 2, .min_gain = 1e-3, .verbose = options.verbose, .start = start};
        auto choice = train::choose_penalty(labelled, fitter.outputs, fitter.dim, fitter.options, fold_of,
                                            options.folds, search, accuracy);
        c = choice.c;
        fold_average = std::move(choice.fold_average);
        progress(options.verbose, start, "C %g chosen: train out-of-fold accuracy %.4f", c, choice.score);
        for (const auto& [grid_c, score] : choice.scores)
            m.info["training"]["c_search"].push_back({{"c", grid_c}, {"accuracy", score}});
        double score = choice.score;
        if (options.class_weight == "auto") {
            // Balanced class weights at the chosen C, over the same folds: kept only where they raise out-of-fold
            // accuracy by more than the search's noise margin (they trade the large classes' recall for the small
            // ones', which accuracy rarely rewards; --class-weight balanced forces them).
            labelled.weights = balanced;
            search.grid = {c};
            search.name = "balanced class weights, C";
            auto with_weights = train::choose_penalty(labelled, fitter.outputs, fitter.dim, fitter.options, fold_of,
                                                      options.folds, search, accuracy);
            weighted = with_weights.score > choice.score + search.min_gain;
            progress(options.verbose, start, "class weights: %s (out-of-fold accuracy %.4f without, %.4f balanced)",
                     weighted ? "balanced" : "none", choice.score, with_weights.score);
            m.info["training"]["class_weight_search"] = {{"none", choice.score}, {"balanced", with_weights.score}};
            if (weighted) score = with_weights.score, fold_average = std::move(with_weights.fold_average);
        }
        m.info["training"]["cross_validated"] = {{"accuracy", score}};
    }
    m.info["training"]["class_weight"] = weighted ? "balanced" : "none";
    fitter.options.l2 = 1.0 / (c * static_cast<double>(rows.size()));
    if (!fold_average.weights.empty()) fitter.options.start = &fold_average;
    m.head = fitter.fit(all, data.labels, {}, weighted ? balanced : std::vector<double>{});
    m.info["training"]["c"] = c;
}

// Returns the mean over the targets of their cross-validated Pearson r (mixed, where mixing is used); NaN with a
// fixed C, which cross-validates nothing.
double train_regression(text::LinearTextModel& m, const train::TextData& data, const TextTrainOptions& options,
                        const std::vector<core::SparseRow>& rows, unsigned threads, Clock::time_point start) {
    const auto k = static_cast<std::uint32_t>(m.outputs.size());
    const auto n = static_cast<double>(rows.size());
    Fitter fitter{rows, k, m.dimension(), {}};
    fitter.options.loss = train::Loss::squared;
    fitter.options.threads = threads;
    const auto fold_of = train::assign_folds(rows.size(), options.folds, options.seed);
    std::vector<double> alphas(k, options.c > 0 ? 1.0 / options.c : 0.0), best_r(k, -2.0);
    // Each target's out-of-fold predictions under its chosen penalty: what the output mixing is fitted on.
    std::vector<std::vector<double>> chosen_oof(rows.size(), std::vector<double>(k, 0.0));
    if (options.c <= 0) {
        // One cross-validation per penalty, all targets at once; each target keeps the penalty that gives its
        // out-of-fold predictions the highest Pearson r.
        for (double alpha : ridge_alphas) {
            fitter.options.l2 = alpha / n;
            const auto oof = out_of_fold(
                rows, fold_of, options.folds, [&](const auto& subset) { return fitter.fit(subset, {}, data.targets); },
                false, start, "");
            std::vector<std::vector<double>> gold(rows.size());
            for (std::size_t i = 0; i < rows.size(); ++i)
                gold[i].assign(data.targets.begin() + i * k, data.targets.begin() + (i + 1) * k);
            const auto report = evaluate_regression(gold, oof, m.outputs);  // NaN gold ratings are left out
            for (std::uint32_t t = 0; t < k; ++t) {
                const double r = report.targets[t].pearson;
                if (r > best_r[t]) {
                    best_r[t] = r;
                    alphas[t] = alpha;
                    for (std::size_t i = 0; i < rows.size(); ++i) chosen_oof[i][t] = oof[i][t];
                }
            }
            progress(options.verbose, start, "ridge alpha %g: cross-validated", alpha);
        }
    }
    fitter.options.l2_per_output.clear();
    for (std::uint32_t t = 0; t < k; ++t) {
        fitter.options.l2_per_output.push_back(alphas[t] / n);
        m.info["training"]["ridge_alpha"][m.outputs[t]] = alphas[t];
        if (best_r[t] > -2) {
            m.info["training"]["cross_validated_pearson"][m.outputs[t]] = best_r[t];
            progress(options.verbose, start, "%s: alpha %g, train out-of-fold Pearson r %.4f", m.outputs[t].c_str(),
                     alphas[t], best_r[t]);
        }
    }
    std::vector<std::size_t> all(rows.size());
    std::iota(all.begin(), all.end(), 0);
    m.head = fitter.fit(all, {}, data.targets);
    std::vector<double> cross_validated_r = best_r;
    if (options.c <= 0 && k > 1) {
        // Mixing is fitted and judged on the same folds as the penalties (a second, nested use of the out-of-fold
        // predictions); a target keeps its own head unless mixing raises its cross-validated r.
        const auto mixing = train::fit_output_mixing(chosen_oof, data.targets, fold_of, options.folds);
        for (std::uint32_t t = 0; t < k; ++t) {
            auto& j = m.info["training"]["output_mixing"][m.outputs[t]];
            j = {{"used", mixing[t].used}, {"r_alone", mixing[t].r_alone}, {"r_mixed", mixing[t].r_mixed}};
            if (mixing[t].used) j["coefficients"] = mixing[t].coefficients;
            progress(options.verbose, start, "%s: output mixing %s (cross-validated r %.4f alone, %.4f mixed)",
                     m.outputs[t].c_str(), mixing[t].used ? "used" : "not used", mixing[t].r_alone, mixing[t].r_mixed);
            if (mixing[t].used) cross_validated_r[t] = mixing[t].r_mixed;
        }
        train::apply_output_mixing(m.head, mixing);
    }
    if (options.c > 0) return std::numeric_limits<double>::quiet_NaN();
    return std::accumulate(cross_validated_r.begin(), cross_validated_r.end(), 0.0) / static_cast<double>(k);
}

// The front-end, fitted on the model's own training texts (idf), with the pretrained vectors at `vectors_path`
// (none when empty) and the checkpoint of --encoder (none when not given).
std::shared_ptr<const text::TextEncoder> fit_encoder(const text::LinearTextModel& m, const train::TextData& data,
                                                     const TextTrainOptions& options, const std::string& vectors_path,
                                                     Clock::time_point start) {
    text::TextEncoder encoder;
    text::FeaturizerConfig config;
    // Multiclass defaults: 2^20 buckets and no n-gram seen in one text only, as a TF-IDF vocabulary with
    // min_df 2 has; at 2^18 with every n-gram kept, rare n-grams took a share of each row's unit length and
    // collisions blurred the rest (goekman at C = 1: accuracy 0.6609 -> 0.6660, macro-F1 0.5422 -> 0.5646; the
    // 16,000-text subset's whole search 102 s -> 81 s). Multi-label: 2^19 buckets, so that a 28-label model
    // stays near 30 MB, and min_df 2 (GoEmotions out of fold 0.4804 -> 0.4818, 2^20 0.4824; dev 0.4936 -> 0.4948).
    const bool multiclass = m.task == text::TextTask::multiclass;
    const unsigned default_bits = multiclass ? 20u : m.task == text::TextTask::multilabel ? 19u : 18u;
    config.hash_bits = options.hash_bits ? options.hash_bits : default_bits;
    const unsigned min_df = options.min_df ? options.min_df : 2u;
    config.balanced_blocks = true;  // words count as much as character n-grams (GoEmotions dev: see the card)
    // Classifiers: each block a unit vector, so that C means what it means in scikit-learn over the same two
    // TF-IDF blocks. Regression keeps the older 1/sqrt(2): its penalties are cross-validated anyway, and its
    // word-vector scale was chosen against it (models/text-emobank/MODEL_CARD.md).
    if (m.task != text::TextTask::regression) config.block_norm = 1.0f, config.min_df = min_df;
    // Words and "!"/"?" runs in the word n-grams, character n-grams over whitespace chunks: goekman at C = 1 0.6660 /
    // 0.5646 -> 0.6690 / 0.5689 (accuracy / macro-F1), GoEmotions multi-label dev 0.4948 / 0.5567 -> 0.4950 / 0.5572
    // (macro / micro), EmoBank dev r 0.5790 / 0.5223 / 0.3083 -> 0.5788 / 0.5237 / 0.3150.
    config.ngram_tokens = text::FeaturizerConfig::NgramTokens::words_and_marks;
    encoder.featurizer = text::Featurizer(config);
    encoder.featurizer.fit(data.texts);
    if (!vectors_path.empty()) {
        auto vectors = text::WordVectors::load(vectors_path);
        encoder.vectors = std::make_shared<const text::WordVectors>(
            vectors.prune([](std::string_view) { return true; }, max_vector_words));
        encoder.vector_scale = options.vector_scale;
    }
    encoder.sentence = train::fit_sentence_block(
        options.encoder, std::vector<std::string_view>(data.texts.begin(), data.texts.end()), options.verbose, start);
    return std::make_shared<const text::TextEncoder>(std::move(encoder));
}

// Cross-validation needs a text per fold at least (a clear error saying what to do), and a label seen only once or
// twice cannot be judged by it (a warning: the model still trains).
void check_cross_validation(const train::TextData& data, const text::LinearTextModel& m,
                            const TextTrainOptions& options) {
    const bool uses_folds = m.task != text::TextTask::multiclass || options.c <= 0;
    if (uses_folds && data.texts.size() < options.folds)
        throw Error(options.train_path + ": " + std::to_string(data.texts.size()) +
                    " training text(s), fewer than the " + std::to_string(options.folds) +
                    " cross-validation folds: give --folds " +
                    std::to_string(std::max<std::size_t>(2, data.texts.size())) + " or fewer" +
                    (m.task == text::TextTask::multiclass ? ", or a fixed --c" : ""));
    if (m.task == text::TextTask::regression || !options.verbose) return;
    std::vector<std::size_t> count(m.outputs.size(), 0);
    if (m.task == text::TextTask::multiclass)
        for (int l : data.labels) ++count[static_cast<std::size_t>(l)];
    else
        for (const auto& set : data.label_sets)
            for (auto l : set) ++count[l];
    for (std::size_t l = 0; l < count.size(); ++l)
        if (count[l] < 3)
            std::fprintf(stderr,
                         "emo: warning: %s: label '%s' has %zu training text(s); cross-validation cannot judge it "
                         "(add examples, or leave the label out)\n",
                         options.train_path.c_str(), m.outputs[l].c_str(), count[l]);
}

}  // namespace

void train_text_model(const TextTrainOptions& options) {
    const auto start = Clock::now();
    if (options.out_dir.empty()) throw Error("no output directory given");
    if (options.folds < 2) throw Error("cross-validation needs at least 2 folds");
    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());

    text::LinearTextModel m;
    m.task = text::parse_text_task(options.task);
    if (options.class_weight != "auto" && options.class_weight != "none" && options.class_weight != "balanced")
        throw Error("class weight \"" + options.class_weight + "\": auto, none or balanced");
    if (options.class_weight == "balanced" && m.task != text::TextTask::multiclass)
        throw Error("balanced class weights are for --task multiclass (multi-label models choose a threshold per "
                    "label instead)");
    if (m.task == text::TextTask::regression && !options.base_dir.empty()) {
        auto base = text::load_text_model(options.base_dir);
        if (base.task == text::TextTask::regression || base.base)
            throw Error(options.base_dir + ": a base model must be a classifier without a base of its own");
        m.base_path = fs::relative(fs::absolute(options.base_dir), fs::absolute(options.out_dir)).string();
        m.base = std::make_shared<const text::LinearTextModel>(std::move(base));
    }

    auto data = train::load_text_data(options, m, /*dev=*/false);
    progress(options.verbose, start, "train: %zu texts, %zu outputs", data.texts.size(), m.outputs.size());
    check_cross_validation(data, m, options);
    train::TextData dev;
    if (!options.dev_path.empty()) dev = train::load_text_data(options, m, /*dev=*/true);

    // The word vectors: those given, or for regression the built-in ones where they are found; "none" for none.
    const std::string builtin_vectors = TextModel::default_word_vectors_directory();
    const bool regression = m.task == text::TextTask::regression;
    std::string vectors_path = options.vectors_path == "none" ? "" : options.vectors_path;
    const bool vectors_by_default =
        options.vectors_path.empty() && regression && fs::exists(fs::path(builtin_vectors) / "vectors.safetensors");
    if (vectors_by_default) vectors_path = builtin_vectors;
    // Trains `model` over `encoder` (with the vectors of `vectors`, for the record); regression returns its mean
    // cross-validated r.
    auto train = [&](text::LinearTextModel& model, std::shared_ptr<const text::TextEncoder> encoder,
                     const std::string& vectors) {
        model.encoder = std::move(encoder);
        const auto rows = train::encode_all(model, data.texts);
        progress(options.verbose, start, "features: %u dimensions%s", model.dimension(),
                 vectors.empty() ? "" : (", with the word vectors of " + vectors).c_str());
        model.info["training"] = {{"train", options.train_path}, {"dev", options.dev_path},
                                  {"texts", data.texts.size()},  {"folds", options.folds},
                                  {"seed", options.seed},        {"vectors", vectors},
                                  {"encoder", train::describe(model.encoder->sentence)}};
        switch (model.task) {
            case text::TextTask::multilabel:
                train_multilabel(model, data, options, rows, threads, start);
                break;
            case text::TextTask::multiclass:
                train_multiclass(model, data, options, rows, threads, start);
                break;
            case text::TextTask::regression:
                return train_regression(model, data, options, rows, threads, start);
        }
        return 0.0;
    };
    const auto encoder = fit_encoder(m, data, options, vectors_path, start);
    if (vectors_by_default && options.c <= 0) {
        // With and without the built-in vectors (the same fitted n-grams); the one whose targets' out-of-fold r is
        // higher on average.
        auto plain = std::make_shared<text::TextEncoder>(*encoder);
        plain->vectors = nullptr;
        text::LinearTextModel without = m;
        const double r_with = train(m, encoder, vectors_path), r_without = train(without, std::move(plain), "");
        progress(options.verbose, start, "word vectors %s: mean train out-of-fold Pearson r %.4f with, %.4f without",
                 r_with >= r_without ? "kept" : "left out", r_with, r_without);
        if (r_with < r_without) m = std::move(without);
        m.info["training"]["vector_choice"] = {
            {"vectors", vectors_path}, {"mean_r_with", r_with}, {"mean_r_without", r_without}};
    } else {
        train(m, encoder, vectors_path);
    }
    progress(options.verbose, start, "final model fitted");
    // Save first, then score dev with the model as loaded, so that the figures are what users will get.
    text::save_text_model(m, options.out_dir);
    if (!dev.texts.empty()) {
        m.info["dev_metrics"] = dev_metrics(text::load_text_model(options.out_dir), dev, options.verbose, start);
        text::save_text_model(m, options.out_dir);
    }
    progress(options.verbose, start, "model written to %s", options.out_dir.c_str());
}

}  // namespace emo
