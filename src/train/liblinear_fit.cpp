#include "train/liblinear_fit.hpp"

#include <emo/emo.hpp>

#include <linear.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

namespace emo::train {

namespace {

// liblinear reports its iterations on standard output unless told otherwise; emo's progress goes to standard error.
void silence_liblinear() {
    static std::once_flag once;
    std::call_once(once, [] { set_print_string_function([](const char*) {}); });
}

// The intercept's feature value. liblinear penalises its weight like the others, so the intercept b costs
// (b / intercept_feature)^2 / 2: at 10, a hundredth of a weight's penalty, which keeps small training sets' intercepts
// where fit_linear's unpenalised one would be (a few dozen rows at C = 0.01 otherwise pull it to 0).
constexpr double intercept_feature = 10.0;

}  // namespace

bool liblinear_can_fit(const LabelledRows& data, const FitOptions& options) {
    if (options.loss != Loss::sigmoid || !data.weights.empty() || !options.l2_per_output.empty()) return false;
    // liblinear takes class labels: soft targets (the cause trainer's span model) and missing ones stay with L-BFGS.
    return std::all_of(data.targets.begin(), data.targets.end(), [](float y) { return y == 0.0f || y == 1.0f; });
}

core::LinearModel fit_sigmoid_liblinear(const PackedRows& rows, const LabelledRows& data, std::uint32_t outputs,
                                        std::uint32_t dim, const FitOptions& options) {
    silence_liblinear();
    const std::size_t n = rows.rows();
    const std::uint32_t used_dim = rows.dim();
    const auto& original = rows.original();
    if (n == 0) throw Error("logistic regression: no rows to fit");

    // liblinear's rows: 1-based feature indices, then the intercept's feature (index used_dim + 1), then an end
    // marker; shared by every output's problem.
    std::vector<feature_node> nodes;
    nodes.reserve(rows.row_begin(n) + 2 * n);
    std::vector<std::size_t> row_at(n);
    for (std::size_t i = 0; i < n; ++i) {
        row_at[i] = nodes.size();
        for (std::size_t e = rows.row_begin(i); e < rows.row_begin(i + 1); ++e)
            nodes.push_back({static_cast<int>(rows.entry_feature(e)) + 1, rows.entry_value(e)});
        std::sort(nodes.begin() + static_cast<std::ptrdiff_t>(row_at[i]), nodes.end(),
                  [](const feature_node& a, const feature_node& b) { return a.index < b.index; });
        nodes.push_back({static_cast<int>(used_dim) + 1, intercept_feature});
        nodes.push_back({-1, 0.0});
    }
    std::vector<feature_node*> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = nodes.data() + row_at[i];

    core::LinearModel model;
    model.classes = outputs;
    model.dim = dim;
    model.weights.assign(std::size_t(dim) * outputs, 0.0f);
    model.bias.assign(outputs, 0.0f);
    parallel_for(outputs, std::max(1u, options.threads), [&](unsigned k) {
        // +1 / -1 labels: liblinear then makes +1 its positive class whichever comes first.
        std::vector<double> y(n);
        bool has_positive = false, has_negative = false;
        for (std::size_t i = 0; i < n; ++i) {
            y[i] = data.targets[i * outputs + k] == 1.0f ? 1.0 : -1.0;
            (y[i] > 0 ? has_positive : has_negative) = true;
        }
        if (!has_positive || !has_negative) {
            // One class only: the optimum has no weights and an intercept at minus or plus infinity; a large one
            // keeps predictions finite.
            model.bias[k] = has_positive ? 30.0f : -30.0f;
            return;
        }
        problem prob{};
        prob.l = static_cast<int>(n);
        prob.n = static_cast<int>(used_dim) + 1;
        prob.y = y.data();
        prob.x = x.data();
        prob.bias = intercept_feature;

        std::vector<double> init;
        parameter param{};
        param.solver_type = L2R_LR;
        param.eps = options.newton_tolerance;
        // fit_linear minimises mean loss + l2/2 |w|^2; liblinear C * summed loss + 1/2 |w|^2, the same times 1/l2.
        param.C = 1.0 / (options.l2 * static_cast<double>(n));
        if (options.start) {
            const auto& s = *options.start;
            init.resize(used_dim + 1);
            for (std::uint32_t j = 0; j < used_dim; ++j)
                init[j] = s.weights[std::size_t(original[j]) * s.classes + k];
            init[used_dim] = s.bias[k] / intercept_feature;
            param.init_sol = init.data();
        }
        if (const char* problem_text = check_parameter(&prob, &param))
            throw Error(std::string("liblinear: ") + problem_text);
        std::unique_ptr<struct model, void (*)(struct model*)> fitted(
            ::train(&prob, &param), [](struct model* m) { free_and_destroy_model(&m); });
        if (!fitted) throw Error("liblinear: training failed");
        // w is the decision value of label[0]: +1 normally, but flip it should liblinear order them otherwise.
        const double sign = fitted->label[0] > 0 ? 1.0 : -1.0;
        for (std::uint32_t j = 0; j < used_dim; ++j)
            model.weights[std::size_t(original[j]) * outputs + k] = static_cast<float>(sign * fitted->w[j]);
        model.bias[k] = static_cast<float>(sign * fitted->w[used_dim] * intercept_feature);
    });
    return model;
}

}  // namespace emo::train
