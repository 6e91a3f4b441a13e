// emo::TextModel: the emotion classifier and VAD regressor of single texts behind one call.
#include "text/linear_text_model.hpp"
#include "text/token_evidence.hpp"
#include "text/tokenizer.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>

namespace emo {

struct TextModel::Impl {
    std::shared_ptr<const text::LinearTextModel> emotions;
    // When it stands on the emotion model (same weights), its base is that very object, and the emotion
    // probabilities are computed once for both.
    std::shared_ptr<const text::LinearTextModel> vad;
};

TextModel::TextModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextModel::TextModel(TextModel&&) noexcept = default;
TextModel& TextModel::operator=(TextModel&&) noexcept = default;
TextModel::~TextModel() = default;

TextModel TextModel::load(const std::string& emotion_dir, const std::string& vad_dir) {
    if (emotion_dir.empty() && vad_dir.empty()) throw Error("no text model given");
    auto impl = std::make_unique<Impl>();
    if (!emotion_dir.empty()) {
        impl->emotions = std::make_shared<const text::LinearTextModel>(text::load_text_model(emotion_dir));
        if (impl->emotions->task == text::TextTask::regression)
            throw Error(emotion_dir + ": a regression model, not an emotion classifier");
    }
    if (!vad_dir.empty()) {
        impl->vad = std::make_shared<const text::LinearTextModel>(text::load_text_model(vad_dir, impl->emotions));
        if (impl->vad->task != text::TextTask::regression) throw Error(vad_dir + ": not a regression model");
    }
    return TextModel(std::move(impl));
}

TextModel TextModel::load(const std::string& dir) {
    auto impl = std::make_unique<Impl>();
    auto m = std::make_shared<const text::LinearTextModel>(text::load_text_model(dir));
    if (m->task == text::TextTask::regression) impl->vad = std::move(m);
    else impl->emotions = std::move(m);
    return TextModel(std::move(impl));
}

namespace {

std::string builtin(const char* env, const char* name) {
    if (const char* dir = std::getenv(env); dir && *dir) return dir;
#ifdef EMO_MODELS_DIR
    return std::string(EMO_MODELS_DIR) + "/" + name;
#else
    return std::string("models/") + name;
#endif
}

const std::vector<std::string> no_labels;

// "V" -> "valence" and so on; other target names stay as they are.
std::string dimension_name(const std::string& target) {
    if (target == "V") return "valence";
    if (target == "A") return "arousal";
    if (target == "D") return "dominance";
    return target;
}

// The labels' groups ("neutral" and labels without a group map to themselves), in group order, without repeats.
std::vector<std::string> groups_of(const std::vector<std::string>& labels,
                                   const std::map<std::string, std::vector<std::string>>& groups) {
    std::set<std::string> out;
    for (const auto& label : labels) {
        bool found = false;
        for (const auto& [group, members] : groups)
            if (std::find(members.begin(), members.end(), label) != members.end()) {
                out.insert(group);
                found = true;
            }
        if (!found) out.insert(label);
    }
    return {out.begin(), out.end()};
}

}  // namespace

std::string TextModel::default_emotion_directory() { return builtin("EMO_TEXT_MODEL_DIR", "text-goemotions"); }
std::string TextModel::default_vad_directory() { return builtin("EMO_VAD_MODEL_DIR", "text-emobank"); }
std::string TextModel::default_word_vectors_directory() { return builtin("EMO_WORD_VECTORS_DIR", "word-vectors"); }

const std::vector<std::string>& TextModel::labels() const {
    return impl_->emotions ? impl_->emotions->outputs : no_labels;
}

bool TextModel::multilabel() const { return impl_->emotions && impl_->emotions->task == text::TextTask::multilabel; }

std::vector<std::pair<std::string, std::string>> TextModel::vad_targets() const {
    std::vector<std::pair<std::string, std::string>> out;
    if (impl_->vad)
        for (const auto& name : impl_->vad->outputs)
            if (name.find('.') == std::string::npos) out.emplace_back(name, dimension_name(name));
    return out;
}

std::vector<std::string> TextModel::perspectives() const {
    std::set<std::string> out;
    if (impl_->vad)
        for (const auto& name : impl_->vad->outputs) {
            const auto dot = name.find('.');
            out.insert(dot == std::string::npos ? "average" : name.substr(0, dot));
        }
    return {out.begin(), out.end()};
}

TextResult TextModel::analyze(std::string_view raw, const TextOptions& options) const {
    const auto& p = options.perspective;
    if (p != "average" && p != "writer" && p != "reader" && p != "both")
        throw Error("unknown perspective '" + p + "' (expected average, writer, reader or both)");
    TextResult r;
    r.text = std::string(raw);
    if (!text::is_valid_utf8(raw)) {
        r.error = "invalid UTF-8 in text";
        return r;
    }
    const bool explain = options.max_evidence > 0;
    text::Featurized features;
    core::SparseRow encoded;
    std::vector<double> probs;
    if (impl_->emotions) {
        const auto& m = *impl_->emotions;
        encoded = m.head_row(r.text, explain ? &features : nullptr);
        probs = m.predict(encoded);
        std::vector<std::size_t> chosen = m.decide(probs);
        for (std::size_t k = 0; k < m.outputs.size(); ++k) r.scores[m.outputs[k]] = probs[k];
        // Strongest first, so that "the top labels" are the first ones.
        std::sort(chosen.begin(), chosen.end(), [&](auto a, auto b) { return probs[a] > probs[b]; });
        for (auto k : chosen) r.labels.push_back(m.outputs[k]);
        if (!m.ekman.empty()) r.ekman = groups_of(r.labels, m.ekman);
        if (!m.sentiment.empty()) r.sentiment = groups_of(r.labels, m.sentiment);
        const std::optional<text::TokenEvidence> token_evidence =
            explain ? std::optional<text::TokenEvidence>(std::in_place, m.encoder->featurizer, features, encoded)
                    : std::nullopt;
        for (std::size_t i = 0; explain && i < chosen.size() && i < 3; ++i) {
            const auto k = static_cast<std::uint32_t>(chosen[i]);
            // Softmax scores compete, so a token speaks for a class by its weight above the average class.
            auto weight_of = [&](std::uint32_t index) {
                return m.task == text::TextTask::multiclass ? m.head.centred_weight(index, k)
                                                            : double(m.head.weight(index, k));
            };
            auto items = token_evidence->strongest(weight_of, options.max_evidence);
            for (auto& item : items) item.label = m.outputs[k];
            r.evidence.insert(r.evidence.end(), items.begin(), items.end());
        }
    }
    if (impl_->vad) {
        const auto& v = *impl_->vad;
        const auto row = v.base && v.base == impl_->emotions
                             ? v.row(v.encoder->row(v.encoder->featurizer.transform(r.text)), probs)
                             : v.head_row(r.text);
        const auto values = v.predict(row);
        for (std::size_t t = 0; t < v.outputs.size(); ++t) {
            const auto dot = v.outputs[t].find('.');
            const std::string perspective = dot == std::string::npos ? "average" : v.outputs[t].substr(0, dot);
            const std::string dimension = dimension_name(dot == std::string::npos ? v.outputs[t]
                                                                                   : v.outputs[t].substr(dot + 1));
            if (p == "both" ? perspective == "average" : perspective != p) continue;
            r.vad[p == "both" ? perspective : ""][dimension] = values[t];
        }
        if (r.vad.empty()) throw Error("the VAD model has no '" + p + "' perspective");
    }
    return r;
}

std::vector<TextResult> TextModel::analyze(const std::vector<TextRecord>& records, const TextOptions& options) const {
    std::vector<TextResult> out;
    out.reserve(records.size());
    for (const auto& record : records) {
        TextResult r;
        if (record.error.empty()) {
            r = analyze(record.text, options);
            if (!r.error.empty()) r.error = record.source + ": " + r.error;
        } else {
            r.text = record.text;
            r.error = record.error;
        }
        r.id = record.id;
        r.source = record.source;
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace emo
