// emo train conv: trains a conversation model on a labelled file and writes a model directory.
#include "commands.hpp"
#include "options.hpp"

#include <emo/emo.hpp>

#include <memory>

namespace emo::cli {

void add_train_command(CLI::App& app) {
    auto* train = app.add_subcommand("train", "Train a model on labelled data");
    train->require_subcommand(1);
    auto args = std::make_shared<TrainOptions>();
    auto input = std::make_shared<InputOptions>();
    auto* cmd = train->add_subcommand("conv", "Train a conversation emotion model on the label set of --train");
    cmd->add_option("--train", args->train_path, "labelled training conversations")->required();
    cmd->add_option("--dev", args->dev_path, "labelled dev conversations, for the reported figures");
    cmd->add_option("--out", args->out_dir, "model directory to write")->required();
    cmd->add_option("--vectors", args->vectors_path, "word vectors from `emo pretrain` to use as features");
    add_encoder_feature_options(*cmd, args->encoder);
    cmd->add_option("--c", args->stage1_c,
                    "inverse penalty C of the utterance stage, sklearn's convention (0: chosen by cross-validation "
                    "over dialogues, 0.125..16)")
        ->capture_default_str();
    cmd->add_option("--context-c", args->stage2_c,
                    "inverse penalty C of the context stage (0: chosen by cross-validation over dialogues, 1/256..1)")
        ->capture_default_str();
    cmd->add_option("--seed", args->seed, "random seed (same seed, same data: same model)")->capture_default_str();
    cmd->add_option("--threads", args->threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->add_flag("!--quiet", args->verbose, "no progress on standard error");
    input->add_to(*cmd);
    cmd->callback([args, input] {
        args->read = input->read_options();
        train_conversation_model(*args);
    });
    add_train_text_command(*train);
    add_train_causes_command(*train);
    add_train_audio_command(*train);
}

}  // namespace emo::cli
