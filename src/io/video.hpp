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
    double time = 0;  // seconds from the start of the stream (its start_time, else its first frame)
    Image image;
};

struct VideoReadOptions {
    // Frames per second to sample: frame k is the first decoded frame at or after k / fps seconds. 0: every frame.
    // A frame is returned at most once: where frames are sparser than the rate, it stands for every sample time it
    // covers. Frames between samples are decoded (later frames need them) but not converted to RGB.
    double fps = 2;
    // Frames with more pixels than this are refused (emo::Error): when the stream is opened, and where the size
    // changes mid-stream.
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

    // The next sampled frame; false at the end of the stream. Corrupt data that the decoder cannot get past (100
    // rejected packets in a row, a read error, a stream without one decodable frame, a frame over the pixel limit)
    // is an emo::Error naming the path and the time reached; packets it merely rejects, and frames it flags as
    // corrupt, are skipped (counted in warnings()). `frame.image`'s buffer is reused from call to call.
    bool next(VideoFrame& frame);

    int width() const;  // the size the stream declares; each frame carries its own, which may change mid-stream
    int height() const;
    double duration() const;       // seconds, 0 where the container does not say
    std::size_t warnings() const;  // packets the decoder rejected, frames it flagged corrupt: all skipped

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace emo::io
