// Video frames for the face capability (issue 15): MP4, WebM, MKV (anything Debian's FFmpeg libraries open) decoded
// one frame at a time through libavformat / libavcodec and converted to 8-bit RGB with libswscale, sampled at a
// chosen rate. Memory stays bounded on videos of any length: one decoded frame at a time.
#pragma once

#include "io/image.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace emo::io {

struct VideoFrame {
    double time = 0;  // seconds from the start of the stream
    Image image;
};

struct VideoReadOptions {
    // Frames per second to sample: frame k is the first decoded frame at or after k / fps seconds. 0: every frame.
    double fps = 2;
    // Frames with more pixels than this are refused (emo::Error) when the stream is opened.
    std::uint64_t max_pixels = 100'000'000;
};

class VideoReader {
public:
    // Opens the best video stream of `path`. A file that cannot be opened, has no video stream, or whose codec is
    // missing is an emo::Error whose message starts with the path.
    explicit VideoReader(const std::string& path, const VideoReadOptions& options = {});
    ~VideoReader();
    VideoReader(VideoReader&&) noexcept;
    VideoReader& operator=(VideoReader&&) noexcept;

    // The next sampled frame; false at the end of the stream. Corrupt data that the decoder cannot get past is an
    // emo::Error naming the path and the time reached; packets it merely rejects are skipped (counted in warnings()).
    bool next(VideoFrame& frame);

    int width() const;
    int height() const;
    double duration() const;       // seconds, 0 where the container does not say
    std::size_t warnings() const;  // packets or frames the decoder rejected and that were skipped

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace emo::io
