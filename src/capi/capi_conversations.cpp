// The C API's conversations: `emo conv` over a file or a JSON string, with causes and dynamics.
#include "capi/capi_common.hpp"

#include "io/result_json.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

using namespace emo;
using namespace emo::capi;

namespace {

emo_conv_params checked_params(const emo_conv_params* params) {
    const emo_conv_params p = params ? *params : emo_conv_default_params();
    if (p.output != EMO_OUTPUT_JSONL && p.output != EMO_OUTPUT_CSV)
        throw InvalidArgument("params.output: unknown value " + std::to_string(static_cast<int>(p.output)));
    // The CLI's rules (emo conv): causes and dynamics have no CSV columns.
    if (!p.causes && (p.cause_candidates || p.gold_emotions))
        throw InvalidArgument("params.cause_candidates and params.gold_emotions need params.causes");
    if (p.causes && p.output == EMO_OUTPUT_CSV) throw InvalidArgument("params.causes needs JSONL output");
    if (p.dynamics && p.output == EMO_OUTPUT_CSV) throw InvalidArgument("params.dynamics needs JSONL output");
    return p;
}

// What `emo conv` writes for these conversations, header included.
std::string analyze(const Model& model, const std::vector<Conversation>& conversations, const emo_conv_params& p) {
    ConvOptions options;
    options.online = p.online;
    options.max_evidence = p.max_evidence;
    options.checkpoint_context = p.checkpoint_context;
    CauseOptions cause_options;
    cause_options.candidates = p.cause_candidates;
    cause_options.gold_emotions = p.gold_emotions;
    const bool csv = p.output == EMO_OUTPUT_CSV;
    std::string out;
    if (csv) out += csv_header(model.labels());
    for (const auto& conversation : conversations) {
        auto results = model.analyze(conversation, options);
        if (p.causes) p.causes->model.find_causes(conversation, results, cause_options);
        out += io::dialogue_output(results, csv ? &model.labels() : nullptr, p.dynamics);
    }
    return out;
}

// A flat array of utterance records is JSON Lines in other clothes: read it as such, so that each record is read
// exactly as `emo conv` reads a line of a .jsonl file. Anything else goes to the `json` reader, whose errors name
// the line.
std::vector<Conversation> conversations_of_json(const std::string& text, ReadOptions read) {
    const auto document = nlohmann::json::parse(text, nullptr, false);
    bool records = !document.is_discarded() && document.is_array() && !document.empty();
    if (records)
        for (const auto& item : document) records = records && item.is_object() && !item.contains("utterances");
    std::string data = text;
    if (records) {
        data.clear();
        for (const auto& item : document) data += item.dump() + '\n';
        read.format = InputFormat::jsonl;
    } else {
        read.format = InputFormat::json;
    }
    std::istringstream in(data);
    auto conversations = read_conversations(in, "json", read);
    if (conversations.empty()) throw Error("json: no conversations");
    return conversations;
}

}  // namespace

extern "C" {

emo_conv_params emo_conv_default_params(void) {
    emo_conv_params p;
    p.online = false;
    p.max_evidence = 5;
    p.checkpoint_context = 0;
    p.causes = nullptr;
    p.cause_candidates = false;
    p.gold_emotions = false;
    p.dynamics = false;
    p.output = EMO_OUTPUT_JSONL;
    return p;
}

emo_status emo_conv_analyze_file(const emo_conv_model* model, const char* path, const emo_read_params* read,
                                 const emo_conv_params* params, char** out) {
    return guard(EMO_ERR_INPUT, [&] {
        output(out, "out");
        const auto& m = require(model, "model");
        const std::string file = required_path(path, "path");
        const auto p = checked_params(params);
        give(out, analyze(m.model, read_conversations(file, read_options(read)), p));
    });
}

emo_status emo_conv_analyze_json(const emo_conv_model* model, const char* json, const emo_read_params* read,
                                 const emo_conv_params* params, char** out) {
    return guard(EMO_ERR_INPUT, [&] {
        output(out, "out");
        const auto& m = require(model, "model");
        const std::string text = string_arg(json, "json");
        const auto p = checked_params(params);
        // The format is the string's own (json, or records as jsonl); only the error policy applies.
        ReadOptions options;
        options.on_error = error_policy(read ? read->on_error : nullptr, "read.on_error");
        give(out, analyze(m.model, conversations_of_json(text, options), p));
    });
}

}  // extern "C"
