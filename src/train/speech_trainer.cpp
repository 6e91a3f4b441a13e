// emo train audio and the speaker-independent cross-validation behind `emo eval audio --folds`: acoustic features of
// labelled recordings, then two standardised logistic regressions (population and speaker baseline) with the penalty
// chosen by speaker folds inside the training speakers.
#include "eval/audio_report.hpp"
#include "labels/circumplex.hpp"
#include "speech/emotion_features.hpp"
#include "speech/feature_batch.hpp"
#include "speech/resample.hpp"
#include "speech/speech_emotion_model.hpp"
#include "train/linear_fit.hpp"
#include "train/progress.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <set>

namespace emo {

namespace {

using Rows = std::vector<std::vector<double>>;
using Indices = std::vector<std::size_t>;

// The C grid; when its lowest C scores best, the search goes on down by thirds while that improves, to min_c at
// most (RAVDESS's population half chose the old grid's lowest, 0.01, and then 0.003).
const double c_grid[] = {0.003, 0.01, 0.03, 0.1};
constexpr double min_c = 1e-4;

// Rows [0, originals) are the recordings; the rest their resampled copies (vocal tract length augmentation), which only
// ever train: each copy belongs to its speaker's folds but is a voice of its own for the speaker baseline.
struct Corpus {
    Rows raw, by_speaker;  // features as computed, and z-scored by the recordings of the same voice
    std::vector<int> labels;
    std::vector<std::string> speakers;  // for the folds
    std::vector<std::string> voices;    // for the baselines: the speaker, or "speaker~factor" for a resampled copy
    std::vector<std::string> label_names;
    std::size_t originals = 0;
};

Corpus load_corpus(const AudioTrainOptions& options, train::Clock::time_point start) {
    const auto inputs = read_audio_list(options.data_path);
    train::progress(options.verbose, start,
                    "%zu recordings listed in %s; computing acoustic features (and those of %zu resampled copies)",
                    inputs.size(), options.data_path.c_str(), options.augment.size());
    speech::FeatureBatchOptions batch;
    batch.threads = options.threads;
    // Each file is decoded once: its features, then those of each resampled copy, side by side in one row.
    const std::size_t dim = speech::emotion_feature_names().size();
    batch.compute = [&](const std::vector<float>& x) {
        auto row = speech::emotion_features(x);
        for (const double factor : options.augment) {
            const auto copy = speech::emotion_features(speech::resample(x, factor));
            row.insert(row.end(), copy.begin(), copy.end());
        }
        return row;
    };
    if (options.verbose)
        batch.progress = [&](std::size_t done) {
            if (done % 200 == 0 || done == inputs.size())
                train::progress(true, start, "features: %zu / %zu recordings", done, inputs.size());
        };
    const auto pieces = speech::extract_feature_pieces(inputs, batch);
    std::string errors;
    std::size_t failed = 0;
    for (const auto& p : pieces)
        if (!p.error.empty() && ++failed <= 10) errors += "\n  " + inputs[p.input].source + ": " + p.error;
    if (failed)
        throw Error(options.data_path + ": " + std::to_string(failed) + " of " + std::to_string(inputs.size()) +
                    " recordings could not be read (training needs them all):" + errors);
    Corpus corpus;
    std::set<std::string> names;
    for (const auto& in : inputs) names.insert(in.label);
    corpus.label_names.assign(names.begin(), names.end());
    if (corpus.label_names.size() < 2) throw Error(options.data_path + ": training needs at least 2 emotions");
    // The recordings first, then all the copies of each factor in turn.
    const auto add = [&](std::size_t part, const std::string& voice_suffix) {
        for (const auto& p : pieces) {
            const auto first = p.features.begin() + static_cast<std::ptrdiff_t>(part * dim);
            corpus.raw.emplace_back(first, first + static_cast<std::ptrdiff_t>(dim));
            corpus.speakers.push_back(inputs[p.input].speaker);
            corpus.voices.push_back(inputs[p.input].speaker + voice_suffix);
            corpus.labels.push_back(static_cast<int>(
                std::lower_bound(corpus.label_names.begin(), corpus.label_names.end(), inputs[p.input].label) -
                corpus.label_names.begin()));
        }
    };
    add(0, "");
    corpus.originals = corpus.raw.size();
    for (std::size_t c = 0; c < options.augment.size(); ++c) add(c + 1, "~" + std::to_string(options.augment[c]));
    std::map<std::string, Indices> rows_of;
    for (std::size_t i = 0; i < corpus.voices.size(); ++i) rows_of[corpus.voices[i]].push_back(i);
    corpus.by_speaker.resize(corpus.raw.size());
    for (const auto& [speaker, rows] : rows_of) {
        Rows own;
        for (auto i : rows) own.push_back(corpus.raw[i]);
        const auto baseline = speech::FeatureScaling::fit(own);
        for (auto i : rows) corpus.by_speaker[i] = baseline.apply(corpus.raw[i]);
    }
    return corpus;
}

// Speakers in order (numerically where they are numbers, as RAVDESS's actors), dealt into `folds` consecutive groups:
// with 20 actors and 5 folds, actors 1-4, 5-8, ..., 17-20.
std::vector<std::vector<std::string>> speaker_folds(const std::vector<std::string>& speakers, unsigned folds) {
    const std::set<std::string> unique(speakers.begin(), speakers.end());
    std::vector<std::string> order(unique.begin(), unique.end());
    const auto numeric = [](const std::string& s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (std::all_of(order.begin(), order.end(), numeric))
        // By value without converting (any length of digits): fewer significant digits first, then digit by digit.
        std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) {
            const auto x = a.substr(std::min(a.find_first_not_of('0'), a.size()));
            const auto y = b.substr(std::min(b.find_first_not_of('0'), b.size()));
            return x.size() != y.size() ? x.size() < y.size() : x < y;
        });
    if (folds < 2 || order.size() < folds)
        throw Error("speaker-independent folds need at least 2 folds and a speaker per fold (" +
                    std::to_string(order.size()) + " speakers, " + std::to_string(folds) + " folds)");
    std::vector<std::vector<std::string>> groups(folds);
    for (std::size_t i = 0; i < order.size(); ++i) groups[i * folds / order.size()].push_back(order[i]);
    return groups;
}

speech::ScaledClassifier fit(const Rows& rows, const std::vector<int>& labels, const Indices& subset,
                             std::uint32_t classes, double c, unsigned threads) {
    Rows chosen;
    for (auto i : subset) chosen.push_back(rows[i]);
    speech::ScaledClassifier model;
    model.scaling = speech::FeatureScaling::fit(chosen);
    std::vector<core::SparseRow> sparse(subset.size());
    train::LabelledRows data;
    for (std::size_t r = 0; r < subset.size(); ++r) {
        const auto z = model.scaling.apply(chosen[r]);
        for (std::size_t j = 0; j < z.size(); ++j)
            sparse[r].push_back({static_cast<std::uint32_t>(j), static_cast<float>(z[j])});
        data.rows.push_back(&sparse[r]);
        data.labels.push_back(labels[subset[r]]);
    }
    train::FitOptions fit_options;
    fit_options.loss = train::Loss::softmax;
    fit_options.l2 = 1.0 / (c * static_cast<double>(subset.size()));
    fit_options.threads = threads;
    model.linear = train::fit_linear(data, classes, static_cast<std::uint32_t>(rows[0].size()), fit_options);
    return model;
}

int predict(const speech::ScaledClassifier& model, const std::vector<double>& x) {
    const auto p = model.probabilities(x);
    return static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
}

double unweighted_recall(const std::vector<int>& gold, const std::vector<int>& predicted, std::size_t classes) {
    std::vector<double> right(classes, 0), total(classes, 0);
    for (std::size_t i = 0; i < gold.size(); ++i) total[gold[i]] += 1, right[gold[i]] += gold[i] == predicted[i];
    double sum = 0, present = 0;
    for (std::size_t k = 0; k < classes; ++k)
        if (total[k] > 0) sum += right[k] / total[k], present += 1;
    return present > 0 ? sum / present : 0.0;
}

Indices rows_of_speakers(const Corpus& corpus, const Indices& among, const std::vector<std::string>& speakers,
                         bool inside) {
    Indices out;
    for (auto i : among)
        if ((std::find(speakers.begin(), speakers.end(), corpus.speakers[i]) != speakers.end()) == inside)
            out.push_back(i);
    return out;
}

// The recordings among `rows`, without the resampled copies: what is scored.
Indices originals_only(const Corpus& corpus, Indices rows) {
    std::erase_if(rows, [&](std::size_t i) { return i >= corpus.originals; });
    return rows;
}

// The C of c_grid (extended downward while its lowest C is best) with the best unweighted recall over speaker folds
// of `subset` (ties: the smaller C).
double choose_c(const Corpus& corpus, const Rows& rows, const Indices& subset, unsigned folds, unsigned threads) {
    std::vector<std::string> speakers;
    for (auto i : originals_only(corpus, subset)) speakers.push_back(corpus.speakers[i]);
    const auto distinct = static_cast<unsigned>(std::set<std::string>(speakers.begin(), speakers.end()).size());
    if (distinct < 2)
        throw Error("choosing C by speaker folds needs at least 2 training speakers (here " + std::to_string(distinct) +
                    "); give --c, or more speakers or folds");
    const auto groups = speaker_folds(speakers, std::min(std::max(folds, 2u), distinct));
    auto score = [&](double c) {
        std::vector<int> gold, predicted;
        for (const auto& held : groups) {
            const auto train_rows = rows_of_speakers(corpus, subset, held, false);
            const auto test_rows = originals_only(corpus, rows_of_speakers(corpus, subset, held, true));
            const auto model =
                fit(rows, corpus.labels, train_rows, static_cast<std::uint32_t>(corpus.label_names.size()), c, threads);
            for (auto i : test_rows) gold.push_back(corpus.labels[i]), predicted.push_back(predict(model, rows[i]));
        }
        return unweighted_recall(gold, predicted, corpus.label_names.size());
    };
    double best_c = c_grid[0], best = -1;
    for (double c : c_grid)
        if (const double ua = score(c); ua > best + 1e-12) best = ua, best_c = c;
    // Below the grid, while each third of the lowest C tried scores better still.
    if (best_c == c_grid[0])
        for (double c = best_c / 3; c >= min_c; c /= 3) {
            const double ua = score(c);
            if (ua <= best + 1e-12) break;
            best = ua, best_c = c;
        }
    return best_c;
}

AudioEvalReport make_report(const Corpus& corpus, const std::vector<int>& predicted, const char* baseline,
                            std::size_t folds) {
    std::vector<std::string> gold_names, predicted_names;
    for (std::size_t i = 0; i < predicted.size(); ++i) {
        gold_names.push_back(corpus.label_names[corpus.labels[i]]);
        predicted_names.push_back(corpus.label_names[predicted[i]]);
    }
    auto report = eval::audio_report(gold_names, predicted_names, corpus.label_names, baseline);
    report.folds = folds;
    return report;
}

// The held-out speakers' rows normalised by a baseline of `recordings` (> 0) of their recordings drawn at random, as a
// user with fewer recordings of a speaker would have it. Other rows stay empty.
Rows test_baselines(const Corpus& corpus, const std::vector<std::string>& speakers, std::size_t recordings,
                    std::size_t fold) {
    Rows out(corpus.raw.size());
    std::mt19937 rng(static_cast<unsigned>(1000 + fold));
    for (const auto& speaker : speakers) {
        Indices own;
        for (std::size_t i = 0; i < corpus.originals; ++i)
            if (corpus.speakers[i] == speaker) own.push_back(i);
        std::shuffle(own.begin(), own.end(), rng);
        Rows drawn;
        for (std::size_t k = 0; k < std::min(recordings, own.size()); ++k) drawn.push_back(corpus.raw[own[k]]);
        const auto baseline = speech::FeatureScaling::fit(drawn);
        for (auto i : own) out[i] = baseline.apply(corpus.raw[i]);
    }
    return out;
}

std::pair<AudioEvalReport, AudioEvalReport> cross_validate(const Corpus& corpus, const AudioTrainOptions& options,
                                                           train::Clock::time_point start) {
    const auto groups = speaker_folds(corpus.speakers, options.folds);
    Indices all(corpus.raw.size());
    std::iota(all.begin(), all.end(), 0);
    std::vector<int> population(corpus.originals), speaker(corpus.originals);
    for (std::size_t f = 0; f < groups.size(); ++f) {
        const auto train_rows = rows_of_speakers(corpus, all, groups[f], false);
        const auto test_rows = originals_only(corpus, rows_of_speakers(corpus, all, groups[f], true));
        for (const Rows* rows : {&corpus.raw, &corpus.by_speaker}) {
            const double c =
                options.c > 0 ? options.c : choose_c(corpus, *rows, train_rows, options.folds - 1, options.threads);
            const auto model = fit(*rows, corpus.labels, train_rows,
                                   static_cast<std::uint32_t>(corpus.label_names.size()), c, options.threads);
            if (rows == &corpus.raw) {
                for (auto i : test_rows) population[i] = predict(model, corpus.raw[i]);
            } else {
                // Normalised by all of each held-out speaker's recordings (corpus.by_speaker), or by a draw of them.
                Rows drawn;
                if (options.test_baseline_recordings > 0)
                    drawn = test_baselines(corpus, groups[f], options.test_baseline_recordings, f);
                const Rows& held_out = options.test_baseline_recordings > 0 ? drawn : corpus.by_speaker;
                for (auto i : test_rows) speaker[i] = predict(model, held_out[i]);
            }
            train::progress(options.verbose, start, "fold %zu/%zu (speakers %s-%s held out), %s: C = %g", f + 1,
                            groups.size(), groups[f].front().c_str(), groups[f].back().c_str(),
                            rows == &corpus.raw ? "population" : "speaker baseline", c);
        }
    }
    auto reports = std::make_pair(make_report(corpus, population, "population", groups.size()),
                                  make_report(corpus, speaker, "speaker", groups.size()));
    reports.first.fold_speakers = reports.second.fold_speakers = groups;
    return reports;
}

nlohmann::json report_json(const AudioEvalReport& r) {
    return {{"unweighted_recall", r.unweighted_recall},
            {"weighted_accuracy", r.classes.accuracy},
            {"macro_f1", r.classes.macro_f1}};
}

}  // namespace

std::pair<AudioEvalReport, AudioEvalReport> cross_validate_speech(const AudioTrainOptions& options) {
    const auto start = train::Clock::now();
    return cross_validate(load_corpus(options, start), options, start);
}

void train_speech_model(const AudioTrainOptions& options) {
    if (options.out_dir.empty()) throw Error("train audio: no output directory (--out)");
    const auto start = train::Clock::now();
    const Corpus corpus = load_corpus(options, start);
    const auto [population_cv, speaker_cv] = cross_validate(corpus, options, start);
    train::progress(options.verbose, start, "cross-validated UA: population %.4f, speaker baseline %.4f",
                    population_cv.unweighted_recall, speaker_cv.unweighted_recall);

    speech::SpeechEmotionModel model;
    model.labels = corpus.label_names;
    model.feature_names = speech::emotion_feature_names();
    model.reference_features = speech::emotion_features(speech::reference_signal());
    model.min_baseline_recordings = options.min_baseline_recordings;
    for (const auto& label : model.labels)
        if (const auto place = labels::circumplex_place(label)) model.circumplex[label] = *place;
    Indices all(corpus.raw.size());
    std::iota(all.begin(), all.end(), 0);
    const auto classes = static_cast<std::uint32_t>(corpus.label_names.size());
    const double c_population =
        options.c > 0 ? options.c : choose_c(corpus, corpus.raw, all, options.folds, options.threads);
    const double c_speaker =
        options.c > 0 ? options.c : choose_c(corpus, corpus.by_speaker, all, options.folds, options.threads);
    model.population = fit(corpus.raw, corpus.labels, all, classes, c_population, options.threads);
    model.speaker = fit(corpus.by_speaker, corpus.labels, all, classes, c_speaker, options.threads);
    model.info = {{"data", options.data_path},
                  {"recordings", corpus.originals},
                  {"augment", options.augment},
                  {"speakers", std::set<std::string>(corpus.speakers.begin(), corpus.speakers.end()).size()},
                  {"c_population", c_population},
                  {"c_speaker", c_speaker},
                  {"cross_validation",
                   {{"folds", options.folds},
                    {"fold_speakers", population_cv.fold_speakers},
                    {"population", report_json(population_cv)},
                    {"speaker", report_json(speaker_cv)}}}};
    speech::save_speech_model(model, options.out_dir);
    train::progress(options.verbose, start, "wrote %s (C population %g, speaker %g)", options.out_dir.c_str(),
                    c_population, c_speaker);
}

}  // namespace emo
