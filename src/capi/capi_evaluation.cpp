// The C API's evaluation: scores of predictions, and the model evaluations of `emo eval conv|text|causes|audio`, as
// the reports' JSON.
#include "capi/capi_common.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

using namespace emo;
using namespace emo::capi;

extern "C" {

emo_status emo_evaluate(const char* const* gold, const char* const* predicted, size_t count, const char* const* labels,
                        size_t label_count, char** json) {
    return guard(EMO_ERR_INPUT, [&] {
        output(json, "json");
        const auto g = string_array(gold, count, "gold");
        const auto p = string_array(predicted, count, "predicted");
        const auto l = string_array(labels, label_count, "labels");
        give(json, to_json(evaluate(g, p, l)) + '\n');
    });
}

emo_status emo_eval_conv(const emo_conv_model* model, const char* path, const emo_read_params* read,
                         const emo_conv_params* params, char** json) {
    return guard(EMO_ERR_INPUT, [&] {
        output(json, "json");
        const auto& m = require(model, "model");
        const std::string file = required_path(path, "path");
        const ReadOptions read_opts = read_options(read);
        const emo_conv_params p = params ? *params : emo_conv_default_params();
        // As `emo eval conv`: every utterance needs a gold label the model knows.
        ConvOptions options;
        options.online = p.online;
        options.max_evidence = 0;
        options.checkpoint_context = p.checkpoint_context;
        const auto& labels = m.model.labels();
        std::vector<std::string> gold, predicted;
        for (const auto& conversation : read_conversations(file, read_opts)) {
            const auto results = m.model.analyze(conversation, options);
            for (std::size_t i = 0; i < results.size(); ++i) {
                const auto& u = conversation.utterances[i];
                if (!results[i].error.empty()) throw Error(results[i].error);
                if (u.label.empty()) throw Error(u.source + ": utterance has no gold label to evaluate against");
                if (std::find(labels.begin(), labels.end(), u.label) == labels.end())
                    throw Error(u.source + ": label '" + u.label + "' is not one of the model's labels");
                gold.push_back(u.label);
                predicted.push_back(results[i].emotion);
            }
        }
        if (gold.empty()) throw Error(file + ": no utterances to evaluate");
        give(json, to_json(evaluate(gold, predicted, labels)) + '\n');
    });
}

emo_status emo_eval_text(const emo_text_model* model, const char* path, const char* format, const char* split,
                         char** json) {
    return guard(EMO_ERR_INPUT, [&] {
        output(json, "json");
        const auto& m = require(model, "model").model;
        const std::string file = required_path(path, "path");
        TextReadOptions read;
        try {
            read.format = parse_text_format(format ? format : "auto");
        } catch (const Error& e) {
            throw InvalidArgument(std::string("format: ") + e.what());
        }
        // As `emo eval text`: a model without an emotion part is scored on its VAD targets.
        const auto targets = m.vad_targets();
        const bool regression = m.labels().empty();
        // A model with both parts is scored on its labels, so its VAD columns need not be in the file.
        if (regression)
            for (const auto& t : targets) read.target_names.push_back(t.first);
        auto records = read_texts(file, read);
        const std::string only = split ? split : "";
        if (!only.empty()) std::erase_if(records, [&](const TextRecord& r) { return r.split != only; });
        if (records.empty())
            throw Error(file + ": no texts to evaluate" + (only.empty() ? "" : " in split '" + only + "'"));
        TextOptions options;
        options.max_evidence = 0;
        const auto results = m.analyze(records, options);
        if (regression) {
            std::vector<std::vector<double>> gold, predicted;
            for (std::size_t i = 0; i < records.size(); ++i) {
                if (!results[i].error.empty()) throw Error(results[i].error);
                gold.push_back(records[i].targets);
                std::vector<double> values;
                for (const auto& [column, key] : targets) values.push_back(results[i].vad.at("").at(key));
                predicted.push_back(std::move(values));
            }
            std::vector<std::string> names;
            for (const auto& t : targets) names.push_back(t.first);
            return give(json, to_json(evaluate_regression(gold, predicted, names)) + '\n');
        }
        const auto& labels = m.labels();
        auto index_of = [&](const std::string& label, const TextRecord& r) {
            const auto it = std::find(labels.begin(), labels.end(), label);
            if (it == labels.end()) throw Error(r.source + ": label '" + label + "' is not one of the model's labels");
            return static_cast<std::size_t>(it - labels.begin());
        };
        std::vector<std::vector<std::size_t>> gold, predicted;
        std::vector<std::string> gold_single, predicted_single;
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (!results[i].error.empty()) throw Error(results[i].error);
            if (records[i].labels.empty())
                throw Error(records[i].source + ": text has no gold label to evaluate against");
            std::vector<std::size_t> g, p;
            for (const auto& l : records[i].labels) g.push_back(index_of(l, records[i]));
            for (const auto& l : results[i].labels) p.push_back(index_of(l, records[i]));
            gold.push_back(std::move(g));
            predicted.push_back(std::move(p));
            if (!m.multilabel()) {
                gold_single.push_back(records[i].labels[0]);
                predicted_single.push_back(results[i].labels.at(0));
            }
        }
        give(json, (m.multilabel() ? to_json(evaluate_multilabel(gold, predicted, labels))
                                   : to_json(evaluate(gold_single, predicted_single, labels))) +
                       '\n');
    });
}

emo_status emo_eval_causes(const emo_cause_model* model, const char* path, const emo_read_params* read,
                           const emo_conv_model* emotions, char** json, char** warnings) {
    return guard(EMO_ERR_INPUT, [&] {
        output(json, "json");
        if (warnings) *warnings = nullptr;
        const auto& m = require(model, "model");
        const std::string file = required_path(path, "path");
        const auto conversations = read_conversations(file, read_options(read));
        std::ostringstream notes;
        const auto report = evaluate_causes(m.model, conversations, emotions ? &emotions->model : nullptr, notes);
        if (report.targets == 0) throw Error(file + ": no utterances with cause annotations to evaluate");
        std::string text = to_json(report) + '\n';
        char* report_json = copy_string(text);
        if (warnings) {
            try {
                *warnings = copy_string(notes.str());
            } catch (...) {
                std::free(report_json);
                throw;
            }
        }
        *json = report_json;
    });
}

emo_status emo_eval_audio(const emo_speech_model* model, const char* list_path, const emo_audio_params* params,
                          char** json) {
    return guard(EMO_ERR_INPUT, [&] {
        output(json, "json");
        const auto& m = require(model, "model");
        const std::string file = required_path(list_path, "list_path");
        const emo_audio_params p = params ? *params : emo_audio_default_params();
        AudioOptions options;
        options.speaker_baseline = p.speaker_baseline;
        options.threads = p.threads;
        give(json, to_json(evaluate_audio(m.model, read_audio_list(file), options)) + '\n');
    });
}

emo_status emo_cross_validate_speech(const emo_train_speech_params* params, char** json) {
    return guard(EMO_ERR_INPUT, [&] {
        output(json, "json");
        const auto options = speech_train_options(require(params, "params"), false);
        if (options.folds < 2)
            throw InvalidArgument("params.folds: cross-validation needs at least 2 folds, got " +
                                  std::to_string(options.folds));
        const auto [population, speaker] = cross_validate_speech(options);
        give(json, "{\"population\":" + to_json(population) + ",\"speaker\":" + to_json(speaker) + "}\n");
    });
}

}  // extern "C"
