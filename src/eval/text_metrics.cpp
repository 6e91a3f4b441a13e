// Metrics for single texts: multi-label classification (GoEmotions) and regression on numeric targets (EmoBank).
#include "eval/class_table.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace emo {
namespace {

// sklearn's zero_division=0: a ratio with nothing to divide by is 0.
double ratio(double num, double den) { return den > 0 ? num / den : 0; }

}  // namespace

MultiLabelReport evaluate_multilabel(const std::vector<std::vector<std::size_t>>& gold,
                                     const std::vector<std::vector<std::size_t>>& predicted,
                                     const std::vector<std::string>& labels) {
    if (gold.size() != predicted.size())
        throw Error("evaluate_multilabel: gold and predicted label sets differ in number");
    const std::size_t n_labels = labels.size();
    std::vector<std::size_t> tp(n_labels, 0), fp(n_labels, 0), support(n_labels, 0);
    std::vector<char> in_gold(n_labels, 0);
    double jaccard_sum = 0;
    auto check = [&](std::size_t k, std::size_t text, const char* which) {
        if (k >= n_labels)
            throw Error(std::string(which) + " label index " + std::to_string(k) + " of text " + std::to_string(text) +
                        " is out of range (" + std::to_string(n_labels) + " labels)");
    };
    for (std::size_t i = 0; i < gold.size(); ++i) {
        for (std::size_t k : gold[i]) {
            check(k, i, "gold");
            in_gold[k] = 1;
            ++support[k];
        }
        std::size_t common = 0;
        for (std::size_t k : predicted[i]) {
            check(k, i, "predicted");
            if (in_gold[k]) ++common, ++tp[k];
            else ++fp[k];
        }
        const std::size_t either = gold[i].size() + predicted[i].size() - common;
        jaccard_sum += either == 0 ? 1.0 : double(common) / double(either);
        for (std::size_t k : gold[i]) in_gold[k] = 0;
    }

    MultiLabelReport report;
    report.labels = labels;
    report.count = gold.size();
    report.jaccard = ratio(jaccard_sum, double(gold.size()));
    std::size_t tp_sum = 0, fp_sum = 0, fn_sum = 0;
    for (std::size_t k = 0; k < n_labels; ++k) {
        ClassReport c;
        c.label = labels[k];
        c.support = support[k];
        c.precision = ratio(double(tp[k]), double(tp[k] + fp[k]));
        c.recall = ratio(double(tp[k]), double(support[k]));
        c.f1 = ratio(2 * c.precision * c.recall, c.precision + c.recall);
        report.macro_f1 += c.f1 / double(n_labels);
        report.per_label.push_back(c);
        tp_sum += tp[k], fp_sum += fp[k], fn_sum += support[k] - tp[k];
    }
    report.micro_f1 = ratio(2.0 * double(tp_sum), double(2 * tp_sum + fp_sum + fn_sum));
    return report;
}

std::string to_json(const MultiLabelReport& r) {
    nlohmann::ordered_json j;
    j["count"] = r.count;
    j["macro_f1"] = r.macro_f1;
    j["micro_f1"] = r.micro_f1;
    j["jaccard"] = r.jaccard;
    j["per_label"] = nlohmann::ordered_json::array();
    for (const auto& c : r.per_label)
        j["per_label"].push_back({{"label", c.label},
                                  {"precision", c.precision},
                                  {"recall", c.recall},
                                  {"f1", c.f1},
                                  {"support", c.support}});
    return j.dump();
}

std::string to_text(const MultiLabelReport& r) {
    std::ostringstream out;
    char line[256];
    std::snprintf(line, sizeof line, "texts        %zu\nmacro-F1     %.4f\nmicro-F1     %.4f\njaccard      %.4f\n\n",
                  r.count, r.macro_f1, r.micro_f1, r.jaccard);
    out << line;
    out << eval::class_table(r.per_label);
    return out.str();
}

RegressionReport evaluate_regression(const std::vector<std::vector<double>>& gold,
                                     const std::vector<std::vector<double>>& predicted,
                                     const std::vector<std::string>& names) {
    if (gold.size() != predicted.size()) throw Error("evaluate_regression: gold and predicted values differ in number");
    for (std::size_t i = 0; i < gold.size(); ++i)
        if (gold[i].size() != names.size() || predicted[i].size() != names.size())
            throw Error("evaluate_regression: text " + std::to_string(i) + " does not have " +
                        std::to_string(names.size()) + " gold and predicted values");
    RegressionReport report;
    for (std::size_t t = 0; t < names.size(); ++t) {
        TargetReport target;
        target.name = names[t];
        // Two passes (means, then centred moments) keep the variances accurate when the values are far from 0.
        double mean_x = 0, mean_y = 0;
        for (std::size_t i = 0; i < gold.size(); ++i) {
            if (std::isnan(gold[i][t])) continue;
            ++target.count;
            mean_x += gold[i][t];
            mean_y += predicted[i][t];
        }
        const double n = double(target.count);
        mean_x = ratio(mean_x, n), mean_y = ratio(mean_y, n);
        double var_x = 0, var_y = 0, cov = 0, abs_sum = 0;
        for (std::size_t i = 0; i < gold.size(); ++i) {
            if (std::isnan(gold[i][t])) continue;
            const double dx = gold[i][t] - mean_x, dy = predicted[i][t] - mean_y;
            var_x += dx * dx, var_y += dy * dy, cov += dx * dy;
            abs_sum += std::fabs(gold[i][t] - predicted[i][t]);
        }
        var_x = ratio(var_x, n), var_y = ratio(var_y, n), cov = ratio(cov, n);
        // Fewer than two pairs or a constant side leave the correlation undefined; 0 reads as "no agreement shown".
        if (target.count >= 2 && var_x > 0 && var_y > 0) target.pearson = cov / std::sqrt(var_x * var_y);
        target.ccc = ratio(2 * cov, var_x + var_y + (mean_x - mean_y) * (mean_x - mean_y));
        target.mae = ratio(abs_sum, n);
        report.targets.push_back(target);
    }
    return report;
}

std::string to_json(const RegressionReport& r) {
    nlohmann::ordered_json j;
    j["targets"] = nlohmann::ordered_json::array();
    for (const auto& t : r.targets)
        j["targets"].push_back(
            {{"name", t.name}, {"pearson", t.pearson}, {"ccc", t.ccc}, {"mae", t.mae}, {"count", t.count}});
    return j.dump();
}

std::string to_text(const RegressionReport& r) {
    std::ostringstream out;
    char line[256];
    std::vector<std::string> names;
    for (const auto& t : r.targets) names.push_back(t.name);
    const int width = eval::name_width(names);
    std::snprintf(line, sizeof line, "%-*s %9s %9s %9s %9s\n", width, "target", "pearson", "ccc", "mae", "count");
    out << line;
    for (const auto& t : r.targets) {
        std::snprintf(line, sizeof line, "%-*s %9.4f %9.4f %9.4f %9zu\n", width, t.name.c_str(), t.pearson, t.ccc,
                      t.mae, t.count);
        out << line;
    }
    return out.str();
}

}  // namespace emo
