#include "dialog/conv_model.hpp"

#include "core/model_files.hpp"
#include "core/safetensors.hpp"

#include <emo/emo.hpp>

#include <filesystem>

namespace emo::dialog {

namespace fs = std::filesystem;

std::vector<double> StageTwo::emotion_logits(const core::SparseRow& context_row) const {
    auto z = emotion.logits(context_row);
    for (std::size_t k = 0; k < z.size(); ++k) z[k] += emotion_offsets[k];
    return z;
}

std::vector<double> ConvModel::stage1_probs(const core::SparseRow& row) const {
    auto p = stage1_emotion.probabilities(row);
    if (stage1_sentiment.classes > 0) {
        auto s = stage1_sentiment.probabilities(row);
        p.insert(p.end(), s.begin(), s.end());
    }
    return p;
}

void save_conv_model(const ConvModel& model, const std::string& dir) {
    using core::put_linear;
    fs::create_directories(dir);
    core::TensorFile weights;
    nlohmann::ordered_json manifest;
    manifest["format"] = "emo-model/1";
    manifest["task"] = "conversation-emotion";
    manifest["architecture"] = "stacked-linear";
    manifest["labels"] = model.labels;
    manifest["sentiment_labels"] = model.sentiment_labels;
    model.encoder.save(manifest, weights, dir);
    put_linear(weights, "stage1.emotion", model.stage1_emotion);
    put_linear(weights, "stage1.sentiment", model.stage1_sentiment);
    for (auto [name, stage] : {std::pair{"offline", &model.offline}, std::pair{"online", &model.online}}) {
        put_linear(weights, std::string("stage2.") + name + ".emotion", stage->emotion);
        put_linear(weights, std::string("stage2.") + name + ".sentiment", stage->sentiment);
        std::vector<float> offsets(stage->emotion_offsets.begin(), stage->emotion_offsets.end());
        weights.tensors[std::string("stage2.") + name + ".offsets"] = {{static_cast<std::int64_t>(offsets.size())},
                                                                       offsets};
    }
    core::write_safetensors((fs::path(dir) / "weights.safetensors").string(), weights, /*half=*/false);
    manifest["context_window"] = model.layout.window;
    manifest["weights"] = "weights.safetensors";
    for (auto& [k, v] : model.info.items()) manifest[k] = v;
    core::write_manifest(dir, manifest);
}

ConvModel load_conv_model(const std::string& dir) {
    using core::get_linear;
    const auto manifest = core::read_manifest(dir);
    const std::string manifest_path = (fs::path(dir) / "manifest.json").string();
    try {
        if (manifest.value("task", "") != "conversation-emotion" || manifest.value("architecture", "") != "stacked-linear")
            throw Error(manifest_path + ": not a conversation model of a kind this version can run");
        ConvModel m;
        m.labels = core::string_list(manifest, "labels", manifest_path);
        m.sentiment_labels = core::string_list(manifest, "sentiment_labels", manifest_path);
        if (m.labels.size() < 2) throw Error(manifest_path + ": needs at least two labels");
        m.layout.window = manifest.at("context_window").get<unsigned>();
        if (m.layout.window > 16) throw Error(manifest_path + ": context_window too large");
        m.info = manifest;

        const std::string weights_path = (fs::path(dir) / manifest.at("weights").get<std::string>()).string();
        auto file = core::read_safetensors(weights_path);
        m.encoder = text::TextEncoder::load(manifest, file, dir, manifest_path, weights_path);
        const auto k = static_cast<std::uint32_t>(m.labels.size());
        const auto s = static_cast<std::uint32_t>(m.sentiment_labels.size());
        const auto dim1 = m.encoder.dimension();
        m.stage1_emotion = get_linear(file, "stage1.emotion", dim1, k, weights_path);
        if (s > 0) m.stage1_sentiment = get_linear(file, "stage1.sentiment", dim1, s, weights_path);
        m.layout.per_utterance = k + s;
        const auto context_dim = m.layout.dimension();
        for (auto [name, stage] : {std::pair{"offline", &m.offline}, std::pair{"online", &m.online}}) {
            const std::string prefix = std::string("stage2.") + name;
            stage->emotion = get_linear(file, prefix + ".emotion", context_dim, k, weights_path);
            if (s > 0) stage->sentiment = get_linear(file, prefix + ".sentiment", context_dim, s, weights_path);
            const auto& offsets = file.get(prefix + ".offsets", {k}, weights_path).data;
            stage->emotion_offsets.assign(offsets.begin(), offsets.end());
        }
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw Error(manifest_path + ": invalid manifest: " + e.what());
    }
}

}  // namespace emo::dialog
