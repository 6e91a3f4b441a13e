// The C API's status codes, per-thread last error, strings handed to callers, and the argument checks every entry
// point shares.
#include "capi/capi_common.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace emo::capi {

namespace {

// Per thread, so that concurrent callers each see their own failure.
thread_local std::string last_error;

}  // namespace

void set_last_error(const char* message) noexcept {
    try {
        last_error = message;
    } catch (...) {
        // No memory for the message: an empty one still leaves the status code to tell what happened.
        last_error.clear();
    }
}

void clear_last_error() noexcept { last_error.clear(); }

char* copy_string(const std::string& s) {
    auto* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

std::string string_arg(const char* s, const char* name) {
    if (!s) throw InvalidArgument(std::string(name) + " is NULL");
    return s;
}

std::string required_path(const char* s, const char* name) {
    if (!s) throw InvalidArgument(std::string(name) + " is NULL");
    if (!*s) throw InvalidArgument(std::string(name) + " is empty");
    return s;
}

std::vector<std::string> string_array(const char* const* items, std::size_t count, const char* name, bool allow_empty) {
    if (count == 0 && !allow_empty) throw InvalidArgument(std::string(name) + ": no items (count is 0)");
    if (!items && count > 0) throw InvalidArgument(std::string(name) + " is NULL");
    std::vector<std::string> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (!items[i]) throw InvalidArgument(std::string(name) + "[" + std::to_string(i) + "] is NULL");
        out.emplace_back(items[i]);
    }
    return out;
}

ErrorPolicy error_policy(const char* on_error, const char* name) {
    if (!on_error || std::strcmp(on_error, "fail") == 0) return ErrorPolicy::fail;
    if (std::strcmp(on_error, "skip") == 0) return ErrorPolicy::skip;
    throw InvalidArgument(std::string(name) + ": expected \"fail\" or \"skip\", got \"" + on_error + "\"");
}

ReadOptions read_options(const emo_read_params* read) {
    ReadOptions options;
    if (!read) return options;
    if (read->format) {
        try {
            options.format = parse_input_format(read->format);
        } catch (const Error& e) {
            throw InvalidArgument(std::string("read.format: ") + e.what());
        }
    }
    options.on_error = error_policy(read->on_error, "read.on_error");
    return options;
}

double non_negative(double value, const char* name) {
    if (!std::isfinite(value) || value < 0)
        throw InvalidArgument(std::string(name) + ": expected a finite number >= 0, got " + std::to_string(value));
    return value;
}

CheckpointOptions checkpoint_options(const emo_checkpoint_params* params) {
    CheckpointOptions options;
    if (!params) return options;
    switch (params->quantize) {
        case EMO_QUANTIZE_NONE:
            options.quantize = CheckpointOptions::Quantize::none;
            break;
        case EMO_QUANTIZE_INT8:
            options.quantize = CheckpointOptions::Quantize::int8;
            break;
        case EMO_QUANTIZE_BF16:
            options.quantize = CheckpointOptions::Quantize::bf16;
            break;
        default:
            throw InvalidArgument("checkpoint.quantize: unknown value " +
                                  std::to_string(static_cast<int>(params->quantize)));
    }
    if (params->threads < 0)
        throw InvalidArgument("checkpoint.threads: expected 0 or more, got " + std::to_string(params->threads));
    options.threads = params->threads;
    options.occlusion = params->occlusion;
    return options;
}

std::string json_array(const std::vector<std::string>& items) {
    return nlohmann::json(items).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

AudioInput samples_input(const float* samples, std::size_t count, int sample_rate, const char* name) {
    if (!samples) throw InvalidArgument("samples is NULL");
    if (count == 0) throw InvalidArgument("samples: no samples (count is 0)");
    // The range AudioStream accepts; checked here so that a wrong rate is the caller's error, not the recording's.
    if (sample_rate < 1000 || sample_rate > 768000)
        throw InvalidArgument("sample_rate: " + std::to_string(sample_rate) + " Hz is out of range (1,000 to 768,000)");
    AudioInput input;
    input.path = name ? name : "samples";
    input.samples = std::make_shared<const std::vector<float>>(samples, samples + count);
    input.sample_rate = sample_rate;
    return input;
}

}  // namespace emo::capi

using namespace emo::capi;

extern "C" {

const char* emo_last_error(void) { return last_error.c_str(); }

const char* emo_status_name(emo_status status) {
    switch (status) {
        case EMO_OK:
            return "EMO_OK";
        case EMO_ERR_INVALID_ARGUMENT:
            return "EMO_ERR_INVALID_ARGUMENT";
        case EMO_ERR_INPUT:
            return "EMO_ERR_INPUT";
        case EMO_ERR_MODEL:
            return "EMO_ERR_MODEL";
        case EMO_ERR_OUT_OF_MEMORY:
            return "EMO_ERR_OUT_OF_MEMORY";
        case EMO_ERR_INTERNAL:
            return "EMO_ERR_INTERNAL";
    }
    return "unknown status";
}

const char* emo_version(void) { return EMO_VERSION_STRING; }

void emo_string_free(char* s) { std::free(s); }

void emo_doubles_free(double* values) { std::free(values); }

emo_checkpoint_params emo_checkpoint_default_params(void) {
    emo_checkpoint_params p;
    p.quantize = EMO_QUANTIZE_NONE;
    p.threads = 0;
    p.occlusion = false;
    return p;
}

emo_read_params emo_read_default_params(void) {
    emo_read_params p;
    p.format = "auto";
    p.on_error = "fail";
    return p;
}

}  // extern "C"
