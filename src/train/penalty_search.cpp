#include "train/penalty_search.hpp"

#include "train/packed_rows.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <optional>

namespace emo::train {

namespace {

core::LinearModel average(const std::vector<std::optional<core::LinearModel>>& models) {
    core::LinearModel mean = *models.front();
    for (std::size_t m = 1; m < models.size(); ++m) {
        for (std::size_t j = 0; j < mean.weights.size(); ++j) mean.weights[j] += models[m]->weights[j];
        for (std::size_t k = 0; k < mean.bias.size(); ++k) mean.bias[k] += models[m]->bias[k];
    }
    const auto share = 1.0f / static_cast<float>(models.size());
    for (auto& w : mean.weights) w *= share;
    for (auto& b : mean.bias) b *= share;
    return mean;
}

}  // namespace

PenaltyChoice choose_penalty(const LabelledRows& data, std::uint32_t outputs, std::uint32_t dim, const FitOptions& fit,
                             const std::vector<unsigned>& fold_of, unsigned folds, const PenaltySearch& search,
                             const OutOfFoldScore& score) {
    const std::size_t n = data.rows.size();
    if (search.grid.empty()) throw Error("penalty search: no C values to try");
    if (fold_of.size() != n) throw Error("penalty search: one fold per row expected");

    // Each fold's training and held-out rows, with their labels or targets.
    std::vector<LabelledRows> fit_sets(folds);
    std::vector<std::vector<std::size_t>> held(folds);
    const bool has_weights = !data.weights.empty();
    for (std::size_t i = 0; i < n; ++i) {
        if (fold_of[i] >= folds) throw Error("penalty search: fold number out of range");
        held[fold_of[i]].push_back(i);
        for (unsigned f = 0; f < folds; ++f) {
            if (f == fold_of[i]) continue;
            auto& s = fit_sets[f];
            s.rows.push_back(data.rows[i]);
            if (!data.labels.empty()) s.labels.push_back(data.labels[i]);
            if (!data.targets.empty())
                s.targets.insert(s.targets.end(), data.targets.begin() + static_cast<std::ptrdiff_t>(i * outputs),
                                 data.targets.begin() + static_cast<std::ptrdiff_t>((i + 1) * outputs));
            if (has_weights) s.weights.push_back(data.weights[i]);
        }
    }
    for (unsigned f = 0; f < folds; ++f)
        if (fit_sets[f].rows.empty() || held[f].empty())
            throw Error("penalty search: fold " + std::to_string(f + 1) + " of " + std::to_string(folds) +
                        " is empty or holds everything; use fewer folds or a fixed C");

    std::vector<std::optional<core::LinearModel>> previous(folds);
    PenaltyChoice best;
    unsigned worse_in_a_row = 0;
    // Folds run in parallel, one thread each, unless the outputs are independent fits and outnumber the folds: then
    // the folds run one after another and each fold's fit uses all the threads (liblinear: one output a thread),
    // which keeps one fold's solver copy of the rows in memory instead of one per thread (GoEmotions' whole search:
    // 714 MB peak instead of 866 MB, the same time).
    const bool outputs_in_parallel = fit.loss != Loss::softmax && outputs > folds;
    const unsigned parallel = outputs_in_parallel ? 1u : std::max(1u, std::min(fit.threads, folds));
    for (double c : search.grid) {
        std::vector<std::vector<double>> oof(n);
        parallel_for(folds, parallel, [&](unsigned f) {
            FitOptions options = fit;
            options.threads = std::max(1u, fit.threads / parallel);
            options.l2 = 1.0 / (c * static_cast<double>(fit_sets[f].rows.size()));
            options.l2_per_output.clear();
            options.lbfgs.relative_tolerance = std::max(options.lbfgs.relative_tolerance, search.relative_tolerance);
            options.newton_tolerance = std::max(options.newton_tolerance, search.newton_tolerance);
            options.start = previous[f] ? &*previous[f] : nullptr;
            core::LinearModel model = fit_linear(fit_sets[f], outputs, dim, options);
            for (auto i : held[f]) oof[i] = model.logits(*data.rows[i]);
            previous[f] = std::move(model);
            progress(search.verbose, search.start, "%s %g: fold %u of %u fitted", search.name.c_str(), c, f + 1, folds);
        });
        const double s = score(oof);
        best.scores.emplace_back(c, s);
        progress(search.verbose, search.start, "%s %g: cross-validated score %.4f", search.name.c_str(), c, s);
        if (best.scores.size() == 1 || s > best.score + search.min_gain) {  // the first C is the first best
            best.c = c;
            best.score = s;
            best.out_of_fold = std::move(oof);
            best.fold_average = average(previous);
            worse_in_a_row = 0;
        } else if (++worse_in_a_row >= search.patience) {
            break;
        }
    }
    return best;
}

double out_of_fold_accuracy(const std::vector<std::vector<double>>& out_of_fold, const std::vector<int>& labels) {
    if (out_of_fold.empty()) return 0;
    std::size_t right = 0;
    for (std::size_t i = 0; i < out_of_fold.size(); ++i) {
        const auto& z = out_of_fold[i];
        right += std::max_element(z.begin(), z.end()) - z.begin() == labels[i];
    }
    return static_cast<double>(right) / static_cast<double>(out_of_fold.size());
}

std::vector<double> doubling_grid(double from, double to) {
    std::vector<double> grid;
    for (double c = from; c <= to * 1.0000001; c *= 2) grid.push_back(c);
    return grid;
}

}  // namespace emo::train
