// `emo train causes`: the emotion-cause model from conversations with cause annotations.
//   pairs: logistic regression over (target, candidate) rows of every annotated target (gold emotions), with the
//          decision threshold that maximises positive-class F1 on out-of-fold probabilities (folds of dialogues);
//   spans: logistic regression over the candidate spans of each annotated cause, with soft targets: each span's
//          token F1 against the annotated span, so the best-scoring span is the one expected to overlap most.
#include "dialog/cause_annotations.hpp"
#include "dialog/cause_model.hpp"
#include "eval/cause_metrics.hpp"
#include "train/folds.hpp"
#include "train/linear_fit.hpp"
#include "train/progress.hpp"
#include "train/thresholds.hpp"

#include <emo/emo.hpp>

#include <cmath>
#include <cstdint>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>

namespace emo {

namespace {

using train::Clock;
using train::progress;

struct PairData {
    std::vector<core::SparseRow> rows;
    std::vector<float> targets;
    std::vector<std::size_t> dialogue;  // index of the row's conversation, for folds by dialogue
};

struct SpanData {
    std::vector<core::SparseRow> rows;
    std::vector<float> targets;         // token F1 of the candidate span against the annotated span
    std::vector<std::size_t> group;     // which annotated span the row is a candidate for
    std::vector<std::size_t> dialogue;
    std::size_t groups = 0;
};

// Inverse penalties tried by cross-validation when no C is given.
constexpr double c_grid[] = {0.01, 0.03, 0.1, 0.3, 1.0};

void collect(const std::vector<Conversation>& conversations, dialog::AnnotationProblems& problems, PairData& pairs,
             SpanData& spans) {
    for (std::size_t c = 0; c < conversations.size(); ++c) {
        const auto& conversation = conversations[c];
        const auto targets = dialog::cause_targets(conversation, problems);
        if (targets.empty()) continue;
        std::vector<std::string> labels;
        for (const auto& u : conversation.utterances) labels.push_back(u.label);
        const auto turns = dialog::cause_turns(conversation, labels);
        for (const auto& target : targets) {
            const auto t = target.utterance;
            std::vector<char> is_cause(t + 1, 0);
            for (auto j : target.causes) is_cause[j] = 1;
            for (std::size_t j = 0; j <= t; ++j) {
                pairs.rows.push_back(dialog::pair_row(turns, t, j));
                pairs.targets.push_back(is_cause[j]);
                pairs.dialogue.push_back(c);
            }
            for (const auto& gold : target.spans) {
                const std::string& text = conversation.utterances[gold.cause].text;
                const std::string_view annotated(text.data() + gold.begin, gold.end - gold.begin);
                const auto pieces = dialog::clause_text(text);
                const auto& clauses = pieces.clauses;
                for (std::size_t first = 0; first < clauses.size(); ++first) {
                    for (std::size_t last = first + 1; last <= clauses.size(); ++last) {
                        const auto begin = clauses[first].begin, end = clauses[last - 1].end;
                        spans.rows.push_back(dialog::span_row(turns, t, gold.cause, pieces, first, last));
                        spans.targets.push_back(static_cast<float>(
                            eval::span_token_f1(std::string_view(text.data() + begin, end - begin), annotated)));
                        spans.group.push_back(spans.groups);
                        spans.dialogue.push_back(c);
                    }
                }
                ++spans.groups;
            }
        }
    }
}

core::LinearModel fit(const std::vector<core::SparseRow>& rows, const std::vector<float>& targets,
                      const std::vector<std::size_t>& subset, double c, unsigned threads) {
    train::LabelledRows data;
    for (auto i : subset) {
        data.rows.push_back(&rows[i]);
        data.targets.push_back(targets[i]);
    }
    train::FitOptions options;
    options.loss = train::Loss::sigmoid;
    options.l2 = 1.0 / (c * static_cast<double>(subset.size()));
    options.threads = threads;
    return train::fit_linear(data, 1, dialog::cause_feature_dim, options);
}

std::vector<std::size_t> all_rows(std::size_t n) {
    std::vector<std::size_t> rows(n);
    for (std::size_t i = 0; i < n; ++i) rows[i] = i;
    return rows;
}

// Logits of every row from the models that did not see its dialogue (folds of dialogues).
std::vector<double> out_of_fold(const std::vector<core::SparseRow>& rows, const std::vector<float>& targets,
                                const std::vector<std::size_t>& dialogue, const std::vector<unsigned>& fold_of_dialogue,
                                unsigned folds, double c, unsigned threads) {
    std::vector<double> oof(rows.size());
    for (unsigned f = 0; f < folds; ++f) {
        std::vector<std::size_t> fit_set, held;
        for (std::size_t i = 0; i < rows.size(); ++i) (fold_of_dialogue[dialogue[i]] == f ? held : fit_set).push_back(i);
        const auto model = fit(rows, targets, fit_set, c, threads);
        for (auto i : held) oof[i] = model.logits(rows[i])[0];
    }
    return oof;
}

struct PairChoice {
    double c = 0, threshold = 0.5, f1 = 0;
};

// The pair model's C (given, or the best of c_grid) and its decision threshold: the best positive-class F1 on
// out-of-fold probabilities.
PairChoice choose_pair_model(const PairData& pairs, const std::vector<unsigned>& fold_of_dialogue,
                             const CauseTrainOptions& options, unsigned threads, Clock::time_point start) {
    const std::vector<char> gold(pairs.targets.begin(), pairs.targets.end());
    std::vector<double> candidates(std::begin(c_grid), std::end(c_grid));
    if (options.c_pair > 0) candidates = {options.c_pair};
    PairChoice best;
    for (double c : candidates) {
        auto p = out_of_fold(pairs.rows, pairs.targets, pairs.dialogue, fold_of_dialogue, options.folds, c, threads);
        for (auto& v : p) v = core::sigmoid(v);  // as CauseModel applies it
        const double threshold = train::best_f1_threshold(p, gold);
        eval::BinaryCounts counts;
        for (std::size_t i = 0; i < p.size(); ++i) counts.add(gold[i], p[i] >= threshold);
        progress(options.verbose, start, "pairs, C=%g: threshold %.4f, out-of-fold positive F1 %.4f (unique pairs)", c,
                 threshold, counts.positive_f1());
        if (counts.positive_f1() > best.f1) best = {c, threshold, counts.positive_f1()};
    }
    return best;
}

// The span model's C (given, or the best of c_grid by the out-of-fold token F1 of each annotated span's top span).
double choose_span_c(const SpanData& spans, const std::vector<unsigned>& fold_of_dialogue,
                     const CauseTrainOptions& options, unsigned threads, Clock::time_point start) {
    if (options.c_span > 0) return options.c_span;
    double best_c = c_grid[0], best_f1 = -1;
    for (double c : c_grid) {
        const auto scores =
            out_of_fold(spans.rows, spans.targets, spans.dialogue, fold_of_dialogue, options.folds, c, threads);
        std::vector<std::size_t> top(spans.groups, SIZE_MAX);
        for (std::size_t i = 0; i < scores.size(); ++i) {
            auto& t = top[spans.group[i]];
            if (t == SIZE_MAX || scores[i] > scores[t]) t = i;
        }
        double f1 = 0;
        for (auto i : top) f1 += spans.targets[i];
        f1 /= static_cast<double>(spans.groups);
        progress(options.verbose, start, "spans, C=%g: out-of-fold token F1 %.4f", c, f1);
        if (f1 > best_f1) best_f1 = f1, best_c = c;
    }
    return best_c;
}

}  // namespace

void train_cause_model(const CauseTrainOptions& options) {
    const auto start = Clock::now();
    if (options.out_dir.empty()) throw Error("train causes: an output directory (--out) is needed");
    if (options.folds < 2) throw Error("train causes: --folds must be at least 2");
    if (!(options.c_pair >= 0) || !(options.c_span >= 0)) throw Error("train causes: C must not be negative");
    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());

    const auto conversations = read_conversations(options.train_path, options.read);
    dialog::AnnotationProblems problems;
    PairData pairs;
    SpanData spans;
    collect(conversations, problems, pairs, spans);
    if (options.verbose) dialog::report_problems(problems, std::cerr);
    std::size_t positives = 0;
    for (float y : pairs.targets) positives += y > 0;
    if (positives == 0)
        throw Error(options.train_path + ": no usable cause annotations (a `causes` field, or RECCON's files)");
    progress(options.verbose, start, "train: %zu dialogues, %zu candidate pairs (%zu causes), %zu candidate spans",
             conversations.size(), pairs.rows.size(), positives, spans.rows.size());

    if (spans.rows.empty()) throw Error(options.train_path + ": no usable cause spans to learn spans from");

    const auto fold_of_dialogue = train::assign_folds(conversations.size(), options.folds, options.seed);
    dialog::CauseModel model;
    const auto pair_choice = choose_pair_model(pairs, fold_of_dialogue, options, threads, start);
    model.threshold = pair_choice.threshold;
    model.pair = fit(pairs.rows, pairs.targets, all_rows(pairs.rows.size()), pair_choice.c, threads);
    progress(options.verbose, start, "pair model fitted (C=%g, threshold %.4f)", pair_choice.c, model.threshold);
    const double c_span = choose_span_c(spans, fold_of_dialogue, options, threads, start);
    model.span = fit(spans.rows, spans.targets, all_rows(spans.rows.size()), c_span, threads);
    progress(options.verbose, start, "span model fitted (C=%g)", c_span);

    model.info["training"] = {{"train", options.train_path},
                              {"dialogues", conversations.size()},
                              {"pairs", pairs.rows.size()},
                              {"causes", positives},
                              {"skipped_causes", problems.skipped_causes},
                              {"skipped_spans", problems.skipped_spans},
                              {"c_pair", pair_choice.c},
                              {"c_span", c_span},
                              {"train_out_of_fold_positive_f1", pair_choice.f1},
                              {"folds", options.folds},
                              {"seed", options.seed}};
    dialog::save_cause_model(model, options.out_dir);
    if (options.valid_path.empty()) return;

    // The valid figures, written into the manifest as well as printed.
    const auto loaded = CauseModel::load(options.out_dir);
    const auto valid = read_conversations(options.valid_path, options.read);
    std::ostringstream ignored;  // the annotation problems of valid are printed by `emo eval causes`
    nlohmann::json metrics = nlohmann::json::object();
    const auto gold = evaluate_causes(loaded, valid, nullptr, ignored);
    if (options.verbose) std::cerr << "valid, gold emotions:\n" << to_text(gold);
    metrics["gold_emotions"] = nlohmann::json::parse(to_json(gold));
    if (!options.emotion_model_dir.empty()) {
        const auto emotions = Model::load(options.emotion_model_dir);
        const auto predicted = evaluate_causes(loaded, valid, &emotions, ignored);
        if (options.verbose) std::cerr << "valid, predicted emotions:\n" << to_text(predicted);
        metrics["predicted_emotions"] = nlohmann::json::parse(to_json(predicted));
    }
    model.info["valid"] = {{"path", options.valid_path}, {"metrics", metrics}};
    dialog::save_cause_model(model, options.out_dir);
}

}  // namespace emo
