// Classification metrics for emo eval and for model selection during training.
#include "eval/class_table.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>
#include <unordered_map>

namespace emo {

EvalReport evaluate(const std::vector<std::string>& gold, const std::vector<std::string>& predicted,
                    const std::vector<std::string>& labels) {
    if (gold.size() != predicted.size()) throw Error("evaluate: gold and predicted labels differ in number");
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < labels.size(); ++i) index[labels[i]] = i;
    EvalReport report;
    report.labels = labels;
    report.count = gold.size();
    report.confusion.assign(labels.size(), std::vector<std::size_t>(labels.size(), 0));
    std::size_t correct = 0;
    for (std::size_t i = 0; i < gold.size(); ++i) {
        auto g = index.find(gold[i]);
        if (g == index.end()) throw Error("gold label '" + gold[i] + "' is not one of the model's labels");
        auto p = index.find(predicted[i]);
        if (p == index.end()) throw Error("predicted label '" + predicted[i] + "' is not one of the model's labels");
        ++report.confusion[g->second][p->second];
        correct += g->second == p->second;
    }
    report.accuracy = gold.empty() ? 0 : double(correct) / double(gold.size());
    for (std::size_t k = 0; k < labels.size(); ++k) {
        std::size_t tp = report.confusion[k][k], gold_k = 0, pred_k = 0;
        for (std::size_t j = 0; j < labels.size(); ++j)
            gold_k += report.confusion[k][j], pred_k += report.confusion[j][k];
        ClassReport c;
        c.label = labels[k];
        c.support = gold_k;
        c.precision = pred_k ? double(tp) / double(pred_k) : 0;
        c.recall = gold_k ? double(tp) / double(gold_k) : 0;
        c.f1 = c.precision + c.recall > 0 ? 2 * c.precision * c.recall / (c.precision + c.recall) : 0;
        report.per_class.push_back(c);
        report.macro_f1 += c.f1 / double(labels.size());
        if (!gold.empty()) report.weighted_f1 += c.f1 * double(gold_k) / double(gold.size());
    }
    return report;
}

std::string to_json(const EvalReport& r) {
    nlohmann::ordered_json j;
    j["count"] = r.count;
    j["accuracy"] = r.accuracy;
    j["weighted_f1"] = r.weighted_f1;
    j["macro_f1"] = r.macro_f1;
    j["per_class"] = nlohmann::ordered_json::object();
    for (const auto& c : r.per_class)
        j["per_class"][c.label] = {
            {"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1}, {"support", c.support}};
    j["labels"] = r.labels;
    j["confusion"] = r.confusion;
    return j.dump();
}

std::string to_text(const EvalReport& r) { return eval::report_text(r, "utterances"); }

std::string eval::report_text(const EvalReport& r, const char* unit) {
    std::ostringstream out;
    char line[256];
    std::snprintf(line, sizeof line, "%-12s %zu\naccuracy     %.4f\nweighted-F1  %.4f\nmacro-F1     %.4f\n\n", unit,
                  r.count, r.accuracy, r.weighted_f1, r.macro_f1);
    out << line;
    out << eval::class_table(r.per_class);
    out << "\nconfusion (rows: gold, columns: predicted)\n";
    std::snprintf(line, sizeof line, "%-14s", "");
    out << line;
    for (const auto& l : r.labels) {
        std::snprintf(line, sizeof line, " %8.8s", l.c_str());
        out << line;
    }
    out << '\n';
    for (std::size_t g = 0; g < r.labels.size(); ++g) {
        std::snprintf(line, sizeof line, "%-14s", r.labels[g].c_str());
        out << line;
        for (auto n : r.confusion[g]) {
            std::snprintf(line, sizeof line, " %8zu", n);
            out << line;
        }
        out << '\n';
    }
    return out.str();
}

}  // namespace emo
