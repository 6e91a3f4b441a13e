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
    std::vector<std::string> texts;
    std::string input;
    std::string format = "auto", on_error = "fail";
    std::string model_dir, vad_model_dir;
    bool no_emotions = false, no_vad = false;
    TextOptions options;
};

void run_text(const TextArgs& args) {
    if (args.no_emotions && args.no_vad) throw Error("--no-emotions and --no-vad leave nothing to do");
    TextReadOptions read;
    read.format = parse_text_format(args.format);
    read.on_error = args.on_error == "skip" ? ErrorPolicy::skip : ErrorPolicy::fail;
    const auto records = gather_texts(args.texts, args.input, read);
    const TextModel model = TextModel::load(
        args.no_emotions ? "" : (args.model_dir.empty() ? TextModel::default_emotion_directory() : args.model_dir),
        args.no_vad ? "" : (args.vad_model_dir.empty() ? TextModel::default_vad_directory() : args.vad_model_dir));
    std::ios::sync_with_stdio(false);
    std::size_t failed = 0;
    for (const auto& r : model.analyze(records, args.options)) {
        if (!r.error.empty() && read.on_error == ErrorPolicy::fail) {
            std::cout.flush();
            throw Error(r.error);
        }
        failed += !r.error.empty();
        std::cout << to_json(r) << '\n';
    }
    std::cout.flush();
    if (failed)
        std::cerr << "emo: " << failed << " of " << records.size()
                  << " texts could not be analysed (see their 'error' field)\n";
}

}  // namespace

void add_text_command(CLI::App& app) {
    auto args = std::make_shared<TextArgs>();
    auto* cmd = app.add_subcommand("text", "Emotions (multi-label), Ekman and sentiment groups, and valence / arousal / "
                                           "dominance of single texts, one JSON object per line");
    cmd->add_option("texts", args->texts, "texts to analyse; '-' reads one text per line from standard input");
    cmd->add_option("--input", args->input, "a file of texts: lines, CSV with a text column, or JSONL with a text "
                                            "field (id passed through)");
    cmd->add_option("--format", args->format, "format of --input: auto (by extension), lines, csv, jsonl, goemotions")
        ->capture_default_str();
    cmd->add_option("--on-error", args->on_error,
                    "fail: stop at the first bad record; skip: write it with an 'error' field and go on")
        ->check(CLI::IsMember({"fail", "skip"}))
        ->capture_default_str();
    cmd->add_option("--model", args->model_dir, "emotion model directory (default: the built-in text-goemotions)");
    cmd->add_option("--vad-model", args->vad_model_dir, "valence/arousal/dominance model directory (default: the "
                                                        "built-in text-emobank)");
    cmd->add_flag("--no-emotions", args->no_emotions, "leave out the emotion model");
    cmd->add_flag("--no-vad", args->no_vad, "leave out the valence/arousal/dominance model");
    cmd->add_option("--perspective", args->options.perspective,
                    "VAD of the writer, the reader, both, or their average (EmoBank's default)")
        ->check(CLI::IsMember({"average", "writer", "reader", "both"}))
        ->capture_default_str();
    cmd->add_option("--evidence", args->options.max_evidence, "evidence tokens per predicted label (0: none)")
        ->capture_default_str();
    cmd->callback([args] { run_text(*args); });
}

}  // namespace emo::cli
