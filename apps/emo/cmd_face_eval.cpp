// emo eval face: expression figures (accuracy, macro-F1, confusion matrix) of the face models on labelled images.
#include "commands.hpp"

#include <emo/emo.hpp>
#include <emo/faces.hpp>

#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct EvalFaceArgs {
    std::string file, model_dir;
    bool no_detect = false, json = false;
    FaceOptions options;
};

void run_eval_face(EvalFaceArgs args) {
    args.options.detect = !args.no_detect;
    const FaceModel model =
        FaceModel::load(args.model_dir.empty() ? FaceModel::default_directory() : args.model_dir, args.options.threads);
    const auto report = evaluate_faces(model, args.file, args.options);
    std::cout << (args.json ? to_json(report) + '\n' : to_text(report));
}

}  // namespace

void add_eval_face_command(CLI::App& eval) {
    auto args = std::make_shared<EvalFaceArgs>();
    auto* cmd = eval.add_subcommand("face",
                                    "Facial expression figures (accuracy, macro-F1, confusion matrix) on labelled "
                                    "images: a CSV with path and emotion columns, such as FER2013's labels.csv");
    cmd->add_option("file", args->file, "labelled images: CSV with path and emotion columns")->required();
    cmd->add_option("--model", args->model_dir, "directory with blazeface/ and emotion/ (default: models/faces)");
    cmd->add_flag("--no-detect", args->no_detect, "each image is one face crop (FER2013): no detection");
    cmd->add_option("--margin", args->options.margin, "the expression crop around a detected face (see emo face)")
        ->capture_default_str();
    cmd->add_option("--min-score", args->options.min_score, "drop detections below this probability")
        ->capture_default_str();
    cmd->add_option("--threads", args->options.threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->add_flag("--json", args->json, "print JSON instead of tables");
    cmd->callback([args] { run_eval_face(*args); });
}

}  // namespace emo::cli
