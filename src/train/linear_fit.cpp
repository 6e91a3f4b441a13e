#include "train/linear_fit.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>

namespace emo::train {

namespace {

constexpr unsigned fixed_chunks = 8;

// Adds row i's loss to `loss` and writes dLoss/dz (scaled by the row weight wi) into z, which holds the logits.
void row_loss(const LabelledRows& data, const FitOptions& options, std::size_t i, double wi, std::vector<double>& z,
              double& loss) {
    const std::size_t outputs = z.size();
    switch (options.loss) {
        case Loss::softmax: {
            double m = *std::max_element(z.begin(), z.end()), sum = 0;
            for (auto& v : z) sum += (v = std::exp(v - m));
            const int y = data.labels[i];
            loss -= wi * std::log(std::max(z[y] / sum, 1e-300));
            for (std::size_t k = 0; k < outputs; ++k) z[k] = wi * (z[k] / sum - (static_cast<int>(k) == y));
            break;
        }
        case Loss::sigmoid:
        case Loss::squared: {
            const float* y = data.targets.data() + i * outputs;
            for (std::size_t k = 0; k < outputs; ++k) {
                if (std::isnan(y[k])) {
                    z[k] = 0;
                    continue;
                }
                if (options.loss == Loss::squared) {
                    const double d = z[k] - y[k];
                    loss += wi * 0.5 * d * d;
                    z[k] = wi * d;
                } else {
                    // log(1 + e^z) - y z, written so that neither branch overflows.
                    const double softplus = z[k] > 0 ? z[k] + std::log1p(std::exp(-z[k])) : std::log1p(std::exp(z[k]));
                    loss += wi * (softplus - y[k] * z[k]);
                    const double p = z[k] > 0 ? 1.0 / (1.0 + std::exp(-z[k])) : std::exp(z[k]) / (1.0 + std::exp(z[k]));
                    z[k] = wi * (p - y[k]);
                }
            }
            break;
        }
    }
}

// Starts each output's bias at its mean target (squared) or log-odds of its rate (sigmoid): the optimum when the
// weights are zero, which saves L-BFGS the iterations it would spend finding it.
void start_bias_at_mean(const LabelledRows& data, Loss loss, std::uint32_t outputs, double* bias) {
    for (std::uint32_t k = 0; k < outputs; ++k) {
        double sum = 0, count = 0;
        for (std::size_t i = 0; i < data.rows.size(); ++i) {
            const float y = data.targets[i * outputs + k];
            if (std::isnan(y)) continue;
            const double w = data.weights.empty() ? 1.0 : data.weights[i];
            sum += w * y;
            count += w;
        }
        if (count <= 0) continue;
        const double mean = sum / count;
        if (loss == Loss::squared) bias[k] = mean;
        else bias[k] = std::log(std::clamp(mean, 1e-6, 1 - 1e-6) / (1 - std::clamp(mean, 1e-6, 1 - 1e-6)));
    }
}

}  // namespace

double linear_objective(const LabelledRows& data, std::uint32_t outputs, std::uint32_t dim, const FitOptions& options,
                        const std::vector<double>& x, std::vector<double>& grad) {
    const std::uint32_t classes = outputs;
    const std::size_t n_rows = data.rows.size();
    const std::size_t n_params = std::size_t(dim) * classes + classes;
    const double* bias = x.data() + std::size_t(dim) * classes;
    double total_weight = 0;
    for (std::size_t i = 0; i < n_rows; ++i) total_weight += data.weights.empty() ? 1.0 : data.weights[i];
    if (total_weight <= 0) total_weight = 1;

    // A fixed number of chunks, whatever the thread count, so that the summation order (and so the trained model, to
    // the last bit) is the same on every machine.
    const unsigned n_chunks = std::max(1u, std::min<unsigned>(fixed_chunks, static_cast<unsigned>(n_rows)));
    const unsigned n_workers = std::max(1u, std::min(options.threads, n_chunks));
    std::vector<std::vector<double>> grads(n_chunks);
    std::vector<double> losses(n_chunks, 0.0);
    auto work = [&](unsigned c) {
        auto& gr = grads[c];
        gr.assign(n_params, 0.0);
        std::vector<double> z(classes);
        std::size_t begin = n_rows * c / n_chunks, end = n_rows * (c + 1) / n_chunks;
        for (std::size_t i = begin; i < end; ++i) {
            const auto& row = *data.rows[i];
            for (std::uint32_t k = 0; k < classes; ++k) z[k] = bias[k];
            for (const auto& f : row) {
                if (f.index >= dim) continue;
                const double* w = x.data() + std::size_t(f.index) * classes;
                for (std::uint32_t k = 0; k < classes; ++k) z[k] += w[k] * f.value;
            }
            const double wi = (data.weights.empty() ? 1.0 : data.weights[i]) / total_weight;
            row_loss(data, options, i, wi, z, losses[c]);
            for (const auto& f : row) {
                if (f.index >= dim) continue;
                double* g = gr.data() + std::size_t(f.index) * classes;
                for (std::uint32_t k = 0; k < classes; ++k) g[k] += z[k] * f.value;
            }
            double* gb = gr.data() + std::size_t(dim) * classes;
            for (std::uint32_t k = 0; k < classes; ++k) gb[k] += z[k];
        }
    };
    if (n_workers == 1) {
        for (unsigned c = 0; c < n_chunks; ++c) work(c);
    } else {
        std::vector<std::thread> pool;
        for (unsigned w = 0; w < n_workers; ++w)
            pool.emplace_back([&, w] {
                for (unsigned c = w; c < n_chunks; c += n_workers) work(c);
            });
        for (auto& t : pool) t.join();
    }

    grad.assign(n_params, 0.0);
    double loss = 0;
    for (unsigned c = 0; c < n_chunks; ++c) {  // fixed order, so the sum does not depend on thread timing
        loss += losses[c];
        for (std::size_t j = 0; j < n_params; ++j) grad[j] += grads[c][j];
    }
    const std::size_t n_weights = std::size_t(dim) * classes;
    for (std::size_t j = 0; j < n_weights; ++j) {
        const double l2 = options.l2_per_output.empty() ? options.l2 : options.l2_per_output[j % classes];
        loss += 0.5 * l2 * x[j] * x[j];
        grad[j] += l2 * x[j];
    }
    return loss;
}

namespace {

// Fits all outputs together over the features that occur in the data.
core::LinearModel fit_joint(const LabelledRows& data, std::uint32_t classes, std::uint32_t dim,
                            const FitOptions& options) {
    // Optimise only over the features that occur: hashed n-gram spaces are mostly empty, and the optimiser's
    // vectors (parameters, gradients, history) shrink with them. Unseen features keep weight 0, which is also
    // where the L2 penalty would leave them.
    std::vector<std::uint32_t> compact(dim, UINT32_MAX), used;
    for (const auto* row : data.rows)
        for (const auto& f : *row)
            if (f.index < dim && compact[f.index] == UINT32_MAX) {
                compact[f.index] = 0;
                used.push_back(f.index);
            }
    std::sort(used.begin(), used.end());
    for (std::uint32_t j = 0; j < used.size(); ++j) compact[used[j]] = j;
    std::vector<core::SparseRow> rows(data.rows.size());
    LabelledRows packed{{}, data.labels, data.targets, data.weights};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (const auto& f : *data.rows[i])
            if (f.index < dim) rows[i].push_back({compact[f.index], f.value});
        packed.rows.push_back(&rows[i]);
    }
    const auto used_dim = static_cast<std::uint32_t>(used.size());

    std::vector<double> x(std::size_t(used_dim) * classes + classes, 0.0);
    if (options.loss != Loss::softmax) start_bias_at_mean(data, options.loss, classes, x.data() + std::size_t(used_dim) * classes);
    minimize_lbfgs(
        [&](const std::vector<double>& p, std::vector<double>& g) {
            return linear_objective(packed, classes, used_dim, options, p, g);
        },
        x, options.lbfgs);
    core::LinearModel model;
    model.classes = classes;
    model.dim = dim;
    model.weights.assign(std::size_t(dim) * classes, 0.0f);
    for (std::uint32_t j = 0; j < used_dim; ++j)
        for (std::uint32_t k = 0; k < classes; ++k)
            model.weights[std::size_t(used[j]) * classes + k] = static_cast<float>(x[std::size_t(j) * classes + k]);
    model.bias.assign(x.end() - classes, x.end());
    return model;
}

}  // namespace

core::LinearModel fit_linear(const LabelledRows& data, std::uint32_t classes, std::uint32_t dim,
                             const FitOptions& options) {
    if (options.loss == Loss::softmax) {
        if (classes < 2) throw Error("logistic regression needs at least two classes");
        if (data.rows.size() != data.labels.size()) throw Error("logistic regression: rows and labels differ in number");
    } else {
        if (classes < 1) throw Error("a linear fit needs at least one output");
        if (data.targets.size() != data.rows.size() * classes)
            throw Error("linear fit: targets are not rows x outputs");
    }
    if (!options.l2_per_output.empty() && options.l2_per_output.size() != classes)
        throw Error("linear fit: one penalty per output expected");

    if (options.loss == Loss::softmax || classes == 1) return fit_joint(data, classes, dim, options);

    // Independent outputs (sigmoid, squared) are fitted one at a time, several in parallel: one output's weights
    // stay small enough for the cache, where a joint [dim][outputs] gradient does not, and each output converges at
    // its own pace. Every output's fit is single-threaded, so the model does not depend on the thread count.
    core::LinearModel model;
    model.classes = classes;
    model.dim = dim;
    model.weights.assign(std::size_t(dim) * classes, 0.0f);
    model.bias.assign(classes, 0.0f);
    std::atomic<std::uint32_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_lock;
    auto worker = [&] {
        for (std::uint32_t k; (k = next++) < classes;) {
            try {
                LabelledRows one{data.rows, {}, {}, data.weights};
                one.targets.reserve(data.rows.size());
                for (std::size_t i = 0; i < data.rows.size(); ++i) one.targets.push_back(data.targets[i * classes + k]);
                FitOptions single = options;
                single.threads = 1;
                single.l2 = options.l2_per_output.empty() ? options.l2 : options.l2_per_output[k];
                single.l2_per_output.clear();
                const auto fitted = fit_joint(one, 1, dim, single);
                for (std::uint32_t j = 0; j < dim; ++j) model.weights[std::size_t(j) * classes + k] = fitted.weights[j];
                model.bias[k] = fitted.bias[0];
            } catch (...) {
                std::lock_guard lock(failure_lock);
                failure = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < std::min<unsigned>(std::max(1u, options.threads), classes); ++w) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    return model;
}

}  // namespace emo::train
