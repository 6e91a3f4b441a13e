// The C API's single texts: `emo text` over one text, an array of texts, or a file of texts.
#include "capi/capi_common.hpp"

#include <cstring>

using namespace emo;
using namespace emo::capi;

namespace {

struct TextCall {
    TextOptions options;
    ErrorPolicy on_error = ErrorPolicy::fail;
};

TextCall checked_params(const emo_text_params* params) {
    const emo_text_params p = params ? *params : emo_text_default_params();
    TextCall call;
    call.options.max_evidence = p.max_evidence;
    call.options.perspective = p.perspective ? p.perspective : "average";
    const auto& v = call.options.perspective;
    if (v != "average" && v != "writer" && v != "reader" && v != "both")
        throw InvalidArgument("params.perspective: expected average, writer, reader or both, got \"" + v + "\"");
    call.on_error = error_policy(p.on_error, "params.on_error");
    return call;
}

// One JSON line per record, as `emo text` writes them; with on_error fail, the first record that could not be
// analysed fails the call with its message (which names the record).
std::string analyze(const TextModel& model, const std::vector<TextRecord>& records, const TextCall& call) {
    std::string out;
    for (const auto& r : model.analyze(records, call.options)) {
        if (!r.error.empty() && call.on_error == ErrorPolicy::fail) throw Error(r.error);
        out += to_json(r) + '\n';
    }
    return out;
}

TextRecord record(const std::string& text, std::string source) {
    TextRecord r;
    r.text = text;
    r.source = std::move(source);
    return r;
}

}  // namespace

extern "C" {

emo_text_params emo_text_default_params(void) {
    emo_text_params p;
    p.max_evidence = 3;
    p.perspective = "average";
    p.on_error = "fail";
    return p;
}

emo_status emo_text_analyze(const emo_text_model* model, const char* text, const emo_text_params* params, char** out) {
    return guard(EMO_ERR_INPUT, [&] {
        output(out, "out");
        const auto& m = require(model, "model");
        const auto call = checked_params(params);
        give(out, analyze(m.model, {record(string_arg(text, "text"), "text")}, call));
    });
}

emo_status emo_text_analyze_batch(const emo_text_model* model, const char* const* texts, size_t count,
                                  const emo_text_params* params, char** out) {
    return guard(EMO_ERR_INPUT, [&] {
        output(out, "out");
        const auto& m = require(model, "model");
        const auto call = checked_params(params);
        const auto items = string_array(texts, count, "texts");
        std::vector<TextRecord> records;
        records.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i)
            records.push_back(record(items[i], "texts[" + std::to_string(i) + "]"));
        give(out, analyze(m.model, records, call));
    });
}

emo_status emo_text_analyze_file(const emo_text_model* model, const char* path, const char* format,
                                 const emo_text_params* params, char** out) {
    return guard(EMO_ERR_INPUT, [&] {
        output(out, "out");
        const auto& m = require(model, "model");
        const std::string file = required_path(path, "path");
        const auto call = checked_params(params);
        TextReadOptions read;
        try {
            read.format = parse_text_format(format ? format : "auto");
        } catch (const Error& e) {
            throw InvalidArgument(std::string("format: ") + e.what());
        }
        read.on_error = call.on_error;
        give(out, analyze(m.model, read_texts(file, read), call));
    });
}

}  // extern "C"
