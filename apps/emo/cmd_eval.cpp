// emo eval conv: accuracy, F1 scores and the confusion matrix of a model on a labelled file.
#include "commands.hpp"
#include "options.hpp"

#include <emo/emo.hpp>

#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct EvalArgs {
    std::string file;
    std::string model_dir;
    InputOptions input;
    bool online = false;
    bool json = false;
    std::size_t context = 0;
    CheckpointOptions checkpoint;
};

void run_eval(const EvalArgs& args) {
    const ReadOptions read = args.input.read_options();
    Model model = Model::load(args.model_dir.empty() ? Model::default_directory() : resolve_model(args.model_dir),
                              args.checkpoint);
    ConvOptions options;
    options.online = args.online;
    options.max_evidence = 0;
    options.checkpoint_context = args.context;
    std::vector<std::string> gold, predicted;
    for (const auto& conversation : read_conversations(args.file, read)) {
        auto results = model.analyze(conversation, options);
        for (std::size_t i = 0; i < results.size(); ++i) {
            const auto& u = conversation.utterances[i];
            if (!results[i].error.empty()) throw Error(results[i].error);
            if (u.label.empty()) throw Error(u.source + ": utterance has no gold label to evaluate against");
            bool known = false;
            for (const auto& l : model.labels()) known = known || l == u.label;
            if (!known) throw Error(u.source + ": label '" + u.label + "' is not one of the model's labels");
            gold.push_back(u.label);
            predicted.push_back(results[i].emotion);
        }
    }
    if (gold.empty()) throw Error(args.file + ": no utterances to evaluate");
    auto report = evaluate(gold, predicted, model.labels());
    std::cout << (args.json ? to_json(report) + '\n' : to_text(report));
}

}  // namespace

void add_eval_command(CLI::App& app) {
    auto* eval = app.add_subcommand("eval", "Evaluate a model on labelled data");
    eval->require_subcommand(1);
    auto args = std::make_shared<EvalArgs>();
    auto* cmd = eval->add_subcommand("conv", "Evaluate a conversation model on a labelled conversation file");
    cmd->add_option("file", args->file, "labelled conversation file")->required();
    add_model_option(*cmd, args->model_dir);
    args->input.add_to(*cmd);
    cmd->add_flag("--online", args->online, "evaluate the online mode (past context only)");
    cmd->add_flag("--json", args->json, "print one JSON object instead of a table");
    add_checkpoint_context_option(*cmd, args->context);
    add_checkpoint_options(*cmd, args->checkpoint);
    cmd->callback([args] { run_eval(*args); });
    add_eval_text_command(*eval);
    add_eval_causes_command(*eval);
    add_eval_audio_command(*eval);
    add_eval_face_command(*eval);
}

}  // namespace emo::cli
