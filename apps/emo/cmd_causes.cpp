// emo train causes / emo eval causes: the emotion-cause model on conversations with cause annotations.
#include "commands.hpp"
#include "options.hpp"

#include <emo/emo.hpp>

#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct EvalCausesArgs {
    std::string file;
    std::string model_dir;
    std::string emotion_model_dir;
    std::string emotions = "gold";
    InputOptions input;
    bool json = false;
};

void run_eval_causes(const EvalCausesArgs& args) {
    const auto model = CauseModel::load(args.model_dir.empty() ? CauseModel::default_directory() : args.model_dir);
    const auto conversations = read_conversations(args.file, args.input.read_options());
    std::unique_ptr<Model> emotions;
    if (args.emotions == "predicted")
        emotions = std::make_unique<Model>(
            Model::load(args.emotion_model_dir.empty() ? Model::default_directory() : args.emotion_model_dir));
    const auto report = evaluate_causes(model, conversations, emotions.get(), std::cerr);
    if (report.targets == 0) throw Error(args.file + ": no utterances with cause annotations to evaluate");
    std::cout << (args.json ? to_json(report) + '\n' : to_text(report));
}

}  // namespace

void add_train_causes_command(CLI::App& train) {
    auto args = std::make_shared<CauseTrainOptions>();
    auto input = std::make_shared<InputOptions>();
    auto* cmd = train.add_subcommand("causes", "Train an emotion-cause model on conversations with cause annotations");
    cmd->add_option("--train", args->train_path, "annotated conversations (RECCON's JSON, or a `causes` field)")
        ->required();
    cmd->add_option("--valid", args->valid_path, "annotated conversations scored at the end (figures in the manifest)");
    cmd->add_option("--out", args->out_dir, "model directory to write")->required();
    cmd->add_option("--emotion-model", args->emotion_model_dir,
                    "conversation model for end-to-end valid figures with predicted emotions");
    cmd->add_option("--c-pair", args->c_pair, "inverse L2 penalty C of the pair model (0: chosen by cross-validation on train)")->capture_default_str();
    cmd->add_option("--c-span", args->c_span, "inverse L2 penalty C of the span model (0: chosen by cross-validation on train)")->capture_default_str();
    cmd->add_option("--folds", args->folds, "cross-validation folds (of dialogues) for the decision threshold")
        ->capture_default_str();
    cmd->add_option("--seed", args->seed, "random seed of the folds")->capture_default_str();
    cmd->add_option("--threads", args->threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->add_flag("!--quiet", args->verbose, "no progress on standard error");
    input->add_to(*cmd);
    cmd->callback([args, input] {
        args->read = input->read_options();
        train_cause_model(*args);
    });
}

void add_eval_causes_command(CLI::App& eval) {
    auto args = std::make_shared<EvalCausesArgs>();
    auto* cmd = eval.add_subcommand("causes", "Evaluate an emotion-cause model on annotated conversations (RECCON's "
                                              "metrics)");
    cmd->add_option("file", args->file, "annotated conversations (RECCON's JSON, or a `causes` field)")->required();
    cmd->add_option("--model", args->model_dir, "cause model directory (default: models/causes-reccon, or "
                                                "$EMO_CAUSE_MODEL_DIR)");
    cmd->add_option("--emotions", args->emotions,
                    "gold: targets and emotions from the labels (RECCON's setting); predicted: from the "
                    "conversation model (end to end)")
        ->check(CLI::IsMember({"gold", "predicted"}))
        ->capture_default_str();
    cmd->add_option("--emotion-model", args->emotion_model_dir,
                    "conversation model for --emotions predicted (default: the built-in one)");
    args->input.add_to(*cmd);
    cmd->add_flag("--json", args->json, "print one JSON object instead of a table");
    cmd->callback([args] { run_eval_causes(*args); });
}

}  // namespace emo::cli
