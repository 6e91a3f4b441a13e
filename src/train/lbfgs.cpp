#include "train/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace emo::train {

namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

double max_abs(const std::vector<double>& a) {
    double m = 0;
    for (double v : a) m = std::max(m, std::abs(v));
    return m;
}

}  // namespace

LbfgsResult minimize_lbfgs(const Objective& f, std::vector<double>& x, const LbfgsOptions& options) {
    const std::size_t n = x.size();
    std::vector<double> g(n), g_new(n), x_new(n), d(n);
    double value = f(x, g);
    std::deque<std::vector<double>> s_hist, y_hist;
    std::deque<double> rho_hist;
    LbfgsResult result;

    for (int it = 0; it < options.max_iterations; ++it) {
        result.iterations = it + 1;
        if (max_abs(g) < options.gradient_tolerance) break;

        // Two-loop recursion: d = -H g.
        d = g;
        std::vector<double> alpha(s_hist.size());
        for (std::size_t i = s_hist.size(); i-- > 0;) {
            alpha[i] = rho_hist[i] * dot(s_hist[i], d);
            for (std::size_t j = 0; j < n; ++j) d[j] -= alpha[i] * y_hist[i][j];
        }
        double gamma = s_hist.empty() ? 1.0 / std::max(1.0, std::sqrt(dot(g, g)))
                                      : dot(s_hist.back(), y_hist.back()) / dot(y_hist.back(), y_hist.back());
        for (auto& v : d) v *= gamma;
        for (std::size_t i = 0; i < s_hist.size(); ++i) {
            double beta = rho_hist[i] * dot(y_hist[i], d);
            for (std::size_t j = 0; j < n; ++j) d[j] += (alpha[i] - beta) * s_hist[i][j];
        }
        for (auto& v : d) v = -v;
        double slope = dot(g, d);
        if (slope >= 0) {  // not a descent direction (curvature went bad): restart from steepest descent
            s_hist.clear(), y_hist.clear(), rho_hist.clear();
            for (std::size_t j = 0; j < n; ++j) d[j] = -g[j] / std::max(1.0, std::sqrt(dot(g, g)));
            slope = dot(g, d);
        }

        // Backtracking line search with the Armijo condition.
        double step = 1.0, value_new = 0;
        bool accepted = false;
        for (int k = 0; k < 40; ++k) {
            for (std::size_t j = 0; j < n; ++j) x_new[j] = x[j] + step * d[j];
            value_new = f(x_new, g_new);
            if (std::isfinite(value_new) && value_new <= value + 1e-4 * step * slope) {
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if (!accepted) break;

        std::vector<double> s(n), y(n);
        for (std::size_t j = 0; j < n; ++j) s[j] = x_new[j] - x[j], y[j] = g_new[j] - g[j];
        double sy = dot(s, y);
        if (sy > 1e-12) {
            s_hist.push_back(std::move(s));
            y_hist.push_back(std::move(y));
            rho_hist.push_back(1.0 / sy);
            if (static_cast<int>(s_hist.size()) > options.history) {
                s_hist.pop_front(), y_hist.pop_front(), rho_hist.pop_front();
            }
        }
        double improvement = value - value_new;
        x.swap(x_new);
        g.swap(g_new);
        value = value_new;
        if (improvement <= options.relative_tolerance * std::max(1.0, std::abs(value))) break;
    }
    result.value = value;
    return result;
}

}  // namespace emo::train
