// The C API's training: `emo train conv|text|causes|audio` from parameter structs that mirror the CLI's options.
#include "capi/capi_common.hpp"

#include "io/name_lists.hpp"

#include <cmath>

using namespace emo;
using namespace emo::capi;

namespace {

// A float in [lo, hi] (the CLI's CLI::Range checks), else InvalidArgument naming it.
float in_range(float value, float lo, float hi, const char* name) {
    if (!(value >= lo && value <= hi))
        throw InvalidArgument(std::string(name) + ": expected " + std::to_string(lo) + " to " + std::to_string(hi) +
                              ", got " + std::to_string(value));
    return value;
}

EncoderFeatureOptions encoder_options(const char* dir, const char* pooling, float scale, const char* prefix) {
    EncoderFeatureOptions o;
    if (dir && *dir) o.dir = resolve_model(dir);
    o.pooling = optional_string(pooling);
    if (!o.pooling.empty() && o.pooling != "mean" && o.pooling != "first-token")
        throw InvalidArgument(std::string(prefix) + "encoder_pooling: expected mean or first-token, got \"" +
                              o.pooling + "\"");
    o.scale = in_range(scale, 0.01f, 100.0f, (std::string(prefix) + "encoder_scale").c_str());
    return o;
}

}  // namespace

namespace emo::capi {

// Shared with emo_cross_validate_speech.
AudioTrainOptions speech_train_options(const emo_train_speech_params& p, bool need_out_dir) {
    AudioTrainOptions o;
    o.data_path = required_path(p.data_path, "params.data_path");
    if (need_out_dir) o.out_dir = required_path(p.out_dir, "params.out_dir");
    o.c = non_negative(p.c, "params.c");
    o.folds = p.folds;
    o.min_baseline_recordings = p.min_baseline_recordings;
    if (p.augment_count > 0 && !p.augment) throw InvalidArgument("params.augment is NULL");
    o.augment.assign(p.augment, p.augment + p.augment_count);
    for (std::size_t i = 0; i < o.augment.size(); ++i)
        if (!std::isfinite(o.augment[i]) || o.augment[i] <= 0)
            throw InvalidArgument("params.augment[" + std::to_string(i) + "]: expected a factor > 0, got " +
                                  std::to_string(o.augment[i]));
    o.test_baseline_recordings = p.test_baseline_recordings;
    o.threads = p.threads;
    o.verbose = p.verbose;
    return o;
}

}  // namespace emo::capi

extern "C" {

emo_train_conv_params emo_train_conv_default_params(void) {
    emo_train_conv_params p;
    const TrainOptions o;
    p.train_path = nullptr;
    p.dev_path = nullptr;
    p.read = emo_read_default_params();
    p.out_dir = nullptr;
    p.vectors_path = nullptr;
    p.encoder_dir = nullptr;
    p.encoder_pooling = nullptr;
    p.encoder_scale = o.encoder.scale;
    p.c = o.stage1_c;
    p.context_c = o.stage2_c;
    p.seed = o.seed;
    p.threads = o.threads;
    p.verbose = o.verbose;
    return p;
}

emo_status emo_train_conv(const emo_train_conv_params* params) {
    return guard(EMO_ERR_INPUT, [&] {
        const auto& p = require(params, "params");
        TrainOptions o;
        o.train_path = required_path(p.train_path, "params.train_path");
        o.dev_path = optional_string(p.dev_path);
        o.read = read_options(&p.read);
        o.out_dir = required_path(p.out_dir, "params.out_dir");
        o.vectors_path = optional_string(p.vectors_path);
        o.encoder = encoder_options(p.encoder_dir, p.encoder_pooling, p.encoder_scale, "params.");
        o.stage1_c = non_negative(p.c, "params.c");
        o.stage2_c = non_negative(p.context_c, "params.context_c");
        o.seed = p.seed;
        o.threads = p.threads;
        o.verbose = p.verbose;
        train_conversation_model(o);
    });
}

emo_train_text_params emo_train_text_default_params(void) {
    emo_train_text_params p;
    const TextTrainOptions o;
    p.task = "multilabel";
    p.train_path = nullptr;
    p.dev_path = nullptr;
    p.format = "auto";
    p.on_error = "fail";
    p.labels_path = nullptr;
    p.targets = "V,A,D";
    p.perspective_files = nullptr;
    p.perspective_file_count = 0;
    p.out_dir = nullptr;
    p.vectors_path = nullptr;
    p.vector_scale = o.vector_scale;
    p.encoder_dir = nullptr;
    p.encoder_pooling = nullptr;
    p.encoder_scale = o.encoder.scale;
    p.base_dir = nullptr;
    p.ekman_path = nullptr;
    p.sentiment_path = nullptr;
    p.c = o.c;
    p.hash_bits = o.hash_bits;
    p.min_df = o.min_df;
    p.class_weight = "auto";
    p.folds = o.folds;
    p.seed = o.seed;
    p.threads = o.threads;
    p.verbose = o.verbose;
    return p;
}

emo_status emo_train_text(const emo_train_text_params* params) {
    return guard(EMO_ERR_INPUT, [&] {
        const auto& p = require(params, "params");
        TextTrainOptions o;
        o.task = optional_string(p.task, "multilabel");
        if (o.task != "multilabel" && o.task != "multiclass" && o.task != "regression")
            throw InvalidArgument("params.task: expected multilabel, multiclass or regression, got \"" + o.task + "\"");
        o.train_path = required_path(p.train_path, "params.train_path");
        o.dev_path = optional_string(p.dev_path);
        try {
            o.read.format = parse_text_format(optional_string(p.format, "auto"));
        } catch (const Error& e) {
            throw InvalidArgument(std::string("params.format: ") + e.what());
        }
        o.read.on_error = error_policy(p.on_error, "params.on_error");
        if (p.labels_path && *p.labels_path) o.read.label_names = io::read_name_list(p.labels_path);
        if (o.task == "regression") o.read.target_names = io::split_commas(optional_string(p.targets, "V,A,D"));
        for (const auto& item :
             string_array(p.perspective_files, p.perspective_file_count, "params.perspective_files", true)) {
            const auto eq = item.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
                throw InvalidArgument("params.perspective_files: '" + item + "': expected NAME=FILE");
            o.perspectives.emplace_back(item.substr(0, eq), item.substr(eq + 1));
        }
        o.out_dir = required_path(p.out_dir, "params.out_dir");
        o.vectors_path = optional_string(p.vectors_path);
        o.vector_scale = in_range(p.vector_scale, 0.01f, 100.0f, "params.vector_scale");
        o.encoder = encoder_options(p.encoder_dir, p.encoder_pooling, p.encoder_scale, "params.");
        o.base_dir = optional_string(p.base_dir);
        o.ekman_path = optional_string(p.ekman_path);
        o.sentiment_path = optional_string(p.sentiment_path);
        o.c = non_negative(p.c, "params.c");
        if (p.hash_bits != 0 && (p.hash_bits < 10 || p.hash_bits > 22))
            throw InvalidArgument("params.hash_bits: expected 0 or 10 to 22, got " + std::to_string(p.hash_bits));
        o.hash_bits = p.hash_bits;
        if (p.min_df > 1000)
            throw InvalidArgument("params.min_df: expected 0 to 1000, got " + std::to_string(p.min_df));
        o.min_df = p.min_df;
        o.class_weight = optional_string(p.class_weight, "auto");
        if (o.class_weight != "auto" && o.class_weight != "none" && o.class_weight != "balanced")
            throw InvalidArgument("params.class_weight: expected auto, none or balanced, got \"" + o.class_weight +
                                  "\"");
        o.folds = p.folds;
        o.seed = p.seed;
        o.threads = p.threads;
        o.verbose = p.verbose;
        train_text_model(o);
    });
}

emo_train_causes_params emo_train_causes_default_params(void) {
    emo_train_causes_params p;
    const CauseTrainOptions o;
    p.train_path = nullptr;
    p.valid_path = nullptr;
    p.read = emo_read_default_params();
    p.out_dir = nullptr;
    p.emotion_model_dir = nullptr;
    p.c_pair = o.c_pair;
    p.c_span = o.c_span;
    p.folds = o.folds;
    p.seed = o.seed;
    p.threads = o.threads;
    p.verbose = o.verbose;
    return p;
}

emo_status emo_train_causes(const emo_train_causes_params* params) {
    return guard(EMO_ERR_INPUT, [&] {
        const auto& p = require(params, "params");
        CauseTrainOptions o;
        o.train_path = required_path(p.train_path, "params.train_path");
        o.valid_path = optional_string(p.valid_path);
        o.read = read_options(&p.read);
        o.out_dir = required_path(p.out_dir, "params.out_dir");
        o.emotion_model_dir = optional_string(p.emotion_model_dir);
        o.c_pair = non_negative(p.c_pair, "params.c_pair");
        o.c_span = non_negative(p.c_span, "params.c_span");
        o.folds = p.folds;
        o.seed = p.seed;
        o.threads = p.threads;
        o.verbose = p.verbose;
        train_cause_model(o);
    });
}

emo_train_speech_params emo_train_speech_default_params(void) {
    // Static, so that the default's augment pointer outlives the struct returned by value.
    static const double default_augment[] = {0.9, 1.1};
    emo_train_speech_params p;
    const AudioTrainOptions o;
    p.data_path = nullptr;
    p.out_dir = nullptr;
    p.c = o.c;
    p.folds = o.folds;
    p.min_baseline_recordings = o.min_baseline_recordings;
    p.augment = default_augment;
    p.augment_count = sizeof default_augment / sizeof default_augment[0];
    p.test_baseline_recordings = o.test_baseline_recordings;
    p.threads = o.threads;
    p.verbose = o.verbose;
    return p;
}

emo_status emo_train_speech(const emo_train_speech_params* params) {
    return guard(EMO_ERR_INPUT, [&] { train_speech_model(speech_train_options(require(params, "params"), true)); });
}

}  // extern "C"
