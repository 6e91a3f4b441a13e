// emo::Model: loads a conversation model directory and analyses conversations with it.
#include "dialog/conv_model.hpp"
#include "labels/sentiment.hpp"
#include "nn/encoder_model.hpp"
#include "text/checkpoint_text_model.hpp"
#include "text/occlusion_evidence.hpp"
#include "text/token_evidence.hpp"
#include "text/tokenizer.hpp"

#include <emo/emo.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace emo {

struct Model::Impl {
    dialog::ConvModel model;
    // A Hugging Face classifier in place of emo's conversation model: each utterance classified on its own or with
    // its preceding utterances as a second segment (ConvOptions::checkpoint_context).
    std::shared_ptr<const text::CheckpointTextModel> checkpoint;
};

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

Model Model::load(const std::string& directory, const CheckpointOptions& checkpoint) {
    auto impl = std::make_unique<Impl>();
    if (nn::EncoderModel::is_checkpoint_directory(directory))
        impl->checkpoint =
            std::make_shared<const text::CheckpointTextModel>(text::CheckpointTextModel::load(directory, checkpoint));
    else
        impl->model = dialog::load_conv_model(directory);
    return Model(std::move(impl));
}

std::string Model::default_directory() {
    if (const char* env = std::getenv("EMO_MODEL_DIR"); env && *env) return env;
#ifdef EMO_DEFAULT_MODEL_DIR
    return EMO_DEFAULT_MODEL_DIR;
#else
    return "models/conv-meld";
#endif
}

const std::vector<std::string>& Model::labels() const {
    return impl_->checkpoint ? impl_->checkpoint->labels() : impl_->model.labels;
}
const std::vector<std::string>& Model::sentiment_labels() const { return impl_->model.sentiment_labels; }

namespace {

// How much each context block pushed stage 2 towards class c.
std::vector<EvidenceItem> context_evidence(const std::vector<dialog::ContextLayout::Block>& blocks,
                                           const core::LinearModel& stage2, const core::SparseRow& row,
                                           std::uint32_t c) {
    std::vector<EvidenceItem> out;
    for (const auto& block : blocks) {
        if (block.name == "own_text" || block.name == "own_text_log") continue;  // that is the tokens' evidence
        double w = 0;
        for (const auto& feat : row)
            if (feat.index >= block.offset && feat.index < block.offset + block.size)
                w += feat.value * stage2.centred_weight(feat.index, c);
        if (w > 0) out.push_back({"context:" + block.name, w, {}});
    }
    return out;
}

std::map<std::string, double> named(const std::vector<std::string>& labels, const std::vector<double>& p) {
    std::map<std::string, double> out;
    for (std::size_t i = 0; i < labels.size(); ++i) out[labels[i]] = p[i];
    return out;
}

std::string top_label(const std::map<std::string, double>& scores) {
    return std::max_element(scores.begin(), scores.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
}

// The result of utterance i before any prediction: who, what, the gold label, a read error.
Result start_result(const Conversation& conversation, std::size_t i) {
    const auto& u = conversation.utterances[i];
    Result r;
    r.dialogue_id = conversation.id;
    r.index = i;
    r.speaker = u.speaker;
    r.text = u.text;
    r.gold = u.label;
    r.error = u.error;
    return r;
}

// Utterance results from a checkpoint classifier. Multi-label checkpoints' independent sigmoid scores are scaled to
// sum to 1, as every conversation record's scores do; the emotion is the top label either way.
std::vector<Result> analyze_with_checkpoint(const text::CheckpointTextModel& checkpoint,
                                            const Conversation& conversation, const ConvOptions& options) {
    std::vector<Result> results(conversation.utterances.size());
    std::vector<std::string_view> texts, contexts;
    std::vector<std::string> context_text;
    std::vector<std::size_t> valid;
    for (std::size_t i = 0; i < conversation.utterances.size(); ++i) {
        const auto& u = conversation.utterances[i];
        auto& r = results[i] = start_result(conversation, i);
        if (r.error.empty() && !text::is_valid_utf8(u.text))
            r.error = (u.source.empty() ? "" : u.source + ": ") + "invalid UTF-8 in text";
        if (!r.error.empty()) continue;
        valid.push_back(i);
    }
    // The preceding valid utterances, oldest first, as one text (truncation drops its oldest tokens first).
    context_text.resize(valid.size());
    for (std::size_t v = 0; v < valid.size(); ++v) {
        for (std::size_t back = std::min(v, options.checkpoint_context); back > 0; --back) {
            if (!context_text[v].empty()) context_text[v] += ' ';
            context_text[v] += conversation.utterances[valid[v - back]].text;
        }
        texts.push_back(conversation.utterances[valid[v]].text);
        contexts.push_back(context_text[v]);
    }
    const auto probs = checkpoint.probabilities(texts, contexts);
    for (std::size_t v = 0; v < valid.size(); ++v) {
        auto& r = results[valid[v]];
        auto p = probs[v];
        double sum = 0;
        for (double x : p) sum += x;
        for (auto& x : p) x /= sum;
        r.scores = named(checkpoint.labels(), p);
        r.emotion = top_label(r.scores);
        r.sentiment_scores = labels::sentiment_from_emotions(checkpoint.labels(), p);
        r.sentiment = top_label(r.sentiment_scores);
        if (checkpoint.occlusion() && options.max_evidence > 0) {
            const auto top = static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
            r.evidence =
                text::occlusion_evidence(checkpoint, texts[v], contexts[v], probs[v], {top}, options.max_evidence);
        }
    }
    return results;
}

}  // namespace

std::vector<Result> Model::analyze(const Conversation& conversation, const ConvOptions& options) const {
    if (impl_->checkpoint) return analyze_with_checkpoint(*impl_->checkpoint, conversation, options);
    const auto& m = impl_->model;
    std::vector<Result> results(conversation.utterances.size());
    std::vector<std::size_t> valid;  // utterances that can be analysed; read errors are left out of the context
    std::vector<text::Featurized> features;
    std::vector<core::SparseRow> rows;
    std::vector<std::vector<double>> probs;
    std::vector<std::string> speakers;
    std::vector<std::string_view> texts;
    for (std::size_t i = 0; i < conversation.utterances.size(); ++i) {
        const auto& u = conversation.utterances[i];
        auto& r = results[i] = start_result(conversation, i);
        if (!r.error.empty()) continue;
        try {
            features.push_back(m.encoder.featurizer.transform(u.text, options.max_evidence > 0));
        } catch (const Error& e) {
            r.error = (u.source.empty() ? "" : u.source + ": ") + e.what();
            continue;
        }
        texts.push_back(u.text);
        speakers.push_back(u.speaker);
        valid.push_back(i);
    }
    // A model trained on a checkpoint's embeddings runs the checkpoint over the whole conversation at once.
    const auto sentence_blocks = m.encoder.sentence_blocks(texts);
    for (std::size_t v = 0; v < valid.size(); ++v) {
        rows.push_back(m.encoder.row(features[v], sentence_blocks[v]));
        probs.push_back(m.stage1_probs(rows.back()));
    }

    const dialog::StageTwo& stage = options.online ? m.online : m.offline;
    auto context = dialog::context_rows(m.layout, probs, speakers, options.online);
    const auto blocks = m.layout.blocks();  // once per conversation, not per utterance
    for (std::size_t v = 0; v < valid.size(); ++v) {
        auto& r = results[valid[v]];
        auto z = stage.emotion_logits(context[v]);
        core::softmax(z);
        const auto c = static_cast<std::uint32_t>(std::max_element(z.begin(), z.end()) - z.begin());
        r.scores = named(m.labels, z);
        r.emotion = m.labels[c];
        if (stage.sentiment.classes > 0) {
            r.sentiment_scores = named(m.sentiment_labels, stage.sentiment.probabilities(context[v]));
        } else {
            r.sentiment_scores = labels::sentiment_from_emotions(m.labels, z);
        }
        r.sentiment = top_label(r.sentiment_scores);
        if (options.max_evidence > 0) {
            r.evidence = text::TokenEvidence(m.encoder.featurizer, features[v], rows[v])
                             .strongest([&](std::uint32_t index) { return m.stage1_emotion.centred_weight(index, c); },
                                        options.max_evidence);
            auto ctx = context_evidence(blocks, stage.emotion, context[v], c);
            r.evidence.insert(r.evidence.end(), ctx.begin(), ctx.end());
            text::keep_strongest(r.evidence, options.max_evidence);
        }
    }
    return results;
}

}  // namespace emo
