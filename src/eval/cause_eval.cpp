// RECCON's evaluation of an emotion-cause model: pair decisions (causal emotion entailment) and spans (causal span
// extraction), with gold or predicted emotions.
#include "dialog/cause_annotations.hpp"
#include "dialog/cause_model.hpp"
#include "eval/cause_metrics.hpp"
#include "labels/emotion_names.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <ostream>

namespace emo {

CauseReport evaluate_causes(const CauseModel& cause_model, const std::vector<Conversation>& conversations,
                            const Model* emotions, std::ostream& warnings) {
    const dialog::CauseModel& model = cause_model.impl_->model;
    CauseReport report;
    report.emotions = emotions ? "predicted" : "gold";
    eval::BinaryCounts pairs;
    dialog::AnnotationProblems problems;
    double span_exact = 0, span_f1 = 0, whole_exact = 0, whole_f1 = 0, end_to_end_f1 = 0;
    for (const auto& conversation : conversations) {
        const auto& utterances = conversation.utterances;
        const auto targets = dialog::cause_targets(conversation, problems);
        std::vector<std::string> labels(utterances.size());
        for (std::size_t i = 0; i < utterances.size(); ++i) labels[i] = utterances[i].label;
        if (emotions) {
            const auto results = emotions->analyze(conversation);
            for (std::size_t i = 0; i < utterances.size(); ++i)
                labels[i] = results[i].error.empty() ? results[i].emotion : "neutral";
        }
        const auto turns = dialog::cause_turns(conversation, labels);
        // Gold weight of each (target, candidate): how many annotations name that candidate.
        std::map<std::size_t, std::vector<double>> gold;
        for (const auto& target : targets) {
            auto& w = gold[target.utterance];
            w.assign(target.utterance + 1, 0.0);
            for (std::size_t j : target.causes) w[j] += 1;
        }
        if (emotions)
            for (std::size_t t = 0; t < utterances.size(); ++t)
                if (utterances[t].error.empty() && !labels::is_neutral(labels[t]) && !gold.count(t))
                    gold[t].assign(t + 1, 0.0);
        std::map<std::size_t, std::vector<double>> probabilities;
        for (const auto& [t, weights] : gold) {
            const bool predicted_target = !labels::is_neutral(labels[t]);
            if (predicted_target) probabilities[t] = model.pair_probabilities(turns, t);
            for (std::size_t j = 0; j <= t; ++j) {
                const bool is_cause = weights[j] > 0;
                const bool decided = predicted_target && probabilities[t][j] >= model.threshold;
                pairs.add(is_cause, decided, is_cause ? weights[j] : 1.0);
            }
        }
        for (const auto& target : targets) {
            report.targets += 1;
            const auto t = target.utterance;
            for (const auto& gold_span : target.spans) {
                const std::string& text = utterances[gold_span.cause].text;
                const std::string_view annotated(text.data() + gold_span.begin, gold_span.end - gold_span.begin);
                const auto best = model.best_span(turns, t, gold_span.cause, text);
                const std::string_view predicted(text.data() + best.begin, best.end - best.begin);
                const double f1 = eval::span_token_f1(predicted, annotated);
                span_f1 += f1;
                span_exact += eval::span_exact_match(predicted, annotated);
                whole_f1 += eval::span_token_f1(text, annotated);
                whole_exact += eval::span_exact_match(text, annotated);
                const auto found = probabilities.find(t);
                if (found != probabilities.end() && found->second[gold_span.cause] >= model.threshold)
                    end_to_end_f1 += f1;
                ++report.spans;
            }
        }
    }
    report.positive_f1 = pairs.positive_f1();
    report.negative_f1 = pairs.negative_f1();
    report.macro_f1 = (report.positive_f1 + report.negative_f1) / 2;
    report.precision = pairs.precision();
    report.recall = pairs.recall();
    report.positive_pairs = pairs.true_positive + pairs.false_negative;
    report.pairs = report.positive_pairs + pairs.false_positive + pairs.true_negative;
    if (report.spans) {
        const double n = static_cast<double>(report.spans);
        report.span_exact = span_exact / n, report.span_f1 = span_f1 / n;
        report.whole_exact = whole_exact / n, report.whole_f1 = whole_f1 / n;
        report.end_to_end_span_f1 = end_to_end_f1 / n;
    }
    report.skipped_causes = problems.skipped_causes;
    report.skipped_spans = problems.skipped_spans;
    dialog::report_problems(problems, warnings);
    return report;
}

std::string to_json(const CauseReport& r) {
    nlohmann::ordered_json j;
    j["emotions"] = r.emotions;
    j["pairs"] = {{"positive_f1", r.positive_f1}, {"negative_f1", r.negative_f1}, {"macro_f1", r.macro_f1},
                  {"precision", r.precision},     {"recall", r.recall},           {"count", r.pairs},
                  {"positive", r.positive_pairs}, {"targets", r.targets}};
    j["spans"] = {{"count", r.spans},
                  {"exact_match", r.span_exact},
                  {"token_f1", r.span_f1},
                  {"whole_utterance_exact_match", r.whole_exact},
                  {"whole_utterance_token_f1", r.whole_f1},
                  {"end_to_end_token_f1", r.end_to_end_span_f1}};
    j["skipped"] = {{"causes", r.skipped_causes}, {"spans", r.skipped_spans}};
    return j.dump();
}

std::string to_text(const CauseReport& r) {
    char buffer[1024];
    std::snprintf(buffer, sizeof buffer,
                  "emotions: %s\n"
                  "cause pairs (%zu targets, %.0f pairs, %.0f causes; RECCON's weighting):\n"
                  "  positive F1 %.4f  negative F1 %.4f  macro F1 %.4f  (precision %.4f, recall %.4f)\n"
                  "cause spans (%zu annotated spans, given the cause utterance):\n"
                  "  token F1 %.4f  exact match %.4f   whole utterance: token F1 %.4f  exact match %.4f\n"
                  "  end to end (pair must be found too): token F1 %.4f\n",
                  r.emotions.c_str(), r.targets, r.pairs, r.positive_pairs, r.positive_f1, r.negative_f1, r.macro_f1,
                  r.precision, r.recall, r.spans, r.span_f1, r.span_exact, r.whole_f1, r.whole_exact,
                  r.end_to_end_span_f1);
    std::string out = buffer;
    if (r.skipped_causes || r.skipped_spans)
        out += "skipped annotations: " + std::to_string(r.skipped_causes) + " causes, " +
               std::to_string(r.skipped_spans) + " spans\n";
    return out;
}

}  // namespace emo
