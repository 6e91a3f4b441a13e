#include "train/output_mixing.hpp"

#include "eval/correlation.hpp"

#include <cmath>
#include <cstddef>
#include <utility>

namespace emo::train {

namespace {

// A tiny ridge keeps the normal equations solvable when two outputs are (nearly) collinear, as the writer's and the
// average's valence can be; it is far below the scale of the sums (thousands of rows).
constexpr double normal_equations_ridge = 1e-6;

// Least squares of y on the columns of x plus a constant, over the rows in `use`: coefficients, constant last.
std::vector<double> least_squares(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                                  const std::vector<std::size_t>& use) {
    const std::size_t p = x.empty() ? 1 : x[0].size() + 1;
    std::vector<double> a(p * p, 0.0), b(p, 0.0), row(p, 1.0);
    for (auto i : use) {
        for (std::size_t j = 0; j + 1 < p; ++j) row[j] = x[i][j];
        for (std::size_t j = 0; j < p; ++j) {
            b[j] += row[j] * y[i];
            for (std::size_t l = 0; l < p; ++l) a[j * p + l] += row[j] * row[l];
        }
    }
    for (std::size_t j = 0; j + 1 < p; ++j) a[j * p + j] += normal_equations_ridge * static_cast<double>(use.size());
    // Gaussian elimination with partial pivoting on the p x p system (p = outputs + 1, at most a few dozen).
    for (std::size_t c = 0; c < p; ++c) {
        std::size_t pivot = c;
        for (std::size_t r = c + 1; r < p; ++r)
            if (std::abs(a[r * p + c]) > std::abs(a[pivot * p + c])) pivot = r;
        if (a[pivot * p + c] == 0.0) continue;  // a constant column: its coefficient stays 0
        if (pivot != c) {
            for (std::size_t l = 0; l < p; ++l) std::swap(a[c * p + l], a[pivot * p + l]);
            std::swap(b[c], b[pivot]);
        }
        for (std::size_t r = c + 1; r < p; ++r) {
            const double f = a[r * p + c] / a[c * p + c];
            for (std::size_t l = c; l < p; ++l) a[r * p + l] -= f * a[c * p + l];
            b[r] -= f * b[c];
        }
    }
    std::vector<double> coef(p, 0.0);
    for (std::size_t c = p; c-- > 0;) {
        if (a[c * p + c] == 0.0) continue;
        double s = b[c];
        for (std::size_t l = c + 1; l < p; ++l) s -= a[c * p + l] * coef[l];
        coef[c] = s / a[c * p + c];
    }
    return coef;
}

double mix(const std::vector<double>& coef, const std::vector<double>& outputs) {
    double s = coef.back();
    for (std::size_t j = 0; j < outputs.size(); ++j) s += coef[j] * outputs[j];
    return s;
}

}  // namespace

std::vector<TargetMixing> fit_output_mixing(const std::vector<std::vector<double>>& oof,
                                            const std::vector<float>& targets, const std::vector<unsigned>& fold_of,
                                            unsigned folds) {
    const std::size_t n = oof.size(), k = n ? oof[0].size() : 0;
    std::vector<TargetMixing> result(k);
    for (std::size_t t = 0; t < k; ++t) {
        std::vector<double> y(n);
        std::vector<std::size_t> rated;
        for (std::size_t i = 0; i < n; ++i) {
            y[i] = targets[i * k + t];
            if (!std::isnan(y[i])) rated.push_back(i);
        }
        std::vector<double> gold, alone, mixed;
        for (unsigned f = 0; f < folds; ++f) {
            std::vector<std::size_t> fit_rows, held;
            for (auto i : rated) (fold_of[i] == f ? held : fit_rows).push_back(i);
            if (held.empty() || fit_rows.empty()) continue;
            const auto coef = least_squares(oof, y, fit_rows);
            for (auto i : held) {
                gold.push_back(y[i]);
                alone.push_back(oof[i][t]);
                mixed.push_back(mix(coef, oof[i]));
            }
        }
        auto& m = result[t];
        m.r_alone = eval::pearson(alone, gold);
        m.r_mixed = eval::pearson(mixed, gold);
        m.used = m.r_mixed > m.r_alone;
        if (m.used) m.coefficients = least_squares(oof, y, rated);
    }
    return result;
}

void apply_output_mixing(core::LinearModel& head, const std::vector<TargetMixing>& mixing) {
    const std::size_t k = head.classes;
    const core::LinearModel original = head;
    for (std::size_t t = 0; t < k && t < mixing.size(); ++t) {
        if (!mixing[t].used) continue;
        const auto& coef = mixing[t].coefficients;
        for (std::size_t f = 0; f < head.dim; ++f) {
            double w = 0;
            for (std::size_t j = 0; j < k; ++j) w += coef[j] * original.weights[f * k + j];
            head.weights[f * k + t] = static_cast<float>(w);
        }
        double b = coef.back();
        for (std::size_t j = 0; j < k; ++j) b += coef[j] * original.bias[j];
        head.bias[t] = static_cast<float>(b);
    }
}

}  // namespace emo::train
