// emo's face capability: faces found in images and videos, and the expression of each (models/faces). Include
// it beside <emo/emo.hpp>.
#pragma once

#include "emo/emo.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace emo {

struct FaceBox {
    double x = 0, y = 0, width = 0, height = 0;  // pixels of the image; x, y the top-left corner
};

struct FaceLandmark {
    std::string name;  // right_eye, left_eye, nose, mouth, right_ear, left_ear (the person's right and left)
    double x = 0, y = 0;
};

struct Face {
    FaceBox box;
    double score = 1;                      // the detector's probability that this is a face; 1 without detection
    std::vector<FaceLandmark> landmarks;   // where the detector gives them
    std::string emotion;                   // top label
    std::map<std::string, double> scores;  // label -> probability over the expression classes, sums to 1
    // With FaceOptions::evidence: the face regions behind the decision (region:eyes, region:nose, region:mouth),
    // strongest first; weight = how much the label's log-probability falls when the region is hidden.
    std::vector<EvidenceItem> evidence;
    std::optional<int> track;  // in a video with FaceOptions::tracks: the face track it belongs to (1, 2, ...)
};

// One face followed through a video's sampled frames (FaceOptions::tracks): the frames where a detection overlaps the
// track's last box (intersection over union at least 0.3) with no gap over the options' track_gap.
struct FaceTrack {
    std::string file;
    int track = 0;                                      // the id its faces carry, in order of first appearance
    double start = 0, end = 0;                          // times of its first and last frames, seconds
    std::size_t frames = 0;                             // sampled frames it appears in
    FaceBox box;                                        // in its last frame
    double score = 0;                                   // mean detection probability
    std::string emotion;                                // top label of `scores`
    std::map<std::string, double> scores;               // mean expression probabilities over its frames
    std::map<std::string, std::size_t> frame_emotions;  // label -> frames where it was the top one
};

// What emo says about one image, or one sampled frame of a video.
struct FaceResult {
    std::string file;
    std::optional<double> time;  // seconds from the start, for a video frame
    int width = 0, height = 0;   // of the image or frame
    std::vector<Face> faces;     // strongest detection first; empty when no face was found
    std::string error;           // set instead of faces when the input could not be analysed
};

// One JSON object (single line) for a face result or a face track's summary, fields as docs/schema.md describes.
std::string to_json(const FaceResult& result);
std::string to_json(const FaceTrack& track);

struct FaceOptions {
    bool detect = true;          // false: each image is one face crop (data sets of cropped faces)
    double min_score = 0.5;      // detections below this probability are dropped
    std::size_t max_faces = 64;  // per image, strongest first
    // The expression model's crop: a square on the detected box, this many times the box's side wider on each
    // side, which frames the face as FER2013's crops do.
    double margin = 0.25;
    bool evidence = false;                   // occlusion evidence per face (3 more passes of the expression model)
    double fps = 2;                          // video frames sampled per second; 0: every frame
    bool tracks = false;                     // video: faces linked into tracks across frames, a summary per track
    double track_gap = 1.0;                  // seconds a track may go unseen (and at least two sampled frames)
    std::uint64_t max_pixels = 100'000'000;  // larger images and video frames are refused
    unsigned threads = 0;                    // 0 = all cores
};

// Face detection (BlazeFace) and expression (FER2013 mini-Xception), both TF.js graph models run by emo's executor.
class FaceModel {
public:
    // Loads a directory holding blazeface/ and emotion/ (models/faces); errors name the file. oneDNN sizes the
    // models' kernels for `threads` (0: every core) as they load: pass the FaceOptions::threads the calls will use.
    static FaceModel load(const std::string& directory, unsigned threads = 0);
    // The built-in models (models/faces), or $EMO_FACE_MODEL_DIR when set.
    static std::string default_directory();

    FaceModel(FaceModel&&) noexcept;
    FaceModel& operator=(FaceModel&&) noexcept;
    ~FaceModel();

    const std::vector<std::string>& labels() const;

    // One result per image path, in order; an image that cannot be read or analysed gives a result with `error`,
    // and the others go on.
    std::vector<FaceResult> analyze(const std::vector<std::string>& image_paths, const FaceOptions& options = {}) const;
    // An image already decoded: `rgb` holds width * height pixels, R G B, row by row. `name` becomes the file field.
    FaceResult analyze_rgb(const std::uint8_t* rgb, int width, int height, const std::string& name,
                           const FaceOptions& options = {}) const;
    // The sampled frames of a video (options.fps), each given to `sink` as soon as it is analysed; memory stays
    // bounded whatever the length. A video that cannot be opened throws emo::Error naming it; one that breaks
    // midway gives a last result with `error`. With options.tracks, each face carries its track id and
    // `track_sink` gets each track's summary as soon as the track ends (unseen for longer than options.track_gap),
    // the rest after the last frame (before a last result with `error`).
    void analyze_video(const std::string& path, const FaceOptions& options,
                       const std::function<void(const FaceResult&)>& sink,
                       const std::function<void(const FaceTrack&)>& track_sink = {}) const;

    struct Impl;

private:
    explicit FaceModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Expression figures on labelled images: accuracy, macro-F1, per class and the confusion matrix.
struct FaceEvalReport {
    EvalReport classes;
    std::size_t undetected = 0;  // with detection: images where no face was found, scored on the whole image
};
std::string to_json(const FaceEvalReport& report);
std::string to_text(const FaceEvalReport& report);

// Scores `model` on the images of a CSV with path and emotion columns (FER2013's labels.csv; relative paths from the
// CSV's folder). Each image is scored by its strongest face, or with options.detect off as one crop. Labels the model
// does not know, and images that cannot be read, are an emo::Error naming them.
FaceEvalReport evaluate_faces(const FaceModel& model, const std::string& csv_path, const FaceOptions& options = {});

// True when the file starts like an image emo decodes (JPEG, PNG, WebP, BMP), false otherwise (a video, say).
bool is_image_file(const std::string& path);

// Writes `image_path` with each face's box, landmarks and label drawn on it, as PNG at `out_path`.
void draw_faces(const std::string& image_path, const FaceResult& result, const std::string& out_path);

}  // namespace emo
