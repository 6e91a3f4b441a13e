#include "train/lbfgs.hpp"

#include <algorithm>
#include <cmath>

namespace emo::train {

namespace {

double max_abs(const std::vector<double>& a) {
    double m = 0;
    for (double v : a) m = std::max(m, std::abs(v));
    return m;
}

// sum a[e] b[e] over [0, count) in double precision, in four interleaved partial sums: one running sum is bound by
// the latency of each addition (the compiler may not reorder it), four keep the arithmetic units busy.
template <class A, class B>
double dot(const A* a, const B* b, std::size_t count) {
    double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    std::size_t e = 0;
    for (; e + 4 <= count; e += 4) {
        p0 += static_cast<double>(a[e]) * b[e];
        p1 += static_cast<double>(a[e + 1]) * b[e + 1];
        p2 += static_cast<double>(a[e + 2]) * b[e + 2];
        p3 += static_cast<double>(a[e + 3]) * b[e + 3];
    }
    for (; e < count; ++e) p0 += static_cast<double>(a[e]) * b[e];
    return (p0 + p1) + (p2 + p3);
}

// The last steps s = x' - x and gradient changes y = g' - g with their inner products, so that the search direction
// is found in the small space they span ("vector-free" L-BFGS: the two-loop recursion runs on coefficients, and each
// iteration makes two passes over the stored vectors instead of four per pair). On problems of a million parameters
// the recursion is bound by memory traffic; for the same reason the pairs are kept in single precision, which the
// direction does not need more of (the line search checks every step in double precision).
class History {
public:
    History(std::size_t n, int capacity)
        : n_(n), m_(static_cast<std::size_t>(std::max(1, capacity))), scratch_s_(n), scratch_y_(n),
          gram_((2 * m_ + 1) * (2 * m_ + 1), 0.0) {}

    // Stores (x_new - x, g_new - g) if its curvature is positive (dropping the oldest pair when full), then
    // refreshes the inner products of the stored vectors and the new gradient g_new.
    void update(const std::vector<double>& x, const std::vector<double>& x_new, const std::vector<double>& g,
                const std::vector<double>& g_new) {
        double sy = 0;
        for (std::size_t e = 0; e < n_; ++e) {
            scratch_s_[e] = static_cast<float>(x_new[e] - x[e]);
            scratch_y_[e] = static_cast<float>(g_new[e] - g[e]);
            sy += static_cast<double>(scratch_s_[e]) * scratch_y_[e];
        }
        std::size_t added = m_;  // slot of the new pair; m_ = none
        if (sy > 1e-12) {
            if (s_.size() < m_) {
                added = s_.size();
                s_.push_back(scratch_s_);
                y_.push_back(scratch_y_);
                rho_.push_back(0);
            } else {
                added = order_.front();
                order_.erase(order_.begin());
                std::swap(s_[added], scratch_s_);
                std::swap(y_[added], scratch_y_);
            }
            order_.push_back(added);
        }
        refresh_products(g_new, added);
        if (added < m_) rho_[added] = 1.0 / gram(added, m_ + added);
    }


    // d = -H g for the gradient g of the last update (or of reset()), and returns g'd.
    double direction(const std::vector<double>& g, std::vector<double>& d) const {
        const std::size_t b = 2 * m_ + 1, gi = 2 * m_;
        std::vector<double> delta(b, 0.0), alpha(m_, 0.0);
        delta[gi] = 1;
        auto product = [&](std::size_t row) {  // (basis vector row) . (sum_b delta_b basis_b)
            double sum = 0;
            for (std::size_t j = 0; j < b; ++j) sum += delta[j] * gram(row, j);
            return sum;
        };
        for (std::size_t i = order_.size(); i-- > 0;) {
            const std::size_t k = order_[i];
            alpha[k] = rho_[k] * product(k);
            delta[m_ + k] -= alpha[k];
        }
        const double gamma = order_.empty() ? 1.0 / std::max(1.0, std::sqrt(gram(gi, gi)))
                                            : gram(order_.back(), m_ + order_.back()) /
                                                  gram(m_ + order_.back(), m_ + order_.back());
        for (auto& v : delta) v *= gamma;
        for (const std::size_t k : order_) delta[k] += alpha[k] - rho_[k] * product(m_ + k);

        // d = -(delta_g g + sum_k delta_sk s_k + delta_yk y_k), in blocks so that d stays in cache.
        for (std::size_t begin = 0; begin < n_; begin += block) {
            const std::size_t end = std::min(n_, begin + block);
            for (std::size_t e = begin; e < end; ++e) d[e] = delta[gi] * g[e];
            for (const std::size_t k : order_) {
                const float* s = s_[k].data();
                const float* y = y_[k].data();
                const double ds = delta[k], dy = delta[m_ + k];
                for (std::size_t e = begin; e < end; ++e) d[e] += ds * s[e] + dy * y[e];
            }
            for (std::size_t e = begin; e < end; ++e) d[e] = -d[e];
        }
        return -product(gi);
    }

    // Forgets every pair (at the start, or when the curvature went bad) and takes g as the current gradient.
    void reset(const std::vector<double>& g) {
        s_.clear(), y_.clear(), rho_.clear(), order_.clear();
        refresh_products(g, m_);
    }

private:
    static constexpr std::size_t block = 2048;  // elements per block of the passes over the stored vectors

    double& gram(std::size_t a, std::size_t b) { return gram_[a * (2 * m_ + 1) + b]; }
    double gram(std::size_t a, std::size_t b) const { return gram_[a * (2 * m_ + 1) + b]; }

    // Inner products of g with every stored vector, and of the pair in slot `added` (if < m_) with every stored
    // vector, in blocks of elements so that the new vectors stay in cache while the old ones stream past.
    void refresh_products(const std::vector<double>& g, std::size_t added) {
        const std::size_t gi = 2 * m_;
        const std::size_t count = order_.size();
        std::vector<double> g_s(count, 0), g_y(count, 0), s_s(count, 0), s_y(count, 0), y_s(count, 0), y_y(count, 0);
        double g_g = 0;
        for (std::size_t begin = 0; begin < n_; begin += block) {
            const std::size_t len = std::min(n_, begin + block) - begin;
            const double* gb = g.data() + begin;
            g_g += dot(gb, gb, len);
            for (std::size_t i = 0; i < count; ++i) {
                const float* s = s_[order_[i]].data() + begin;
                const float* y = y_[order_[i]].data() + begin;
                g_s[i] += dot(gb, s, len), g_y[i] += dot(gb, y, len);
                if (added < m_) {
                    const float* sn = s_[added].data() + begin;
                    const float* yn = y_[added].data() + begin;
                    s_s[i] += dot(sn, s, len), s_y[i] += dot(sn, y, len);
                    y_s[i] += dot(yn, s, len), y_y[i] += dot(yn, y, len);
                }
            }
        }
        gram(gi, gi) = g_g;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t k = order_[i];
            gram(gi, k) = gram(k, gi) = g_s[i];
            gram(gi, m_ + k) = gram(m_ + k, gi) = g_y[i];
            if (added < m_) {
                gram(added, k) = gram(k, added) = s_s[i];
                gram(added, m_ + k) = gram(m_ + k, added) = s_y[i];
                gram(m_ + added, k) = gram(k, m_ + added) = y_s[i];
                gram(m_ + added, m_ + k) = gram(m_ + k, m_ + added) = y_y[i];
            }
        }
    }

    std::size_t n_, m_;
    std::vector<float> scratch_s_, scratch_y_;
    std::vector<std::vector<float>> s_, y_;  // by slot
    std::vector<double> rho_;                // 1 / s'y, by slot
    std::vector<std::size_t> order_;         // slots from the oldest pair to the newest
    std::vector<double> gram_;               // inner products over [s by slot, y by slot, g]
};

}  // namespace

LbfgsResult minimize_lbfgs(const Objective& f, std::vector<double>& x, const LbfgsOptions& options) {
    const std::size_t n = x.size();
    std::vector<double> g(n), g_new(n), x_new(n), d(n);
    double value = f(x, g);
    History history(n, options.history);
    history.reset(g);
    std::vector<double> recent;  // objective values of the last few iterations, for the stopping rule
    LbfgsResult result;

    for (int it = 0; it < options.max_iterations; ++it) {
        result.iterations = it + 1;
        if (max_abs(g) < options.gradient_tolerance) break;

        double slope = history.direction(g, d);
        if (!(slope < 0)) {  // not a descent direction (curvature went bad): restart from steepest descent
            history.reset(g);
            slope = history.direction(g, d);
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

        history.update(x, x_new, g, g_new);
        x.swap(x_new);
        g.swap(g_new);
        value = value_new;
        // Converged when the objective has gained less than the tolerance per iteration over the last few: one
        // short step alone does not stop the descent.
        recent.push_back(value);
        constexpr std::size_t window = 5;
        if (recent.size() > window) {
            recent.erase(recent.begin());
            const double gain = (recent.front() - recent.back()) / static_cast<double>(window - 1);
            if (gain <= options.relative_tolerance * std::max(1.0, std::abs(value))) break;
        }
    }
    result.value = value;
    return result;
}

}  // namespace emo::train
