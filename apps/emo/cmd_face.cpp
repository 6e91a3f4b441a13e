// emo face: faces and their expressions in images (and sampled video frames), one JSON object per image or frame.
#include "commands.hpp"
#include "options.hpp"

#include <emo/emo.hpp>
#include <emo/faces.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace emo::cli {

namespace {

struct FaceArgs {
    std::vector<std::string> inputs;
    std::string model_dir, draw, on_error = "fail";
    bool no_detect = false;
    FaceOptions options;
};

// Where --draw writes the picture of `input`: the path itself for a single input, else a PNG named after the
// input in the --draw folder.
std::string draw_path(const FaceArgs& args, const std::string& input) {
    if (args.inputs.size() == 1 && !std::filesystem::is_directory(args.draw)) return args.draw;
    return (std::filesystem::path(args.draw) / std::filesystem::path(input).stem()).string() + ".png";
}

// Writes each result in turn, drawing images with --draw; stops the run under --on-error fail.
class FaceWriter {
public:
    FaceWriter(const FaceArgs& args) : args_(args), failed_(error_policy(args.on_error)) {}

    // With --draw, the image of `r` with its faces drawn; a failure to write it becomes the result's error.
    void draw(FaceResult& r) const {
        if (!r.error.empty() || args_.draw.empty()) return;
        try {
            draw_faces(r.file, r, draw_path(args_, r.file));
        } catch (const Error& e) {
            r.error = e.what();
        }
    }
    void write(const FaceResult& r) {
        failed_.check(r.error);
        std::cout << to_json(r) << '\n';
    }
    void report() const { failed_.report(args_.inputs.size(), "inputs could not be analysed"); }

private:
    const FaceArgs& args_;
    FailedRecords failed_;
};

void run_face(FaceArgs args) {
    args.options.detect = !args.no_detect;
    if (!args.draw.empty() && args.inputs.size() > 1) std::filesystem::create_directories(args.draw);
    const FaceModel model =
        FaceModel::load(args.model_dir.empty() ? FaceModel::default_directory() : args.model_dir, args.options.threads);
    std::ios::sync_with_stdio(false);
    FaceWriter writer(args);
    // Images go in chunks, analysed in parallel and written in argument order as each chunk ends; a video's frames
    // are written as they are analysed.
    constexpr std::size_t chunk = 64;
    std::vector<std::string> images;
    const auto flush_images = [&] {
        if (images.empty()) return;
        for (auto& r : model.analyze(images, args.options)) {
            writer.draw(r);
            writer.write(r);
        }
        std::cout.flush();
        images.clear();
    };
    for (const auto& input : args.inputs) {
        if (is_image_file(input) || !std::filesystem::is_regular_file(input)) {
            // Missing and unreadable files get the image reader's message.
            images.push_back(input);
            if (images.size() == chunk) flush_images();
            continue;
        }
        flush_images();
        try {
            model.analyze_video(
                input, args.options, [&](const FaceResult& frame) { writer.write(frame); },
                [](const FaceTrack& track) { std::cout << to_json(track) << '\n'; });
        } catch (const Error& e) {
            FaceResult r;
            r.file = input;
            // The video reader's message starts with the path; say that it is not an image either.
            std::string why = e.what();
            if (why.starts_with(input + ": ")) why.erase(0, input.size() + 2);
            r.error = input + ": neither an image (JPEG, PNG, WebP or BMP) nor a video FFmpeg can read (" + why + ")";
            writer.write(r);
        }
        std::cout.flush();
    }
    flush_images();
    writer.report();
}

}  // namespace

void add_face_command(CLI::App& app) {
    auto args = std::make_shared<FaceArgs>();
    auto* cmd = app.add_subcommand(
        "face",
        "Faces and their expressions in images (JPEG, PNG, WebP, BMP) and videos: one JSON object per image or sampled "
        "video frame, in argument order, whose 'faces' lists each face's box, landmarks, emotion and scores (an empty "
        "list when there is none)");
    cmd->add_option("inputs", args->inputs, "image files, or videos (MP4, WebM, MKV, ...: one line per sampled frame)")
        ->required();
    cmd->add_option("--model", args->model_dir,
                    "directory with blazeface/ and emotion/ (default: the built-in models/faces, or "
                    "$EMO_FACE_MODEL_DIR)");
    cmd->add_flag("--no-detect", args->no_detect,
                  "no face detection: each image is one face crop (data sets of cropped faces such as FER2013)");
    cmd->add_option("--draw", args->draw,
                    "write each image with its faces' boxes, landmarks and labels as PNG: this file for one input, "
                    "else NAME.png in this folder (images only, not video frames)");
    cmd->add_option("--min-score", args->options.min_score, "drop detections below this probability")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--max-faces", args->options.max_faces, "at most this many faces per image, strongest first")
        ->capture_default_str();
    cmd->add_option("--margin", args->options.margin,
                    "the expression crop: the face box widened by this share of its side on every side")
        ->check(CLI::Range(0.0, 2.0))
        ->capture_default_str();
    cmd->add_flag("--evidence", args->options.evidence,
                  "per face, the regions (eyes, nose, mouth) behind the decision, by hiding each in turn (3 more "
                  "passes of the expression model)");
    cmd->add_option("--fps", args->options.fps, "video frames to analyse per second (0: every frame)")
        ->check(CLI::Range(0.0, 1000.0))
        ->capture_default_str();
    cmd->add_flag("--tracks", args->options.tracks,
                  "videos: follow each face from frame to frame (its 'track' id in every frame) and write one summary "
                  "line per track as it ends: its time span, frames, mean expression scores");
    cmd->add_option("--track-gap", args->options.track_gap,
                    "with --tracks: seconds a face may go unseen and keep its track (at least two sampled frames)")
        ->check(CLI::Range(0.0, 3600.0))
        ->capture_default_str();
    cmd->add_option("--max-pixels", args->options.max_pixels, "refuse larger images (width x height)")
        ->capture_default_str();
    add_on_error_option(*cmd, args->on_error,
                        "fail: stop at the first input that cannot be analysed; skip: write it with an 'error' field "
                        "and go on");
    cmd->add_option("--threads", args->options.threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->callback([args] { run_face(*args); });
}

}  // namespace emo::cli
