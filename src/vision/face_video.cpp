// FaceModel::analyze_video: the sampled frames of a video, one result each, streamed to the caller.
#include "io/video.hpp"
#include "nn/dense_layer.hpp"
#include "vision/face_analysis.hpp"

namespace emo {

void FaceModel::analyze_video(const std::string& path, const FaceOptions& options,
                              const std::function<void(const FaceResult&)>& sink) const {
    io::VideoReadOptions read;
    read.fps = options.fps;
    read.max_pixels = options.max_pixels;
    io::VideoReader video(path, read);
    // Frames come one at a time, so each frame's convolutions get every thread.
    nn::set_threads(face_threads(options.threads));
    nn::TfjsRunContext context;
    io::VideoFrame frame;
    for (;;) {
        FaceResult r;
        r.file = path;
        try {
            if (!video.next(frame)) return;
            r.time = frame.time;
            r.width = frame.image.width, r.height = frame.image.height;
            r.faces = impl_->faces(frame.image, options, context);
        } catch (const std::exception& e) {
            // The video broke midway: a last result says where, and the frames before it stand.
            r.faces.clear();
            r.error = e.what();
            sink(r);
            return;
        }
        sink(r);
    }
}

}  // namespace emo
