// emo train audio and emo eval audio: speech emotion models on labelled recordings, with speaker-independent folds.
#include "commands.hpp"

#include <emo/emo.hpp>

#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct EvalAudioArgs {
    std::string file, model_dir;
    bool json = false, no_baseline = false;
    AudioTrainOptions train;
};

void run_eval_audio(EvalAudioArgs args) {
    if (args.train.folds > 0) {
        // Cross-validation of the training recipe: a model per fold, trained without that fold's speakers.
        if (!args.model_dir.empty()) throw Error("--folds trains its own models; it takes no --model");
        args.train.data_path = args.file;
        const auto [population, speaker] = cross_validate_speech(args.train);
        if (args.json)
            std::cout << "{\"population\":" << to_json(population) << ",\"speaker\":" << to_json(speaker) << "}\n";
        else
            std::cout << to_text(population) << '\n' << to_text(speaker);
        return;
    }
    const SpeechModel model =
        SpeechModel::load(args.model_dir.empty() ? SpeechModel::default_directory() : args.model_dir);
    AudioOptions options;
    options.speaker_baseline = !args.no_baseline;
    options.threads = args.train.threads;
    const auto report = evaluate_audio(model, read_audio_list(args.file), options);
    std::cout << (args.json ? to_json(report) + '\n' : to_text(report));
}

}  // namespace

void add_train_audio_command(CLI::App& train) {
    auto args = std::make_shared<AudioTrainOptions>();
    auto* cmd = train.add_subcommand("audio",
                                     "Train a speech emotion model on labelled recordings (a CSV with path, emotion "
                                     "and speaker columns, such as RAVDESS's labels.csv)");
    cmd->add_option("--data", args->data_path, "labelled recordings")->required();
    cmd->add_option("--out", args->out_dir, "model directory to write")->required();
    cmd->add_option("--c", args->c, "inverse L2 penalty (0: chosen by speaker folds inside the data)")
        ->capture_default_str();
    cmd->add_option("--folds", args->folds, "speaker-independent folds for the reported figures and for choosing C")
        ->capture_default_str();
    cmd->add_option(
           "--augment", args->augment,
           "resampling factors of extra training copies of every recording (voices 10% lower and higher by default)")
        ->capture_default_str();
    cmd->add_flag_callback(
        "--no-augment", [args] { args->augment.clear(); }, "train on the recordings only");
    cmd->add_option("--min-baseline", args->min_baseline_recordings,
                    "recordings of a speaker needed before the speaker baseline is used")
        ->capture_default_str();
    cmd->add_option("--threads", args->threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->add_flag("!--quiet", args->verbose, "no progress on standard error");
    cmd->callback([args] { train_speech_model(*args); });
}

void add_eval_audio_command(CLI::App& eval) {
    auto args = std::make_shared<EvalAudioArgs>();
    args->train.folds = 0;
    auto* cmd = eval.add_subcommand("audio",
                                    "Speech emotion figures (UA, WA, confusion matrix) on labelled recordings: of a "
                                    "model, or with --folds K of the training recipe in K speaker-independent folds");
    cmd->add_option("file", args->file, "labelled recordings: CSV with path, emotion and speaker columns")->required();
    cmd->add_option("--model", args->model_dir, "speech model directory (default: the built-in speech-ravdess)");
    cmd->add_option("--folds", args->train.folds,
                    "cross-validate instead: speakers in order, dealt into K consecutive groups, each held out in turn")
        ->capture_default_str();
    cmd->add_option("--c", args->train.c,
                    "with --folds: inverse L2 penalty (0: chosen inside each fold's training speakers)")
        ->capture_default_str();
    cmd->add_option("--augment", args->train.augment, "with --folds: resampling factors of extra training copies")
        ->capture_default_str();
    cmd->add_flag_callback(
        "--no-augment", [args] { args->train.augment.clear(); }, "with --folds: train on the recordings only");
    cmd->add_option("--baseline-recordings", args->train.test_baseline_recordings,
                    "with --folds: each held-out speaker's baseline from this many of their recordings, drawn at "
                    "random (0: all)")
        ->capture_default_str();
    cmd->add_flag("--no-baseline", args->no_baseline, "score the model without speaker baselines");
    cmd->add_option("--threads", args->train.threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->add_flag("--json", args->json, "print JSON instead of tables");
    cmd->add_flag("!--quiet", args->train.verbose, "no progress on standard error");
    cmd->callback([args] { run_eval_audio(*args); });
}

}  // namespace emo::cli
