// emo text: emotions, their Ekman and sentiment groups, and valence/arousal/dominance of single texts.
#include "commands.hpp"
#include "options.hpp"

#include <emo/emo.hpp>

#include <iostream>
#include <memory>
#include <sstream>

namespace emo::cli {

namespace {

struct TextArgs {
    TextInputOptions input;
    std::string model_dir, vad_model_dir;
    bool no_emotions = false, no_vad = false;
    TextOptions options;
    CheckpointOptions checkpoint;
};

void run_text(const TextArgs& args) {
    if (args.no_emotions && args.no_vad) throw Error("--no-emotions and --no-vad leave nothing to do");
    const auto records = args.input.records();
    const TextModel model = TextModel::load(
        args.no_emotions
            ? ""
            : (args.model_dir.empty() ? TextModel::default_emotion_directory() : resolve_model(args.model_dir)),
        args.no_vad ? "" : (args.vad_model_dir.empty() ? TextModel::default_vad_directory() : args.vad_model_dir),
        args.checkpoint);
    std::ios::sync_with_stdio(false);
    FailedRecords failed(args.input.read_options().on_error);
    for (const auto& r : model.analyze(records, args.options)) {
        failed.check(r.error);
        std::cout << to_json(r) << '\n';
    }
    std::cout.flush();
    failed.report(records.size(), "texts could not be analysed");
}

}  // namespace

void add_text_command(CLI::App& app) {
    auto args = std::make_shared<TextArgs>();
    auto* cmd = app.add_subcommand("text",
                                   "Emotions (multi-label), Ekman and sentiment groups, and valence / arousal / "
                                   "dominance of single texts, one JSON object per line");
    args->input.add_to(*cmd, "analyse");
    cmd->add_option("--model", args->model_dir,
                    "emotion model directory or Hugging Face sequence-classification checkpoint (default: the built-in "
                    "text-goemotions)");
    cmd->add_option("--vad-model", args->vad_model_dir,
                    "valence/arousal/dominance model directory (default: the built-in text-emobank)");
    cmd->add_flag("--no-emotions", args->no_emotions, "leave out the emotion model");
    cmd->add_flag("--no-vad", args->no_vad, "leave out the valence/arousal/dominance model");
    cmd->add_option("--perspective", args->options.perspective,
                    "VAD of the writer, the reader, both, or their average (EmoBank's default)")
        ->check(CLI::IsMember({"average", "writer", "reader", "both"}))
        ->capture_default_str();
    cmd->add_option("--evidence", args->options.max_evidence, "evidence tokens per predicted label (0: none)")
        ->capture_default_str();
    add_checkpoint_options(*cmd, args->checkpoint);
    cmd->callback([args] { run_text(*args); });
}

}  // namespace emo::cli
