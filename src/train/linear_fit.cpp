#include "train/linear_fit.hpp"

#include "train/liblinear_fit.hpp"
#include "train/packed_rows.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace emo::train {

namespace {

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
void start_bias_at_mean(const LabelledRows& data, std::size_t n_rows, Loss loss, std::uint32_t outputs, double* bias) {
    for (std::uint32_t k = 0; k < outputs; ++k) {
        double sum = 0, count = 0;
        for (std::size_t i = 0; i < n_rows; ++i) {
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

namespace {

// The objective and its gradient over packed rows, with labels, targets and weights from `data` (whose rows are
// not read). `residual` is scratch of [rows][outputs].
double packed_objective(const PackedRows& rows, const LabelledRows& data, std::uint32_t classes,
                        const FitOptions& options, const std::vector<double>& x, std::vector<double>& grad,
                        std::vector<double>& residual) {
    const std::size_t n_rows = rows.rows();
    const std::size_t n_weights = std::size_t(rows.dim()) * classes;
    double total_weight = 0;
    for (std::size_t i = 0; i < n_rows; ++i) total_weight += data.weights.empty() ? 1.0 : data.weights[i];
    if (total_weight <= 0) total_weight = 1;

    residual.resize(n_rows * classes);
    std::vector<double> losses(PackedRows::chunks, 0.0);
    rows.for_each_logits(x.data(), x.data() + n_weights, classes, options.threads,
                         [&](unsigned chunk, std::size_t i, std::vector<double>& z) {
                             const double wi = (data.weights.empty() ? 1.0 : data.weights[i]) / total_weight;
                             row_loss(data, options, i, wi, z, losses[chunk]);
                             std::copy(z.begin(), z.end(), residual.begin() + static_cast<std::ptrdiff_t>(i * classes));
                         });
    grad.assign(n_weights + classes, 0.0);
    rows.transpose_times(residual, classes, options.threads, grad.data());
    for (std::size_t i = 0; i < n_rows; ++i)
        for (std::uint32_t k = 0; k < classes; ++k) grad[n_weights + k] += residual[i * classes + k];

    double loss = 0;
    for (double l : losses) loss += l;  // fixed order, so the sum does not depend on thread timing
    for (std::size_t j = 0; j < n_weights; ++j) {
        const double l2 = options.l2_per_output.empty() ? options.l2 : options.l2_per_output[j % classes];
        loss += 0.5 * l2 * x[j] * x[j];
        grad[j] += l2 * x[j];
    }
    return loss;
}

// Fits all `classes` outputs together; output `first` of options.start (when given) is where output 0 starts.
core::LinearModel fit_joint(const PackedRows& rows, const LabelledRows& data, std::uint32_t classes,
                            std::uint32_t dim, const FitOptions& options, std::uint32_t first = 0) {
    const std::uint32_t used_dim = rows.dim();
    const auto& original = rows.original();
    std::vector<double> x(std::size_t(used_dim) * classes + classes, 0.0);
    double* bias = x.data() + std::size_t(used_dim) * classes;
    if (options.start) {
        // Warm start (a neighbouring penalty's solution): unseen features keep 0, as the penalty would leave them.
        const auto& s = *options.start;
        for (std::uint32_t j = 0; j < used_dim; ++j)
            for (std::uint32_t k = 0; k < classes; ++k)
                x[std::size_t(j) * classes + k] = s.weights[std::size_t(original[j]) * s.classes + first + k];
        for (std::uint32_t k = 0; k < classes; ++k) bias[k] = s.bias[first + k];
    } else if (options.loss != Loss::softmax) {
        start_bias_at_mean(data, rows.rows(), options.loss, classes, bias);
    }
    std::vector<double> residual;
    minimize_lbfgs(
        [&](const std::vector<double>& p, std::vector<double>& g) {
            return packed_objective(rows, data, classes, options, p, g, residual);
        },
        x, options.lbfgs);
    core::LinearModel model;
    model.classes = classes;
    model.dim = dim;
    model.weights.assign(std::size_t(dim) * classes, 0.0f);
    for (std::uint32_t j = 0; j < used_dim; ++j)
        for (std::uint32_t k = 0; k < classes; ++k)
            model.weights[std::size_t(original[j]) * classes + k] = static_cast<float>(x[std::size_t(j) * classes + k]);
    model.bias.assign(x.end() - classes, x.end());
    return model;
}

}  // namespace

double linear_objective(const LabelledRows& data, std::uint32_t outputs, std::uint32_t dim, const FitOptions& options,
                        const std::vector<double>& x, std::vector<double>& grad) {
    const PackedRows rows(data.rows, dim, /*compact=*/false);
    std::vector<double> residual;
    return packed_objective(rows, data, outputs, options, x, grad, residual);
}

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
    if (options.start && (options.start->classes != classes || options.start->dim != dim))
        throw Error("linear fit: the starting model has another shape");

    // Optimise only over the features that occur: hashed n-gram spaces are mostly empty, and the optimiser's
    // vectors (parameters, gradients, history) shrink with them. Unseen features keep weight 0, which is also
    // where the L2 penalty would leave them.
    const PackedRows rows(data.rows, dim, /*compact=*/true);
    if (liblinear_can_fit(data, options)) return fit_sigmoid_liblinear(rows, data, classes, dim, options);
    if (options.loss == Loss::softmax || classes == 1) return fit_joint(rows, data, classes, dim, options);

    // Independent outputs (sigmoid, squared) are fitted one at a time, several in parallel: one output's weights
    // stay small enough for the cache, where a joint [dim][outputs] gradient does not, and each output converges at
    // its own pace. Every output's fit is single-threaded, so the model does not depend on the thread count.
    core::LinearModel model;
    model.classes = classes;
    model.dim = dim;
    model.weights.assign(std::size_t(dim) * classes, 0.0f);
    model.bias.assign(classes, 0.0f);
    parallel_for(classes, std::max(1u, options.threads), [&](unsigned k) {
        LabelledRows one{{}, {}, {}, data.weights};
        one.targets.reserve(data.rows.size());
        for (std::size_t i = 0; i < data.rows.size(); ++i) one.targets.push_back(data.targets[i * classes + k]);
        FitOptions single = options;
        single.threads = 1;
        single.l2 = options.l2_per_output.empty() ? options.l2 : options.l2_per_output[k];
        single.l2_per_output.clear();
        const auto fitted = fit_joint(rows, one, 1, dim, single, k);
        for (std::uint32_t j = 0; j < dim; ++j) model.weights[std::size_t(j) * classes + k] = fitted.weights[j];
        model.bias[k] = fitted.bias[0];
    });
    return model;
}

}  // namespace emo::train
