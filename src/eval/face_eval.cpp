// Facial expression figures: scoring a face model on labelled images, and the report's text and JSON forms.
#include "io/labelled_files.hpp"

#include <emo/emo.hpp>
#include <emo/faces.hpp>

#include "eval/class_table.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace emo {

FaceEvalReport evaluate_faces(const FaceModel& model, const std::string& csv_path, const FaceOptions& options) {
    const auto files = io::read_labelled_files(csv_path, false, "images");
    std::vector<std::string> paths;
    for (const auto& f : files) paths.push_back(f.path);
    auto results = model.analyze(paths, options);

    // Images where detection found nothing are scored on the whole image, as a cropped face.
    FaceEvalReport report;
    std::vector<std::string> undetected;
    for (const auto& r : results)
        if (r.error.empty() && r.faces.empty()) undetected.push_back(r.file);
    report.undetected = undetected.size();
    if (!undetected.empty()) {
        FaceOptions whole = options;
        whole.detect = false;
        auto again = model.analyze(undetected, whole);
        std::size_t next = 0;
        for (auto& r : results)
            if (r.error.empty() && r.faces.empty()) r = std::move(again[next++]);
    }

    std::vector<std::string> gold, predicted;
    std::string errors;
    std::size_t failed = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (!results[i].error.empty()) {
            if (++failed <= 10) errors += "\n  " + files[i].source + ": " + results[i].error;
            continue;
        }
        gold.push_back(files[i].label);
        predicted.push_back(results[i].faces.front().emotion);
    }
    if (failed)
        throw Error(std::to_string(failed) + " of " + std::to_string(files.size()) +
                    " images could not be analysed:" + errors);
    report.classes = evaluate(gold, predicted, model.labels());
    return report;
}

std::string to_json(const FaceEvalReport& report) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(to_json(report.classes));
    j["undetected"] = report.undetected;
    return j.dump();
}

std::string to_text(const FaceEvalReport& report) {
    std::string out = eval::report_text(report.classes, "images");
    if (report.undetected)
        out += "no face found in " + std::to_string(report.undetected) + " images: scored on the whole image\n";
    return out;
}

}  // namespace emo
