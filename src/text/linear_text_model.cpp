#include "text/linear_text_model.hpp"

#include "core/hash.hpp"
#include "core/model_files.hpp"
#include "core/safetensors.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace emo::text {

namespace fs = std::filesystem;

const char* task_name(TextTask task) {
    switch (task) {
        case TextTask::multilabel:
            return "multilabel";
        case TextTask::multiclass:
            return "multiclass";
        case TextTask::regression:
            return "regression";
    }
    return "?";
}

TextTask parse_text_task(std::string_view name) {
    for (auto t : {TextTask::multilabel, TextTask::multiclass, TextTask::regression})
        if (name == task_name(t)) return t;
    throw Error("unknown text task '" + std::string(name) + "' (expected multilabel, multiclass or regression)");
}

std::uint32_t LinearTextModel::dimension() const { return encoder->dimension() + (base ? base->head.classes : 0); }

core::SparseRow LinearTextModel::row(const core::SparseRow& encoded, const std::vector<double>& base_probs) const {
    if (!base) return encoded;
    core::SparseRow out = encoded;
    for (std::uint32_t k = 0; k < base_probs.size(); ++k)
        out.push_back({encoder->dimension() + k, static_cast<float>(base_probs[k])});
    return out;
}

core::SparseRow LinearTextModel::head_row(std::string_view text, Featurized* features,
                                          std::span<const float> sentence_block) const {
    auto encoded = encoder->encode(text, features, sentence_block);
    return base ? row(encoded, base->predict(base->head_row(text))) : encoded;
}

std::vector<core::SparseRow> LinearTextModel::head_rows(const std::vector<std::string_view>& texts) const {
    const auto blocks = encoder->sentence_blocks(texts);
    const auto base_rows = base ? base->head_rows(texts) : std::vector<core::SparseRow>{};
    std::vector<core::SparseRow> out;
    out.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        auto encoded = encoder->row(encoder->featurizer.transform(texts[i]), blocks[i]);
        out.push_back(base ? row(encoded, base->predict(base_rows[i])) : std::move(encoded));
    }
    return out;
}

std::vector<double> LinearTextModel::predict(const core::SparseRow& head_row) const {
    auto z = head.logits(head_row);
    if (task == TextTask::multiclass)
        core::softmax(z);
    else if (task == TextTask::multilabel)
        for (auto& v : z) v = 1.0 / (1.0 + std::exp(-v));
    return z;
}

std::vector<std::size_t> LinearTextModel::decide(const std::vector<double>& probs) const {
    std::vector<std::size_t> out;
    if (task == TextTask::regression || probs.empty()) return out;
    const auto argmax = [&](auto score) {
        std::size_t best = 0;
        for (std::size_t k = 1; k < probs.size(); ++k)
            if (score(k) > score(best)) best = k;
        return best;
    };
    if (task == TextTask::multiclass) return {argmax([&](std::size_t k) { return probs[k]; })};
    std::size_t neutral = outputs.size();
    for (std::size_t k = 0; k < outputs.size(); ++k)
        if (outputs[k] == "neutral") neutral = k;
    for (std::size_t k = 0; k < probs.size(); ++k)
        if (k != neutral && probs[k] >= thresholds[k]) out.push_back(k);
    if (neutral < probs.size() && probs[neutral] >= thresholds[neutral] && (out.empty() || !label_rule.neutral_alone))
        out.push_back(neutral);
    if (out.empty() && label_rule.at_least_one)
        out.push_back(argmax([&](std::size_t k) { return probs[k] / std::max(thresholds[k], 1e-9); }));
    return out;
}

namespace {

// FNV-1a of a file's bytes: cheap, and enough to tell two trainings apart.
std::string file_fingerprint(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot read");
    std::uint64_t h = 1469598103934665603ull;  // not FNV's usual offset, but the one released manifests pin
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) h = core::fnv1a({buffer, std::size_t(in.gcount())}, h);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

std::map<std::string, std::vector<std::string>> groups_from(const nlohmann::json& manifest, const char* key,
                                                            const std::string& origin) {
    std::map<std::string, std::vector<std::string>> out;
    if (!manifest.contains(key) || manifest[key].is_null()) return out;
    if (!manifest[key].is_object()) throw Error(origin + ": '" + key + "' must map groups to label lists");
    for (auto& [group, members] : manifest[key].items())
        out[group] = core::string_list(manifest[key], group.c_str(), origin);
    return out;
}

LinearTextModel load_model(const std::string& dir, bool may_have_base,
                           std::shared_ptr<const LinearTextModel> known_base);

}  // namespace

void save_text_model(LinearTextModel& model, const std::string& dir) {
    fs::create_directories(dir);
    core::TensorFile weights;
    nlohmann::ordered_json manifest;
    manifest["format"] = "emo-model/1";
    manifest["task"] = std::string("text-") + task_name(model.task);
    manifest["architecture"] = "linear";
    manifest["outputs"] = model.outputs;
    if (model.base) manifest["base"] = {{"path", model.base_path}, {"fingerprint", model.base->fingerprint}};
    model.encoder->save(manifest, weights, dir);
    core::put_linear(weights, "head", model.head);
    if (!model.thresholds.empty())
        weights.tensors["thresholds"] = {{static_cast<std::int64_t>(model.thresholds.size())},
                                         std::vector<float>(model.thresholds.begin(), model.thresholds.end())};
    if (!model.ekman.empty()) manifest["ekman"] = model.ekman;
    if (!model.sentiment.empty()) manifest["sentiment"] = model.sentiment;
    manifest["weights"] = "weights.safetensors";
    for (auto& [k, v] : model.info.items()) manifest[k] = v;
    if (model.task == TextTask::multilabel)
        manifest["label_rule"] = {{"neutral_alone", model.label_rule.neutral_alone},
                                  {"at_least_one", model.label_rule.at_least_one}};
    const std::string weights_path = (fs::path(dir) / "weights.safetensors").string();
    // Half precision halves the file; the head's weights need no more (the dev figures are measured after saving).
    core::write_safetensors(weights_path, weights, /*half=*/true);
    core::write_manifest(dir, manifest);
    model.fingerprint = file_fingerprint(weights_path);
}

LinearTextModel load_text_model(const std::string& dir, std::shared_ptr<const LinearTextModel> known_base) {
    return load_model(dir, true, std::move(known_base));
}

namespace {

// A base may not have a base of its own, so that no chain of manifests (or one naming itself) recurses.
LinearTextModel load_model(const std::string& dir, bool may_have_base,
                           std::shared_ptr<const LinearTextModel> known_base) {
    const auto manifest = core::read_manifest(dir);
    const std::string manifest_path = (fs::path(dir) / "manifest.json").string();
    try {
        const std::string task = manifest.value("task", "");
        if (task.rfind("text-", 0) != 0 || manifest.value("architecture", "") != "linear")
            throw Error(manifest_path + ": not a text model of a kind this version can run");
        LinearTextModel m;
        m.task = parse_text_task(task.substr(5));
        m.outputs = core::string_list(manifest, "outputs", manifest_path);
        if (m.outputs.empty() || (m.task == TextTask::multiclass && m.outputs.size() < 2))
            throw Error(manifest_path + ": too few outputs");
        m.ekman = groups_from(manifest, "ekman", manifest_path);
        m.sentiment = groups_from(manifest, "sentiment", manifest_path);
        m.info = manifest;
        const std::string weights_path = (fs::path(dir) / manifest.at("weights").get<std::string>()).string();
        auto file = core::read_safetensors(weights_path);
        if (manifest.contains("base")) {
            if (!may_have_base) throw Error(manifest_path + ": a base model cannot itself be stacked on another");
            m.base_path = manifest.at("base").at("path").get<std::string>();
            const std::string base_dir = (fs::path(dir) / m.base_path).lexically_normal().string();
            const auto fingerprint = manifest.at("base").at("fingerprint").get<std::string>();
            if (known_base && known_base->fingerprint == fingerprint) {
                m.base = std::move(known_base);
            } else {
                auto base = load_model(base_dir, false, nullptr);
                if (base.fingerprint != fingerprint)
                    throw Error(manifest_path + ": base model " + base_dir +
                                " is not the one this model was trained on (its weights differ)");
                m.base = std::make_shared<const LinearTextModel>(std::move(base));
            }
            if (m.base->task == TextTask::regression)
                throw Error(manifest_path + ": base model " + base_dir + " must be a classifier");
        }
        m.encoder =
            std::make_shared<const TextEncoder>(TextEncoder::load(manifest, file, dir, manifest_path, weights_path));
        const auto n = static_cast<std::uint32_t>(m.outputs.size());
        m.head = core::get_linear(file, "head", m.dimension(), n, weights_path);
        if (m.task == TextTask::multilabel) {
            const auto& t = file.get("thresholds", {n}, weights_path).data;
            m.thresholds.assign(t.begin(), t.end());
            if (manifest.contains("label_rule")) {
                const auto& rule = manifest.at("label_rule");
                m.label_rule.neutral_alone = rule.at("neutral_alone").get<bool>();
                m.label_rule.at_least_one = rule.at("at_least_one").get<bool>();
            }
        }
        m.fingerprint = file_fingerprint(weights_path);
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw Error(manifest_path + ": invalid manifest: " + e.what());
    }
}

}  // namespace

}  // namespace emo::text
