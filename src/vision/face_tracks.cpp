#include "vision/face_tracks.hpp"

#include "vision/face_detector.hpp"

#include <algorithm>
#include <tuple>

namespace emo::vision {

namespace {

constexpr float min_overlap = 0.3f;

Rect rect_of(const FaceBox& b) {
    return {static_cast<float>(b.x), static_cast<float>(b.y), static_cast<float>(b.width),
            static_cast<float>(b.height)};
}

}  // namespace

FaceTracker::FaceTracker(std::string file, double gap) : file_(std::move(file)), gap_(gap) {}

std::vector<FaceTrack> FaceTracker::add(FaceResult& frame) {
    const double now = frame.time.value_or(0.0);
    std::vector<FaceTrack> ended;
    // Tracks unseen for longer than the gap end before this frame is linked.
    for (auto it = open_.begin(); it != open_.end();) {
        if (now - it->summary.end > gap_) {
            ended.push_back(summarise(std::move(*it)));
            it = open_.erase(it);
        } else {
            ++it;
        }
    }
    // Every (overlap, face, track) pair over the threshold, best first; each face and each track taken once.
    std::vector<std::tuple<float, std::size_t, std::size_t>> pairs;
    for (std::size_t f = 0; f < frame.faces.size(); ++f)
        for (std::size_t t = 0; t < open_.size(); ++t) {
            const float overlap = iou(rect_of(frame.faces[f].box), rect_of(open_[t].summary.box));
            if (overlap >= min_overlap) pairs.emplace_back(overlap, f, t);
        }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::vector<std::size_t> track_of(frame.faces.size(), none);
    std::vector<bool> track_taken(open_.size(), false);
    for (const auto& [overlap, f, t] : pairs) {
        if (track_of[f] != none || track_taken[t]) continue;
        track_of[f] = t;
        track_taken[t] = true;
    }
    for (std::size_t f = 0; f < frame.faces.size(); ++f) {
        if (track_of[f] == none) {  // a face that overlaps no open track starts one
            track_of[f] = open_.size();
            Open& fresh = open_.emplace_back();
            fresh.summary.file = file_;
            fresh.summary.track = next_id_++;
            fresh.summary.start = now;
        }
        Face& face = frame.faces[f];
        Open& o = open_[track_of[f]];
        face.track = o.summary.track;
        o.summary.end = now;
        o.summary.box = face.box;
        ++o.summary.frames;
        o.score_sum += face.score;
        for (const auto& [label, p] : face.scores) o.score_sums[label] += p;
        if (!face.emotion.empty()) ++o.summary.frame_emotions[face.emotion];
    }
    return ended;
}

std::vector<FaceTrack> FaceTracker::finish() {
    std::vector<FaceTrack> ended;
    for (auto& o : open_) ended.push_back(summarise(std::move(o)));
    open_.clear();
    return ended;
}

FaceTrack FaceTracker::summarise(Open&& open) {
    FaceTrack t = std::move(open.summary);
    const double n = static_cast<double>(std::max<std::size_t>(t.frames, 1));
    t.score = open.score_sum / n;
    double best = -1;
    for (const auto& [label, sum] : open.score_sums) {
        t.scores[label] = sum / n;
        if (sum / n > best) best = sum / n, t.emotion = label;
    }
    return t;
}

}  // namespace emo::vision
