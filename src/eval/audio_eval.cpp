// Speech emotion figures: scoring a model on labelled recordings, and the report's text and JSON forms.
#include "eval/audio_report.hpp"

#include <emo/emo.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>
#include <utility>

namespace emo {

namespace eval {

AudioEvalReport audio_report(const std::vector<std::string>& gold, const std::vector<std::string>& predicted,
                             const std::vector<std::string>& labels, std::string baseline) {
    AudioEvalReport report;
    report.baseline = std::move(baseline);
    report.classes = evaluate(gold, predicted, labels);
    double recall = 0;
    std::size_t present = 0;
    for (const auto& c : report.classes.per_class)
        if (c.support > 0) recall += c.recall, ++present;
    report.unweighted_recall = present ? recall / static_cast<double>(present) : 0.0;
    return report;
}

}  // namespace eval

AudioEvalReport evaluate_audio(const SpeechModel& model, const std::vector<AudioInput>& inputs,
                               const AudioOptions& options) {
    AudioOptions whole = options;
    whole.segments = false;
    whole.max_evidence = 0;
    const auto results = model.analyze(inputs, whole);
    std::vector<std::string> gold, predicted;
    std::string errors;
    std::size_t failed = 0, speaker = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (!results[i].error.empty()) {
            if (++failed <= 10) errors += "\n  " + results[i].error;
            continue;
        }
        gold.push_back(inputs[i].label);
        predicted.push_back(results[i].emotion);
        speaker += results[i].baseline == "speaker";
    }
    if (failed)
        throw Error(std::to_string(failed) + " of " + std::to_string(inputs.size()) +
                    " recordings could not be analysed:" + errors);
    return eval::audio_report(gold, predicted, model.labels(),
                              speaker == gold.size() ? "speaker" : speaker == 0 ? "population" : "mixed");
}

std::string to_json(const AudioEvalReport& report) {
    nlohmann::ordered_json j;
    j["baseline"] = report.baseline;
    j["folds"] = report.folds;
    if (!report.fold_speakers.empty()) j["fold_speakers"] = report.fold_speakers;
    j["unweighted_recall"] = report.unweighted_recall;
    j["weighted_accuracy"] = report.classes.accuracy;
    j["classes"] = nlohmann::ordered_json::parse(to_json(report.classes));
    return j.dump();
}

std::string to_text(const AudioEvalReport& report) {
    std::ostringstream out;
    char line[256];
    if (report.folds)
        std::snprintf(line, sizeof line, "speaker-independent cross-validation, %zu folds, %s baseline\n", report.folds,
                      report.baseline.c_str());
    else
        std::snprintf(line, sizeof line, "%s baseline\n", report.baseline.c_str());
    out << line;
    for (std::size_t f = 0; f < report.fold_speakers.size(); ++f) {
        out << "  fold " << f + 1 << " holds out speakers";
        for (const auto& s : report.fold_speakers[f]) out << ' ' << s;
        out << '\n';
    }
    std::snprintf(line, sizeof line, "UA (unweighted average recall)  %.4f\nWA (weighted accuracy)          %.4f\n\n",
                  report.unweighted_recall, report.classes.accuracy);
    out << line << to_text(report.classes);
    return out.str();
}

}  // namespace emo
