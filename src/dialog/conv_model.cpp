#include "dialog/conv_model.hpp"

#include "core/safetensors.hpp"

#include <emo/emo.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace emo::dialog {

namespace fs = std::filesystem;

std::vector<double> StageTwo::emotion_logits(const core::SparseRow& context_row) const {
    auto z = emotion.logits(context_row);
    for (std::size_t k = 0; k < z.size(); ++k) z[k] += emotion_offsets[k];
    return z;
}

std::uint32_t ConvModel::stage1_dimension() const {
    return featurizer.dimension() + static_cast<std::uint32_t>(vectors ? vectors->dim() : 0);
}

core::SparseRow ConvModel::stage1_row(const text::Featurized& f) const {
    core::SparseRow row = f.row;
    if (vectors && vectors->dim() > 0) {
        std::vector<std::string_view> words(f.tokens.begin(), f.tokens.end());
        std::vector<float> mean(vectors->dim());
        if (vectors->average(words, mean.data()) > 0) {
            // Unit length, then scaled, so the dense block weighs like the L2-normalised n-gram block.
            double norm = 0;
            for (float v : mean) norm += static_cast<double>(v) * v;
            float inv = norm > 0 ? static_cast<float>(vector_scale / std::sqrt(norm)) : 0.0f;
            for (std::uint32_t i = 0; i < mean.size(); ++i)
                row.push_back({featurizer.dimension() + i, mean[i] * inv});
        }
    }
    return row;
}

std::vector<double> ConvModel::stage1_probs(const core::SparseRow& row) const {
    auto p = stage1_emotion.probabilities(row);
    if (stage1_sentiment.classes > 0) {
        auto s = stage1_sentiment.probabilities(row);
        p.insert(p.end(), s.begin(), s.end());
    }
    return p;
}

namespace {

void put_linear(core::TensorFile& file, const std::string& name, const core::LinearModel& m) {
    if (m.classes == 0) return;
    file.tensors[name + ".weight"] = {{m.dim, m.classes}, m.weights};
    file.tensors[name + ".bias"] = {{m.classes}, m.bias};
}

core::LinearModel get_linear(const core::TensorFile& file, const std::string& name, std::uint32_t dim,
                             std::uint32_t classes, const std::string& origin) {
    core::LinearModel m;
    m.dim = dim;
    m.classes = classes;
    m.weights = file.get(name + ".weight", {dim, classes}, origin).data;
    m.bias = file.get(name + ".bias", {classes}, origin).data;
    return m;
}

std::vector<std::string> string_list(const nlohmann::json& j, const char* key, const std::string& origin) {
    if (!j.contains(key) || !j[key].is_array()) throw Error(origin + ": missing list '" + key + "'");
    std::vector<std::string> out;
    for (auto& v : j[key]) {
        if (!v.is_string()) throw Error(origin + ": '" + key + "' must hold strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

}  // namespace

void save_conv_model(const ConvModel& model, const std::string& dir) {
    fs::create_directories(dir);
    core::TensorFile weights;
    weights.tensors["featurizer.idf"] = {{static_cast<std::int64_t>(model.featurizer.idf().size())},
                                         model.featurizer.idf()};
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
    if (model.vectors) model.vectors->save((fs::path(dir) / "vectors.safetensors").string());

    nlohmann::ordered_json manifest;
    manifest["format"] = "emo-model/1";
    manifest["task"] = "conversation-emotion";
    manifest["architecture"] = "stacked-linear";
    manifest["labels"] = model.labels;
    manifest["sentiment_labels"] = model.sentiment_labels;
    const auto& fc = model.featurizer.config();
    manifest["featurizer"] = {{"hash_bits", fc.hash_bits},
                              {"char_ngrams", {fc.char_min, fc.char_max}},
                              {"word_bigrams", fc.word_bigrams}};
    manifest["word_vectors"] = model.vectors ? nlohmann::ordered_json{{"file", "vectors.safetensors"},
                                                                      {"dim", model.vectors->dim()},
                                                                      {"scale", model.vector_scale}}
                                             : nlohmann::ordered_json(nullptr);
    manifest["context_window"] = model.layout.window;
    manifest["weights"] = "weights.safetensors";
    for (auto& [k, v] : model.info.items()) manifest[k] = v;
    std::ofstream out(fs::path(dir) / "manifest.json");
    out << manifest.dump(2) << '\n';
    if (!out) throw Error(dir + "/manifest.json: write failed");
}

ConvModel load_conv_model(const std::string& dir) {
    const fs::path root(dir);
    if (!fs::is_directory(root)) throw Error(dir + ": not a model directory");
    const std::string manifest_path = (root / "manifest.json").string();
    std::ifstream in(manifest_path);
    if (!in) throw Error(manifest_path + ": missing");
    nlohmann::json manifest;
    try {
        manifest = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(manifest_path + ": corrupt JSON: " + e.what());
    }
    try {
        if (manifest.value("task", "") != "conversation-emotion" || manifest.value("architecture", "") != "stacked-linear")
            throw Error(manifest_path + ": not a conversation model of a kind this version can run");
        ConvModel m;
        m.labels = string_list(manifest, "labels", manifest_path);
        m.sentiment_labels = string_list(manifest, "sentiment_labels", manifest_path);
        if (m.labels.size() < 2) throw Error(manifest_path + ": needs at least two labels");
        text::FeaturizerConfig fc;
        const auto& fj = manifest.at("featurizer");
        fc.hash_bits = fj.at("hash_bits").get<unsigned>();
        fc.char_min = fj.at("char_ngrams").at(0).get<unsigned>();
        fc.char_max = fj.at("char_ngrams").at(1).get<unsigned>();
        fc.word_bigrams = fj.at("word_bigrams").get<bool>();
        if (fc.char_min < 1 || fc.char_max > 8 || fc.char_min > fc.char_max)
            throw Error(manifest_path + ": invalid char_ngrams");
        try {
            m.featurizer = text::Featurizer(fc);
        } catch (const Error& e) {
            throw Error(manifest_path + ": " + e.what());
        }
        if (!manifest.at("word_vectors").is_null()) {
            const auto& wv = manifest.at("word_vectors");
            auto vectors = text::WordVectors::load((root / wv.at("file").get<std::string>()).string());
            if (vectors.dim() != wv.at("dim").get<std::size_t>())
                throw Error(manifest_path + ": word vector dimension disagrees with the vectors file");
            m.vectors = std::make_shared<const text::WordVectors>(std::move(vectors));
            m.vector_scale = wv.at("scale").get<float>();
        }
        m.layout.window = manifest.at("context_window").get<unsigned>();
        if (m.layout.window > 16) throw Error(manifest_path + ": context_window too large");
        m.info = manifest;

        const std::string weights_path = (root / manifest.at("weights").get<std::string>()).string();
        auto file = core::read_safetensors(weights_path);
        const auto k = static_cast<std::uint32_t>(m.labels.size());
        const auto s = static_cast<std::uint32_t>(m.sentiment_labels.size());
        const auto idf_size = static_cast<std::int64_t>(m.featurizer.idf().size());
        m.featurizer.set_idf(file.get("featurizer.idf", {idf_size}, weights_path).data);
        m.stage1_emotion = get_linear(file, "stage1.emotion", m.stage1_dimension(), k, weights_path);
        if (s > 0) m.stage1_sentiment = get_linear(file, "stage1.sentiment", m.stage1_dimension(), s, weights_path);
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
