// What the C API's source files share: the handles' definitions, the boundary that turns exceptions into status
// codes, argument checks and the strings handed to callers.
#pragma once

#include <emo/emo.h>
#include <emo/emo.hpp>

#include "io/checkpoint_hub.hpp"

#include <exception>
#include <new>
#include <string>
#include <vector>

struct emo_conv_model {
    emo::Model model;
};
struct emo_text_model {
    emo::TextModel model;
};
struct emo_cause_model {
    emo::CauseModel model;
};
struct emo_speech_model {
    emo::SpeechModel model;
};

namespace emo::capi {

// A caller's mistake (NULL pointer, wrong size, unknown parameter value): EMO_ERR_INVALID_ARGUMENT.
class InvalidArgument : public std::exception {
public:
    explicit InvalidArgument(std::string message) : message_(std::move(message)) {}
    const char* what() const noexcept override { return message_.c_str(); }

private:
    std::string message_;
};

// Records the message of a failure for emo_last_error() on this thread; never throws.
void set_last_error(const char* message) noexcept;
void clear_last_error() noexcept;

// Runs `body` and turns whatever it throws into a status: emo::Error becomes `library_error` (the kind of failure the
// library's errors mean for this call: input or model), with the library's message kept as it is.
template <class Body>
emo_status guard(emo_status library_error, Body&& body) noexcept {
    clear_last_error();
    try {
        body();
        return EMO_OK;
    } catch (const InvalidArgument& e) {
        set_last_error(e.what());
        return EMO_ERR_INVALID_ARGUMENT;
    } catch (const emo::Error& e) {
        set_last_error(e.what());
        return library_error;
    } catch (const std::bad_alloc&) {
        set_last_error("out of memory");
        return EMO_ERR_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        set_last_error(e.what());
        return EMO_ERR_INTERNAL;
    } catch (...) {
        set_last_error("unknown exception");
        return EMO_ERR_INTERNAL;
    }
}

// Throws InvalidArgument "`name` is NULL" when `p` is null.
template <class T>
const T& require(const T* p, const char* name) {
    if (!p) throw InvalidArgument(std::string(name) + " is NULL");
    return *p;
}
// The output pointer checked and cleared first, so that a failed call never leaves a stale value.
template <class T>
T** output(T** out, const char* name) {
    if (!out) throw InvalidArgument(std::string(name) + " is NULL");
    *out = nullptr;
    return out;
}

// A copy in malloc'd memory for the caller, who frees it with emo_string_free; throws std::bad_alloc.
char* copy_string(const std::string& s);
// Writes `s` to *out (a checked output pointer).
inline void give(char** out, const std::string& s) { *out = copy_string(s); }

// A non-NULL string argument; NULL gives InvalidArgument naming it.
std::string string_arg(const char* s, const char* name);
// A non-NULL, non-empty string argument.
std::string required_path(const char* s, const char* name);
// An optional string: NULL is `fallback`.
inline std::string optional_string(const char* s, const std::string& fallback = "") { return s ? s : fallback; }
// `count` strings, none NULL; `count` may not be 0 unless `allow_empty`.
std::vector<std::string> string_array(const char* const* items, std::size_t count, const char* name,
                                      bool allow_empty = false);
// "fail" or "skip" (NULL: fail), else InvalidArgument naming `name`.
ErrorPolicy error_policy(const char* on_error, const char* name);
// The conversation reader's options; unknown names are InvalidArgument.
ReadOptions read_options(const emo_read_params* read);
// A finite number >= 0, else InvalidArgument naming `name`.
double non_negative(double value, const char* name);
using io::resolve_model;  // hf:ORG/NAME[@REVISION] from `emo models pull`'s cache, else the path as it is
CheckpointOptions checkpoint_options(const emo_checkpoint_params* params);
// Strings as a JSON array.
std::string json_array(const std::vector<std::string>& items);
// The recording in memory, checked (NULL, empty) and copied.
AudioInput samples_input(const float* samples, std::size_t count, int sample_rate, const char* name);
// The training options of emo_train_speech and emo_cross_validate_speech, checked; `need_out_dir`: for training.
AudioTrainOptions speech_train_options(const emo_train_speech_params& p, bool need_out_dir);

}  // namespace emo::capi
