// emo eval text: multi-label, multi-class or regression scores of a text model on labelled or rated texts.
#include "commands.hpp"
#include "options.hpp"

#include <emo/emo.hpp>

#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct EvalTextArgs {
    std::string file, model_dir, format = "auto", split;
    bool vad = false, json = false;
    CheckpointOptions checkpoint;
};

void run_eval_text(const EvalTextArgs& args) {
    const std::string dir = !args.model_dir.empty() ? resolve_model(args.model_dir)
                            : args.vad              ? TextModel::default_vad_directory()
                                                    : TextModel::default_emotion_directory();
    const TextModel model = TextModel::load(dir, args.checkpoint);
    const auto targets = model.vad_targets();
    const bool regression = model.labels().empty();
    TextReadOptions read;
    read.format = parse_text_format(args.format);
    for (const auto& t : targets) read.target_names.push_back(t.first);
    auto records = read_texts(args.file, read);
    if (!args.split.empty()) std::erase_if(records, [&](const TextRecord& r) { return r.split != args.split; });
    if (records.empty())
        throw Error(args.file + ": no texts to evaluate" +
                    (args.split.empty() ? "" : " in split '" + args.split + "'"));
    TextOptions options;
    options.max_evidence = 0;
    const auto results = model.analyze(records, options);
    if (regression) {
        std::vector<std::vector<double>> gold, predicted;
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (!results[i].error.empty()) throw Error(results[i].error);
            gold.push_back(records[i].targets);
            std::vector<double> p;
            for (const auto& [column, key] : targets) p.push_back(results[i].vad.at("").at(key));
            predicted.push_back(std::move(p));
        }
        std::vector<std::string> names;
        for (const auto& t : targets) names.push_back(t.first);
        auto report = evaluate_regression(gold, predicted, names);
        std::cout << (args.json ? to_json(report) + '\n' : to_text(report));
        return;
    }
    const auto& labels = model.labels();
    auto index_of = [&](const std::string& label, const TextRecord& r) {
        for (std::size_t k = 0; k < labels.size(); ++k)
            if (labels[k] == label) return k;
        throw Error(r.source + ": label '" + label + "' is not one of the model's labels");
    };
    std::vector<std::vector<std::size_t>> gold, predicted;
    std::vector<std::string> gold_single, predicted_single;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (!results[i].error.empty()) throw Error(results[i].error);
        if (records[i].labels.empty()) throw Error(records[i].source + ": text has no gold label to evaluate against");
        std::vector<std::size_t> g, p;
        for (const auto& l : records[i].labels) g.push_back(index_of(l, records[i]));
        for (const auto& l : results[i].labels) p.push_back(index_of(l, records[i]));
        gold.push_back(std::move(g));
        predicted.push_back(std::move(p));
        if (!model.multilabel()) {
            gold_single.push_back(records[i].labels[0]);
            predicted_single.push_back(results[i].labels.at(0));
        }
    }
    if (model.multilabel()) {
        auto report = evaluate_multilabel(gold, predicted, labels);
        std::cout << (args.json ? to_json(report) + '\n' : to_text(report));
    } else {
        auto report = evaluate(gold_single, predicted_single, labels);
        std::cout << (args.json ? to_json(report) + '\n' : to_text(report));
    }
}

}  // namespace

void add_eval_text_command(CLI::App& eval) {
    auto args = std::make_shared<EvalTextArgs>();
    auto* cmd = eval.add_subcommand("text",
                                    "Evaluate a text model: macro/micro-F1 and Jaccard (multi-label), "
                                    "accuracy and F1 (multi-class), Pearson r, CCC and MAE (regression)");
    cmd->add_option("file", args->file, "labelled (or rated) texts: GoEmotions TSV, CSV or JSONL")->required();
    cmd->add_option("--model", args->model_dir,
                    "model directory (default: the built-in emotion model, or the "
                    "built-in VAD model with --vad)");
    cmd->add_flag("--vad", args->vad, "evaluate the built-in valence/arousal/dominance model");
    cmd->add_option("--split", args->split, "only the rows whose split column has this value (EmoBank: dev)");
    cmd->add_option("--format", args->format, "input format: auto (by extension), lines, csv, jsonl, goemotions")
        ->capture_default_str();
    cmd->add_flag("--json", args->json, "print one JSON object instead of a table");
    add_checkpoint_options(*cmd, args->checkpoint);
    cmd->callback([args] { run_eval_text(*args); });
}

}  // namespace emo::cli
