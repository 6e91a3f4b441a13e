// Face detection with BlazeFace (MediaPipe's 256x256 "back camera" model, models/faces/blazeface): the
// image letterboxed into the model's square input, 896 anchors decoded into boxes and six landmarks, overlapping boxes
// merged by non-maximum suppression, and everything mapped back to the original image's pixels.
#pragma once

#include "io/image.hpp"
#include "nn/tfjs_executor.hpp"
#include "vision/image_ops.hpp"

#include <array>
#include <string>
#include <vector>

namespace emo::vision {

// BlazeFace's six landmarks, in the model's order.
const std::vector<std::string>& face_landmark_names();

struct Detection {
    Rect box;                                     // pixels of the original image
    float score = 0;                              // probability that the box holds a face
    std::vector<std::array<float, 2>> landmarks;  // x, y in pixels, in face_landmark_names()' order
};

struct DetectorOptions {
    float min_score = 0.5f;    // boxes below this probability are dropped
    float max_overlap = 0.3f;  // a box whose IoU with a stronger kept box exceeds this is suppressed
    std::size_t max_faces = 64;
};

// Intersection over union of two rectangles (0 when either is empty).
float iou(const Rect& a, const Rect& b);

// Indices of `boxes` kept by greedy non-maximum suppression: strongest first, each dropping the later ones that
// overlap it by more than `max_overlap`; at most `max_kept`.
std::vector<std::size_t> non_max_suppression(const std::vector<Rect>& boxes, const std::vector<float>& scores,
                                             float max_overlap, std::size_t max_kept);

class FaceDetector {
public:
    // Loads `directory`/model.json and checks that its outputs are BlazeFace's (scores and 16 values per anchor on a
    // 16x16 and an 8x8 grid); emo::Error naming the file otherwise.
    explicit FaceDetector(const std::string& directory);

    // The faces of `image`, strongest first. The context holds the executor's memory between calls (one per thread).
    std::vector<Detection> detect(const io::Image& image, const DetectorOptions& options,
                                  nn::TfjsRunContext& context) const;

private:
    struct Anchor {
        float x, y;  // centre, as a fraction of the input's side
    };
    nn::TfjsGraph graph_;
    std::string input_name_;
    std::vector<std::string> outputs_;  // per grid, fine grid first: the scores, then the boxes
    std::vector<Anchor> anchors_;
    int input_size_ = 256;
};

}  // namespace emo::vision
