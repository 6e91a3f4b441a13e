#include "vision/face_detector.hpp"

#include "emo/emo.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace emo::vision {

namespace {

// The anchor grids of the 256x256 model: 16x16 cells with 2 anchors each (stride 16), then 8x8 cells with 6 each
// (stride 32); every anchor is a unit square centred on its cell, so only the centres matter.
struct Grid {
    int cells, anchors_per_cell;
};
constexpr Grid grids[] = {{16, 2}, {8, 6}};
constexpr int values_per_anchor = 16;  // box centre x, y, width, height, then six landmarks' x, y

// The model was trained on RGB in [-1, 1].
constexpr float pixel_scale = 1.f / 127.5f, pixel_offset = -1.f;

float sigmoid(float x) { return 1.f / (1.f + std::exp(-std::clamp(x, -80.f, 80.f))); }

}  // namespace

const std::vector<std::string>& face_landmark_names() {
    static const std::vector<std::string> names{"right_eye", "left_eye", "nose", "mouth", "right_ear", "left_ear"};
    return names;
}

float iou(const Rect& a, const Rect& b) {
    const float x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
    const float x1 = std::min(a.x + a.width, b.x + b.width), y1 = std::min(a.y + a.height, b.y + b.height);
    const float inter = std::max(0.f, x1 - x0) * std::max(0.f, y1 - y0);
    const float uni =
        std::max(0.f, a.width) * std::max(0.f, a.height) + std::max(0.f, b.width) * std::max(0.f, b.height) - inter;
    return uni > 0 ? inter / uni : 0.f;
}

std::vector<std::size_t> non_max_suppression(const std::vector<Rect>& boxes, const std::vector<float>& scores,
                                             float max_overlap, std::size_t max_kept) {
    std::vector<std::size_t> order(boxes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    std::vector<std::size_t> kept;
    for (const auto i : order) {
        if (kept.size() >= max_kept) break;
        const bool overlaps =
            std::any_of(kept.begin(), kept.end(), [&](std::size_t k) { return iou(boxes[i], boxes[k]) > max_overlap; });
        if (!overlaps) kept.push_back(i);
    }
    return kept;
}

FaceDetector::FaceDetector(const std::string& directory) : graph_(nn::read_tfjs_model(directory + "/model.json")) {
    const std::string where = directory + "/model.json";
    if (graph_.input_names().size() != 1) throw Error(where + ": a face detector has one input");
    input_name_ = graph_.input_names().front();
    for (const auto& g : grids)
        for (int y = 0; y < g.cells; ++y)
            for (int x = 0; x < g.cells; ++x)
                for (int a = 0; a < g.anchors_per_cell; ++a)
                    anchors_.push_back({(x + 0.5f) / g.cells, (y + 0.5f) / g.cells});

    // Which output is which: run once on a blank image and match the outputs by shape, [1, anchors, 1] for scores
    // and [1, anchors, 16] for boxes, per grid.
    const auto probe =
        graph_.run({{input_name_, nn::TfjsTensor::of_floats({1, input_size_, input_size_, 3},
                                                            std::vector<float>(input_size_ * input_size_ * 3))}},
                   graph_.output_names());
    std::vector<std::string> score_names, box_names;
    for (const auto& g : grids) {
        const std::int64_t n = static_cast<std::int64_t>(g.cells) * g.cells * g.anchors_per_cell;
        std::string scores, boxes;
        for (std::size_t i = 0; i < probe.size(); ++i) {
            const auto& shape = probe[i].shape;
            if (shape.size() != 3 || shape[0] != 1 || shape[1] != n) continue;
            if (shape[2] == 1) scores = graph_.output_names()[i];
            if (shape[2] == values_per_anchor) boxes = graph_.output_names()[i];
        }
        if (scores.empty() || boxes.empty())
            throw Error(where + ": not a BlazeFace model: no outputs of shape [1, " + std::to_string(n) +
                        ", 1] and [1, " + std::to_string(n) + ", 16]");
        score_names.push_back(scores);
        box_names.push_back(boxes);
    }
    outputs_ = score_names;
    outputs_.insert(outputs_.end(), box_names.begin(), box_names.end());
}

std::vector<Detection> FaceDetector::detect(const io::Image& image, const DetectorOptions& options,
                                            nn::TfjsRunContext& context) const {
    const Rect square = letterbox_square(image.width, image.height);
    auto pixels = resample(image, square, input_size_, input_size_, Pixels::rgb);
    for (auto& v : pixels) v = v * pixel_scale + pixel_offset;
    const auto out =
        graph_.run({{input_name_, nn::TfjsTensor::of_floats({1, input_size_, input_size_, 3}, std::move(pixels))}},
                   outputs_, context);

    std::vector<Detection> candidates;
    std::size_t anchor = 0;
    const float side = static_cast<float>(input_size_);
    const std::size_t grid_count = std::size(grids);
    for (std::size_t g = 0; g < grid_count; ++g) {
        const auto& scores = out[g].floats;
        const auto& values = out[grid_count + g].floats;
        for (std::size_t i = 0; i < scores.size(); ++i, ++anchor) {
            const float score = sigmoid(scores[i]);
            if (!(score >= options.min_score)) continue;
            const float* v = &values[i * values_per_anchor];
            const Anchor& a = anchors_[anchor];
            // Offsets are in input pixels; map the unit square of the input onto the letterboxed region.
            const auto to_x = [&](float offset) { return square.x + (a.x + offset / side) * square.width; };
            const auto to_y = [&](float offset) { return square.y + (a.y + offset / side) * square.height; };
            Detection d;
            d.score = score;
            const float w = v[2] / side * square.width, h = v[3] / side * square.height;
            d.box = {to_x(v[0]) - w / 2, to_y(v[1]) - h / 2, w, h};
            for (int k = 0; k < 6; ++k) d.landmarks.push_back({to_x(v[4 + 2 * k]), to_y(v[5 + 2 * k])});
            if (w > 0 && h > 0) candidates.push_back(std::move(d));
        }
    }

    std::vector<Rect> boxes;
    std::vector<float> scores;
    for (const auto& c : candidates) boxes.push_back(c.box), scores.push_back(c.score);
    std::vector<Detection> faces;
    for (const auto i : non_max_suppression(boxes, scores, options.max_overlap, options.max_faces))
        faces.push_back(std::move(candidates[i]));
    return faces;
}

}  // namespace emo::vision
