// FaceModel::analyze_video: the sampled frames of a video, one result each, streamed to the caller, and with
// FaceOptions::tracks the faces followed from frame to frame (vision/face_tracks).
#include "io/video.hpp"
#include "nn/dense_layer.hpp"
#include "vision/face_analysis.hpp"
#include "vision/face_tracks.hpp"

#include <algorithm>
#include <optional>

namespace emo {

void FaceModel::analyze_video(const std::string& path, const FaceOptions& options,
                              const std::function<void(const FaceResult&)>& sink,
                              const std::function<void(const FaceTrack&)>& track_sink) const {
    io::VideoReadOptions read;
    read.fps = options.fps;
    read.max_pixels = options.max_pixels;
    io::VideoReader video(path, read);
    // Frames come one at a time, so each frame's convolutions get every thread.
    nn::set_threads(face_threads(options.threads));
    nn::TfjsRunContext context;
    // A track survives one missed sample whatever the rate (a little over two frame intervals).
    std::optional<vision::FaceTracker> tracker;
    if (options.tracks) tracker.emplace(path, std::max(options.track_gap, options.fps > 0 ? 2.01 / options.fps : 0.0));
    const auto give = [&](const std::vector<FaceTrack>& tracks) {
        if (track_sink)
            for (const auto& t : tracks) track_sink(t);
    };
    io::VideoFrame frame;
    for (;;) {
        FaceResult r;
        r.file = path;
        try {
            if (!video.next(frame)) break;
            r.time = frame.time;
            r.width = frame.image.width, r.height = frame.image.height;
            r.faces = impl_->faces(frame.image, options, context);
        } catch (const std::exception& e) {
            // The video broke midway: a last result says where, and the frames (and tracks) before it stand.
            r.faces.clear();
            r.error = e.what();
            if (tracker) give(tracker->finish());
            sink(r);
            return;
        }
        if (tracker) give(tracker->add(r));
        sink(r);
    }
    if (tracker) give(tracker->finish());
}

}  // namespace emo
