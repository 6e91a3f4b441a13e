#include "speech/speech_emotion_model.hpp"

#include "core/model_files.hpp"
#include "core/safetensors.hpp"
#include "speech/emotion_features.hpp"

#include <emo/emo.hpp>

#include <cmath>
#include <filesystem>

namespace emo::speech {

namespace {

constexpr const char* task_name = "speech-emotion";

core::SparseRow dense_row(const std::vector<double>& z) {
    core::SparseRow row(z.size());
    for (std::size_t j = 0; j < z.size(); ++j) row[j] = {static_cast<std::uint32_t>(j), static_cast<float>(z[j])};
    return row;
}

void put_scaling(core::TensorFile& file, const std::string& name, const FeatureScaling& s) {
    const auto n = static_cast<std::int64_t>(s.mean.size());
    file.tensors[name + ".mean"] = {{n}, std::vector<float>(s.mean.begin(), s.mean.end())};
    file.tensors[name + ".scale"] = {{n}, std::vector<float>(s.scale.begin(), s.scale.end())};
}

FeatureScaling get_scaling(const core::TensorFile& file, const std::string& name, std::size_t n,
                           const std::string& origin) {
    FeatureScaling s;
    const auto& mean = file.get(name + ".mean", {static_cast<std::int64_t>(n)}, origin).data;
    const auto& scale = file.get(name + ".scale", {static_cast<std::int64_t>(n)}, origin).data;
    s.mean.assign(mean.begin(), mean.end());
    s.scale.assign(scale.begin(), scale.end());
    for (double v : s.scale)
        if (!(v > 0)) throw Error(origin + ": tensor " + name + ".scale holds a scale that is not positive");
    return s;
}

}  // namespace

FeatureScaling FeatureScaling::fit(const std::vector<std::vector<double>>& rows) {
    FeatureScaling s;
    const std::size_t dim = rows.empty() ? 0 : rows[0].size();
    s.mean.assign(dim, 0.0);
    s.scale.assign(dim, 1.0);
    if (rows.empty()) return s;
    const double n = static_cast<double>(rows.size());
    for (const auto& r : rows)
        for (std::size_t j = 0; j < dim; ++j) s.mean[j] += r[j] / n;
    std::vector<double> variance(dim, 0.0);
    for (const auto& r : rows)
        for (std::size_t j = 0; j < dim; ++j) variance[j] += (r[j] - s.mean[j]) * (r[j] - s.mean[j]) / n;
    // A feature that hardly varies (relative to its size) would be blown up into noise: it keeps scale 1.
    for (std::size_t j = 0; j < dim; ++j)
        s.scale[j] = variance[j] > 1e-12 * (1 + s.mean[j] * s.mean[j]) ? std::sqrt(variance[j]) : 1.0;
    return s;
}

std::vector<double> FeatureScaling::apply(const std::vector<double>& x) const {
    std::vector<double> z(x.size());
    for (std::size_t j = 0; j < x.size(); ++j) z[j] = (x[j] - mean[j]) / scale[j];
    return z;
}

std::vector<double> ScaledClassifier::probabilities(const std::vector<double>& x) const {
    return linear.probabilities(dense_row(scaling.apply(x)));
}

void save_speech_model(const SpeechEmotionModel& model, const std::string& dir) {
    std::filesystem::create_directories(dir);
    core::TensorFile file;
    put_scaling(file, "population.scaling", model.population.scaling);
    core::put_linear(file, "population.linear", model.population.linear);
    put_scaling(file, "speaker.scaling", model.speaker.scaling);
    core::put_linear(file, "speaker.linear", model.speaker.linear);
    core::write_safetensors((std::filesystem::path(dir) / "weights.safetensors").string(), file);

    nlohmann::ordered_json manifest;
    manifest["format"] = "emo-model/1";
    manifest["task"] = task_name;
    manifest["architecture"] = "standardised-logistic-regression";
    manifest["labels"] = model.labels;
    manifest["features"] = model.feature_names;
    manifest["min_baseline_recordings"] = model.min_baseline_recordings;
    nlohmann::ordered_json circumplex = nlohmann::ordered_json::object();
    for (const auto& label : model.labels)
        if (const auto it = model.circumplex.find(label); it != model.circumplex.end())
            circumplex[label] = {{"valence", it->second.first}, {"arousal", it->second.second}};
    manifest["circumplex"] = circumplex;
    manifest["reference_features"] = model.reference_features;
    manifest["weights"] = "weights.safetensors";
    manifest["training"] = model.info;
    core::write_manifest(dir, manifest);
}

SpeechEmotionModel load_speech_model(const std::string& dir) {
    const auto manifest = core::read_manifest(dir);
    const std::string origin = (std::filesystem::path(dir) / "manifest.json").string();
    if (manifest.value("task", "") != task_name)
        throw Error(origin + ": task is '" + manifest.value("task", "") + "', not a speech emotion model");
    SpeechEmotionModel model;
    model.labels = core::string_list(manifest, "labels", origin);
    model.feature_names = core::string_list(manifest, "features", origin);
    if (model.labels.size() < 2) throw Error(origin + ": a classifier needs at least 2 labels");
    if (model.feature_names != emotion_feature_names())
        throw Error(origin +
                    ": the model was trained on other acoustic features than this build of emo computes (retrain it "
                    "with `emo train audio`)");
    model.min_baseline_recordings = manifest.value("min_baseline_recordings", std::size_t{10});
    if (manifest.contains("circumplex") && manifest["circumplex"].is_object())
        for (const auto& [label, point] : manifest["circumplex"].items()) {
            if (!point.is_object() || !point.contains("valence") || !point.contains("arousal") ||
                !point["valence"].is_number() || !point["arousal"].is_number())
                throw Error(origin + ": circumplex entry '" + label + "' needs numbers 'valence' and 'arousal'");
            model.circumplex[label] = {point["valence"].get<double>(), point["arousal"].get<double>()};
        }
    model.info = manifest.value("training", nlohmann::json::object());
    if (manifest.contains("reference_features")) {
        if (!manifest["reference_features"].is_array()) throw Error(origin + ": 'reference_features' must be a list");
        for (const auto& v : manifest["reference_features"]) {
            if (!v.is_number()) throw Error(origin + ": 'reference_features' must hold numbers");
            model.reference_features.push_back(v.get<double>());
        }
    }
    const std::string weights =
        (std::filesystem::path(dir) / manifest.value("weights", "weights.safetensors")).string();
    const auto file = core::read_safetensors(weights);
    const std::size_t dim = model.feature_names.size();
    const auto classes = static_cast<std::uint32_t>(model.labels.size());
    for (const char* half : {"population", "speaker"}) {
        ScaledClassifier& c = std::string(half) == "population" ? model.population : model.speaker;
        c.scaling = get_scaling(file, std::string(half) + ".scaling", dim, weights);
        c.linear =
            core::get_linear(file, std::string(half) + ".linear", static_cast<std::uint32_t>(dim), classes, weights);
    }
    return model;
}

}  // namespace emo::speech
