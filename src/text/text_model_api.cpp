// emo::TextModel: the emotion classifier and VAD regressor of single texts behind one call.
#include "core/model_files.hpp"
#include "nn/encoder_model.hpp"
#include "text/checkpoint_text_model.hpp"
#include "text/linear_text_model.hpp"
#include "text/occlusion_evidence.hpp"
#include "text/token_evidence.hpp"
#include "text/tokenizer.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>

namespace emo {

namespace {

// A Hugging Face classifier in place of emo's own emotion model, with label groups borrowed from the built-in
// GoEmotions model when every label of the checkpoint is one of its labels or groups.
struct CheckpointEmotions {
    std::shared_ptr<const text::CheckpointTextModel> model;
    std::map<std::string, std::vector<std::string>> ekman, sentiment;
};

CheckpointEmotions load_checkpoint_emotions(const std::string& dir, const CheckpointOptions& options);

std::shared_ptr<const text::LinearTextModel> load_emotion_model(const std::string& dir) {
    auto m = std::make_shared<const text::LinearTextModel>(text::load_text_model(dir));
    if (m->task == text::TextTask::regression) throw Error(dir + ": a regression model, not an emotion classifier");
    return m;
}

}  // namespace

struct TextModel::Impl {
    std::shared_ptr<const text::LinearTextModel> emotions;
    std::optional<CheckpointEmotions> checkpoint;
    // When it stands on the emotion model (same weights), its base is that very object, and the emotion
    // probabilities are computed once for both.
    std::shared_ptr<const text::LinearTextModel> vad;
};

TextModel::TextModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextModel::TextModel(TextModel&&) noexcept = default;
TextModel& TextModel::operator=(TextModel&&) noexcept = default;
TextModel::~TextModel() = default;

TextModel TextModel::load(const std::string& emotion_dir, const std::string& vad_dir,
                          const CheckpointOptions& checkpoint) {
    if (emotion_dir.empty() && vad_dir.empty()) throw Error("no text model given");
    auto impl = std::make_unique<Impl>();
    if (!emotion_dir.empty()) {
        if (nn::EncoderModel::is_checkpoint_directory(emotion_dir))
            impl->checkpoint = load_checkpoint_emotions(emotion_dir, checkpoint);
        else
            impl->emotions = load_emotion_model(emotion_dir);
    }
    if (!vad_dir.empty()) {
        impl->vad = std::make_shared<const text::LinearTextModel>(text::load_text_model(vad_dir, impl->emotions));
        if (impl->vad->task != text::TextTask::regression) throw Error(vad_dir + ": not a regression model");
    }
    return TextModel(std::move(impl));
}

TextModel TextModel::load(const std::string& dir, const CheckpointOptions& checkpoint) {
    auto impl = std::make_unique<Impl>();
    if (nn::EncoderModel::is_checkpoint_directory(dir)) {
        impl->checkpoint = load_checkpoint_emotions(dir, checkpoint);
        return TextModel(std::move(impl));
    }
    auto m = std::make_shared<const text::LinearTextModel>(text::load_text_model(dir));
    if (m->task == text::TextTask::regression)
        impl->vad = std::move(m);
    else
        impl->emotions = std::move(m);
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

CheckpointEmotions load_checkpoint_emotions(const std::string& dir, const CheckpointOptions& options) {
    CheckpointEmotions c;
    c.model = std::make_shared<const text::CheckpointTextModel>(text::CheckpointTextModel::load(dir, options));
    nlohmann::json manifest;
    try {
        manifest = core::read_manifest(TextModel::default_emotion_directory());
        std::set<std::string> known;
        for (const char* key : {"ekman", "sentiment"})
            for (auto& [group, members] : manifest.at(key).items()) {
                known.insert(group);
                for (const auto& m : members) known.insert(m.get<std::string>());
            }
        for (const auto& label : c.model->labels())
            if (label != "neutral" && !known.count(label)) return c;
        c.ekman = manifest.at("ekman").get<std::map<std::string, std::vector<std::string>>>();
        c.sentiment = manifest.at("sentiment").get<std::map<std::string, std::vector<std::string>>>();
    } catch (const std::exception&) {
        // Without the built-in model's groups the records simply carry no ekman / sentiment lists.
    }
    return c;
}

}  // namespace

std::string TextModel::default_emotion_directory() { return builtin("EMO_TEXT_MODEL_DIR", "text-goemotions"); }
std::string TextModel::default_vad_directory() { return builtin("EMO_VAD_MODEL_DIR", "text-emobank"); }
std::string TextModel::default_word_vectors_directory() { return builtin("EMO_WORD_VECTORS_DIR", "word-vectors"); }

const std::vector<std::string>& TextModel::labels() const {
    if (impl_->checkpoint) return impl_->checkpoint->model->labels();
    return impl_->emotions ? impl_->emotions->outputs : no_labels;
}

bool TextModel::multilabel() const {
    if (impl_->checkpoint) return impl_->checkpoint->model->multi_label();
    return impl_->emotions && impl_->emotions->task == text::TextTask::multilabel;
}

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

namespace {

// The checkpoint's decision as a record: scores, labels strongest first, their groups, and (when the checkpoint was
// loaded with occlusion) the words behind the first three labels.
void describe_checkpoint(const CheckpointEmotions& c, const std::vector<double>& probs, const TextOptions& options,
                         TextResult& r) {
    const auto& labels = c.model->labels();
    for (std::size_t k = 0; k < labels.size(); ++k) r.scores[labels[k]] = probs[k];
    auto chosen = c.model->decide(probs);
    for (auto k : chosen) r.labels.push_back(labels[k]);
    if (!c.ekman.empty()) r.ekman = groups_of(r.labels, c.ekman);
    if (!c.sentiment.empty()) r.sentiment = groups_of(r.labels, c.sentiment);
    if (c.model->occlusion() && options.max_evidence > 0) {
        if (chosen.size() > 3) chosen.resize(3);
        r.evidence = text::occlusion_evidence(*c.model, r.text, "", probs, chosen, options.max_evidence);
    }
}

// What a batch of texts computes for each text beforehand: the checkpoint classifier's probabilities, and the
// sentence blocks of models trained on a checkpoint's embeddings. Empty: computed for the text alone.
struct Precomputed {
    std::vector<double> checkpoint_probs;
    std::vector<float> emotion_block, vad_block;
};

// One text, with what its batch computed for it (null: a text alone).
TextResult analyze_text(const TextModel::Impl& impl, std::string_view raw, const TextOptions& options,
                        const Precomputed* pre) {
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
    if (impl.checkpoint) {
        describe_checkpoint(*impl.checkpoint,
                            pre && !pre->checkpoint_probs.empty() ? pre->checkpoint_probs
                                                                  : impl.checkpoint->model->probabilities({raw}).at(0),
                            options, r);
    } else if (impl.emotions) {
        const auto& m = *impl.emotions;
        encoded = m.head_row(r.text, explain ? &features : nullptr, pre ? pre->emotion_block : std::vector<float>{});
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
    if (impl.vad) {
        const auto& v = *impl.vad;
        const auto block = pre ? std::span<const float>(pre->vad_block) : std::span<const float>();
        const auto row = v.base && v.base == impl.emotions ? v.row(v.encoder->encode(r.text, nullptr, block), probs)
                                                           : v.head_row(r.text, nullptr, block);
        const auto values = v.predict(row);
        for (std::size_t t = 0; t < v.outputs.size(); ++t) {
            const auto dot = v.outputs[t].find('.');
            const std::string perspective = dot == std::string::npos ? "average" : v.outputs[t].substr(0, dot);
            const std::string dimension =
                dimension_name(dot == std::string::npos ? v.outputs[t] : v.outputs[t].substr(dot + 1));
            if (p == "both" ? perspective == "average" : perspective != p) continue;
            r.vad[p == "both" ? perspective : ""][dimension] = values[t];
        }
        if (r.vad.empty()) throw Error("the VAD model has no '" + p + "' perspective");
    }
    return r;
}

}  // namespace

TextResult TextModel::analyze(std::string_view raw, const TextOptions& options) const {
    return analyze_text(*impl_, raw, options, nullptr);
}

std::vector<TextResult> TextModel::analyze(const std::vector<TextRecord>& records, const TextOptions& options) const {
    std::vector<TextResult> out;
    out.reserve(records.size());
    // A checkpoint, as the classifier or under a model's features, runs over the valid texts of each chunk in
    // length-sorted batches first; chunks keep what is computed beforehand small whatever the input's size.
    constexpr std::size_t chunk = 1024;
    for (std::size_t begin = 0; begin < records.size(); begin += chunk) {
        const std::size_t end = std::min(records.size(), begin + chunk);
        std::vector<Precomputed> pre(end - begin);
        std::vector<std::string_view> texts;
        std::vector<std::size_t> which;
        for (std::size_t i = begin; i < end; ++i)
            if (records[i].error.empty() && text::is_valid_utf8(records[i].text)) {
                texts.push_back(records[i].text);
                which.push_back(i - begin);
            }
        if (impl_->checkpoint) {
            auto probs = impl_->checkpoint->model->probabilities(texts);
            for (std::size_t j = 0; j < which.size(); ++j) pre[which[j]].checkpoint_probs = std::move(probs[j]);
        }
        if (impl_->emotions && impl_->emotions->encoder->sentence) {
            auto blocks = impl_->emotions->encoder->sentence_blocks(texts);
            for (std::size_t j = 0; j < which.size(); ++j) pre[which[j]].emotion_block = std::move(blocks[j]);
        }
        if (impl_->vad && impl_->vad->encoder->sentence) {
            auto blocks = impl_->vad->encoder->sentence_blocks(texts);
            for (std::size_t j = 0; j < which.size(); ++j) pre[which[j]].vad_block = std::move(blocks[j]);
        }
        for (std::size_t i = begin; i < end; ++i) {
            const auto& record = records[i];
            TextResult r;
            if (record.error.empty()) {
                r = analyze_text(*impl_, record.text, options, &pre[i - begin]);
                if (!r.error.empty()) r.error = record.source + ": " + r.error;
            } else {
                r.text = record.text;
                r.error = record.error;
            }
            r.id = record.id;
            r.source = record.source;
            out.push_back(std::move(r));
        }
    }
    return out;
}

}  // namespace emo
