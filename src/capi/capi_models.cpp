// The C API's model handles: loading (NULL: the built-in directory), freeing, and what each model tells about itself.
#include "capi/capi_common.hpp"

using namespace emo;
using namespace emo::capi;

namespace {

void label_at(const std::vector<std::string>& labels, std::size_t i, const char** label) {
    if (i >= labels.size())
        throw InvalidArgument("label index " + std::to_string(i) + " is out of range (the model has " +
                              std::to_string(labels.size()) + " labels)");
    *label = labels[i].c_str();
}

}  // namespace

extern "C" {

emo_status emo_default_directory(emo_model_kind kind, char** out) {
    return guard(EMO_ERR_MODEL, [&] {
        output(out, "out");
        switch (kind) {
            case EMO_MODEL_CONV:
                return give(out, Model::default_directory());
            case EMO_MODEL_TEXT_EMOTION:
                return give(out, TextModel::default_emotion_directory());
            case EMO_MODEL_TEXT_VAD:
                return give(out, TextModel::default_vad_directory());
            case EMO_MODEL_CAUSE:
                return give(out, CauseModel::default_directory());
            case EMO_MODEL_SPEECH:
                return give(out, SpeechModel::default_directory());
        }
        throw InvalidArgument("kind: unknown model kind " + std::to_string(static_cast<int>(kind)));
    });
}

// ------------------------------------------------------------------------------------------------------------------
// Conversations

emo_status emo_conv_model_load(const char* directory, const emo_checkpoint_params* checkpoint, emo_conv_model** out) {
    return guard(EMO_ERR_MODEL, [&] {
        output(out, "out");
        const auto options = checkpoint_options(checkpoint);
        const std::string dir = directory ? resolve_model(directory) : Model::default_directory();
        *out = new emo_conv_model{Model::load(dir, options)};
    });
}

void emo_conv_model_free(emo_conv_model* model) { delete model; }

emo_status emo_conv_model_label_count(const emo_conv_model* model, size_t* count) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        if (!count) throw InvalidArgument("count is NULL");
        *count = m.model.labels().size();
    });
}

emo_status emo_conv_model_label(const emo_conv_model* model, size_t i, const char** label) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        output(label, "label");
        label_at(m.model.labels(), i, label);
    });
}

emo_status emo_conv_model_labels(const emo_conv_model* model, char** json) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        give(output(json, "json"), json_array(m.model.labels()));
    });
}

emo_status emo_conv_model_sentiment_labels(const emo_conv_model* model, char** json) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        give(output(json, "json"), json_array(m.model.sentiment_labels()));
    });
}

// ------------------------------------------------------------------------------------------------------------------
// Texts

emo_status emo_text_model_load(const char* emotion_directory, const char* vad_directory,
                               const emo_checkpoint_params* checkpoint, emo_text_model** out) {
    return guard(EMO_ERR_MODEL, [&] {
        output(out, "out");
        const auto options = checkpoint_options(checkpoint);
        const std::string emotions =
            emotion_directory ? resolve_model(emotion_directory) : TextModel::default_emotion_directory();
        const std::string vad = vad_directory ? std::string(vad_directory) : TextModel::default_vad_directory();
        if (emotions.empty() && vad.empty())
            throw InvalidArgument("emotion_directory and vad_directory are both \"\": nothing to load");
        *out = new emo_text_model{TextModel::load(emotions, vad, options)};
    });
}

emo_status emo_text_model_load_one(const char* directory, const emo_checkpoint_params* checkpoint,
                                   emo_text_model** out) {
    return guard(EMO_ERR_MODEL, [&] {
        output(out, "out");
        const auto options = checkpoint_options(checkpoint);
        *out = new emo_text_model{TextModel::load(resolve_model(required_path(directory, "directory")), options)};
    });
}

void emo_text_model_free(emo_text_model* model) { delete model; }

emo_status emo_text_model_label_count(const emo_text_model* model, size_t* count) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        if (!count) throw InvalidArgument("count is NULL");
        *count = m.model.labels().size();
    });
}

emo_status emo_text_model_label(const emo_text_model* model, size_t i, const char** label) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        output(label, "label");
        label_at(m.model.labels(), i, label);
    });
}

emo_status emo_text_model_labels(const emo_text_model* model, char** json) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        give(output(json, "json"), json_array(m.model.labels()));
    });
}

emo_status emo_text_model_multilabel(const emo_text_model* model, bool* multilabel) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        if (!multilabel) throw InvalidArgument("multilabel is NULL");
        *multilabel = m.model.multilabel();
    });
}

emo_status emo_text_model_perspectives(const emo_text_model* model, char** json) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        give(output(json, "json"), json_array(m.model.perspectives()));
    });
}

// ------------------------------------------------------------------------------------------------------------------
// Causes

emo_status emo_cause_model_load(const char* directory, emo_cause_model** out) {
    return guard(EMO_ERR_MODEL, [&] {
        output(out, "out");
        *out = new emo_cause_model{CauseModel::load(directory ? directory : CauseModel::default_directory())};
    });
}

void emo_cause_model_free(emo_cause_model* model) { delete model; }

emo_status emo_cause_model_threshold(const emo_cause_model* model, double* threshold) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        if (!threshold) throw InvalidArgument("threshold is NULL");
        *threshold = m.model.threshold();
    });
}

// ------------------------------------------------------------------------------------------------------------------
// Speech

emo_status emo_speech_model_load(const char* directory, emo_speech_model** out) {
    return guard(EMO_ERR_MODEL, [&] {
        output(out, "out");
        *out = new emo_speech_model{SpeechModel::load(directory ? directory : SpeechModel::default_directory())};
    });
}

void emo_speech_model_free(emo_speech_model* model) { delete model; }

emo_status emo_speech_model_label_count(const emo_speech_model* model, size_t* count) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        if (!count) throw InvalidArgument("count is NULL");
        *count = m.model.labels().size();
    });
}

emo_status emo_speech_model_label(const emo_speech_model* model, size_t i, const char** label) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        output(label, "label");
        label_at(m.model.labels(), i, label);
    });
}

emo_status emo_speech_model_labels(const emo_speech_model* model, char** json) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        give(output(json, "json"), json_array(m.model.labels()));
    });
}

emo_status emo_speech_model_min_baseline_recordings(const emo_speech_model* model, size_t* count) {
    return guard(EMO_ERR_INTERNAL, [&] {
        const auto& m = require(model, "model");
        if (!count) throw InvalidArgument("count is NULL");
        *count = m.model.min_baseline_recordings();
    });
}

}  // extern "C"
