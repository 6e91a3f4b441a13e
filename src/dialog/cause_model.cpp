#include "dialog/cause_model.hpp"

#include "core/model_files.hpp"
#include "core/safetensors.hpp"

#include <emo/emo.hpp>

#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace emo::dialog {

namespace {

constexpr const char* task_name = "emotion-causes";
constexpr const char* architecture_name = "hashed-linear-pairs-spans";

}  // namespace

std::vector<double> CauseModel::pair_probabilities(const std::vector<CauseTurn>& turns, std::size_t target) const {
    std::vector<double> p(target + 1);
    for (std::size_t j = 0; j <= target; ++j) p[j] = core::sigmoid(pair.logits(pair_row(turns, target, j))[0]);
    return p;
}

Clause CauseModel::best_span(const std::vector<CauseTurn>& turns, std::size_t target, std::size_t candidate,
                             std::string_view candidate_text) const {
    const auto pieces = clause_text(candidate_text);
    const auto& clauses = pieces.clauses;
    Clause best;
    double best_score = -INFINITY;
    for (std::size_t first = 0; first < clauses.size(); ++first) {
        for (std::size_t last = first + 1; last <= clauses.size(); ++last) {
            const double score = span.logits(span_row(turns, target, candidate, pieces, first, last))[0];
            if (score > best_score) best_score = score, best = {clauses[first].begin, clauses[last - 1].end};
        }
    }
    return best;
}

void save_cause_model(const CauseModel& model, const std::string& dir) {
    fs::create_directories(dir);
    core::TensorFile weights;
    core::put_linear(weights, "pair", model.pair);
    core::put_linear(weights, "span", model.span);
    core::write_safetensors((fs::path(dir) / "weights.safetensors").string(), weights, /*half=*/false);
    nlohmann::ordered_json manifest;
    manifest["format"] = "emo-model/1";
    manifest["task"] = task_name;
    manifest["architecture"] = architecture_name;
    manifest["hash_bits"] = cause_hash_bits;
    manifest["threshold"] = model.threshold;
    manifest["weights"] = "weights.safetensors";
    for (auto& [k, v] : model.info.items()) manifest[k] = v;
    core::write_manifest(dir, manifest);
}

CauseModel load_cause_model(const std::string& dir) {
    const auto manifest = core::read_manifest(dir);
    const std::string manifest_path = (fs::path(dir) / "manifest.json").string();
    try {
        if (manifest.value("task", "") != task_name || manifest.value("architecture", "") != architecture_name)
            throw Error(manifest_path + ": not an emotion-cause model of a kind this version can run");
        if (manifest.at("hash_bits").get<unsigned>() != cause_hash_bits)
            throw Error(manifest_path + ": hash_bits must be " + std::to_string(cause_hash_bits));
        CauseModel m;
        m.threshold = manifest.at("threshold").get<double>();
        if (!(m.threshold >= 0 && m.threshold <= 1)) throw Error(manifest_path + ": threshold must be in [0, 1]");
        m.info = manifest;
        const std::string weights_path = (fs::path(dir) / manifest.at("weights").get<std::string>()).string();
        const auto file = core::read_safetensors(weights_path);
        m.pair = core::get_linear(file, "pair", cause_feature_dim, 1, weights_path);
        m.span = core::get_linear(file, "span", cause_feature_dim, 1, weights_path);
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw Error(manifest_path + ": invalid manifest: " + e.what());
    }
}

}  // namespace emo::dialog
