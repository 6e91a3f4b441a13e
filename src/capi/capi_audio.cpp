// The C API's speech: `emo audio` over files or a recording in memory, and the eGeMAPS descriptors of
// `emo features`.
#include "capi/capi_common.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>

using namespace emo;
using namespace emo::capi;

namespace {

struct AudioCall {
    AudioOptions options;
    ErrorPolicy on_error = ErrorPolicy::fail;
};

AudioCall checked_params(const emo_audio_params* params) {
    const emo_audio_params p = params ? *params : emo_audio_default_params();
    AudioCall call;
    call.options.segments = p.segments;
    call.options.speaker_baseline = p.speaker_baseline;
    call.options.max_evidence = p.max_evidence;
    call.options.threads = p.threads;
    call.on_error = error_policy(p.on_error, "params.on_error");
    return call;
}

// One JSON line per result; with on_error fail, the first recording that could not be analysed fails the call with
// its message (which names the recording), as `emo audio` exits non-zero.
std::string analyze(const SpeechModel& model, const std::vector<AudioInput>& inputs, const AudioCall& call) {
    std::string out;
    for (const auto& r : model.analyze(inputs, call.options)) {
        if (!r.error.empty() && call.on_error == ErrorPolicy::fail) throw Error(r.error);
        out += to_json(r) + '\n';
    }
    return out;
}

// The one entry of a single input's descriptors; its error (naming the input) fails the call.
AcousticFeatures single(std::vector<AcousticFeatures> found) {
    if (found.size() != 1)
        throw Error("expected the descriptors of one recording, got " + std::to_string(found.size()));
    if (!found[0].error.empty()) throw Error(found[0].error);
    return std::move(found[0]);
}

void copy_functionals(const AcousticFeatures& f, double* values, std::size_t count) {
    if (f.values.size() != count)
        throw Error(f.file + ": " + std::to_string(f.values.size()) + " functionals instead of " +
                    std::to_string(count));
    std::memcpy(values, f.values.data(), count * sizeof(double));
}

void check_functionals_buffer(const double* values, std::size_t count) {
    if (!values) throw InvalidArgument("values is NULL");
    if (count != egemaps_names().size())
        throw InvalidArgument("count: the buffer must hold " + std::to_string(egemaps_names().size()) +
                              " functionals, not " + std::to_string(count));
}

void give_lld(const AcousticFeatures& f, double** values, std::size_t* frames) {
    const std::size_t width = egemaps_lld_names().size();
    // malloc(0) may return NULL, which callers would take for a failure.
    auto* p = static_cast<double*>(std::malloc(std::max<std::size_t>(f.values.size(), 1) * sizeof(double)));
    if (!p) throw std::bad_alloc();
    if (!f.values.empty()) std::memcpy(p, f.values.data(), f.values.size() * sizeof(double));
    *values = p;
    *frames = f.values.size() / width;
}

// The records of emo_egemaps_json: one JSON line per recording or segment.
std::string features_json(const std::vector<AudioInput>& inputs, const emo_features_params* params) {
    const emo_features_params p = params ? *params : emo_features_default_params();
    const ErrorPolicy on_error = error_policy(p.on_error, "params.on_error");
    AudioOptions options;
    options.segments = p.segments;
    options.threads = p.threads;
    const auto found = p.lld ? egemaps_lld(inputs, options) : egemaps_features(inputs, options);
    const std::size_t width = p.lld ? egemaps_lld_names().size() : egemaps_names().size();
    std::string text;
    for (const auto& f : found) {
        if (!f.error.empty() && on_error == ErrorPolicy::fail) throw Error(f.error);
        nlohmann::ordered_json j;
        j["file"] = f.file;
        j["start"] = f.start ? nlohmann::ordered_json(*f.start) : nlohmann::ordered_json(nullptr);
        j["end"] = f.end ? nlohmann::ordered_json(*f.end) : nlohmann::ordered_json(nullptr);
        auto values = nlohmann::ordered_json::array();
        if (f.error.empty()) {
            if (p.lld) {
                for (std::size_t r = 0; r + width <= f.values.size(); r += width)
                    values.push_back(std::vector<double>(f.values.begin() + static_cast<std::ptrdiff_t>(r),
                                                         f.values.begin() + static_cast<std::ptrdiff_t>(r + width)));
            } else {
                values = f.values;
            }
        }
        j["values"] = std::move(values);
        if (!f.error.empty()) j["error"] = f.error;
        if (!f.warning.empty()) j["warning"] = f.warning;
        // A path need not be UTF-8; JSON must be.
        text += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
    }
    return text;
}

}  // namespace

extern "C" {

emo_audio_params emo_audio_default_params(void) {
    emo_audio_params p;
    p.segments = false;
    p.speaker_baseline = true;
    p.max_evidence = 3;
    p.threads = 0;
    p.on_error = "fail";
    return p;
}

emo_status emo_audio_analyze_files(const emo_speech_model* model, const char* const* paths, const char* const* speakers,
                                   size_t count, const emo_audio_params* params, char** out) {
    return guard(EMO_ERR_INPUT, [&] {
        output(out, "out");
        const auto& m = require(model, "model");
        const auto call = checked_params(params);
        const auto files = string_array(paths, count, "paths");
        std::vector<AudioInput> inputs(files.size());
        for (std::size_t i = 0; i < files.size(); ++i) {
            if (files[i].empty()) throw InvalidArgument("paths[" + std::to_string(i) + "] is empty");
            inputs[i].path = files[i];
            if (speakers && speakers[i]) inputs[i].speaker = speakers[i];
        }
        give(out, analyze(m.model, inputs, call));
    });
}

emo_status emo_audio_analyze_samples(const emo_speech_model* model, const float* samples, size_t count, int sample_rate,
                                     const char* name, const char* speaker, const emo_audio_params* params,
                                     char** out) {
    return guard(EMO_ERR_INPUT, [&] {
        output(out, "out");
        const auto& m = require(model, "model");
        const auto call = checked_params(params);
        AudioInput input = samples_input(samples, count, sample_rate, name);
        if (speaker) input.speaker = speaker;
        give(out, analyze(m.model, {input}, call));
    });
}

size_t emo_egemaps_count(void) {
    try {
        return egemaps_names().size();
    } catch (...) {
        return 0;
    }
}

const char* emo_egemaps_name(size_t i) {
    try {
        const auto& names = egemaps_names();
        return i < names.size() ? names[i].c_str() : nullptr;
    } catch (...) {
        return nullptr;
    }
}

size_t emo_egemaps_lld_count(void) {
    try {
        return egemaps_lld_names().size();
    } catch (...) {
        return 0;
    }
}

const char* emo_egemaps_lld_name(size_t i) {
    try {
        const auto& names = egemaps_lld_names();
        return i < names.size() ? names[i].c_str() : nullptr;
    } catch (...) {
        return nullptr;
    }
}

emo_status emo_egemaps_file(const char* path, double* values, size_t count) {
    return guard(EMO_ERR_INPUT, [&] {
        const std::string file = required_path(path, "path");
        check_functionals_buffer(values, count);
        copy_functionals(single(egemaps_features(std::vector<std::string>{file})), values, count);
    });
}

emo_status emo_egemaps_samples(const float* samples, size_t sample_count, int sample_rate, double* values,
                               size_t count) {
    return guard(EMO_ERR_INPUT, [&] {
        AudioInput input = samples_input(samples, sample_count, sample_rate, nullptr);
        check_functionals_buffer(values, count);
        copy_functionals(single(egemaps_features(std::vector<AudioInput>{input})), values, count);
    });
}

emo_status emo_egemaps_lld_file(const char* path, double** values, size_t* frames) {
    return guard(EMO_ERR_INPUT, [&] {
        output(values, "values");
        if (!frames) throw InvalidArgument("frames is NULL");
        *frames = 0;
        const std::string file = required_path(path, "path");
        give_lld(single(egemaps_lld(std::vector<std::string>{file})), values, frames);
    });
}

emo_status emo_egemaps_lld_samples(const float* samples, size_t sample_count, int sample_rate, double** values,
                                   size_t* frames) {
    return guard(EMO_ERR_INPUT, [&] {
        output(values, "values");
        if (!frames) throw InvalidArgument("frames is NULL");
        *frames = 0;
        AudioInput input = samples_input(samples, sample_count, sample_rate, nullptr);
        give_lld(single(egemaps_lld(std::vector<AudioInput>{input})), values, frames);
    });
}

emo_features_params emo_features_default_params(void) {
    emo_features_params p;
    p.segments = false;
    p.lld = false;
    p.threads = 0;
    p.on_error = "fail";
    return p;
}

emo_status emo_egemaps_json(const char* const* paths, size_t count, const emo_features_params* params, char** out) {
    return guard(EMO_ERR_INPUT, [&] {
        output(out, "out");
        const auto files = string_array(paths, count, "paths");
        std::vector<AudioInput> inputs(files.size());
        for (std::size_t i = 0; i < files.size(); ++i) inputs[i].path = files[i];
        give(out, features_json(inputs, params));
    });
}

emo_status emo_egemaps_samples_json(const float* samples, size_t sample_count, int sample_rate, const char* name,
                                    const emo_features_params* params, char** out) {
    return guard(EMO_ERR_INPUT, [&] {
        output(out, "out");
        give(out, features_json({samples_input(samples, sample_count, sample_rate, name)}, params));
    });
}

}  // extern "C"
