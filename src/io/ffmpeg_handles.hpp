// Owning handles for FFmpeg's C objects, so that every exit path (exceptions included) frees them, and FFmpeg's error
// codes as text. Shared by the video reader and the tests' video writer.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

namespace emo::io::ffmpeg {

// FFmpeg's free functions take a pointer to the pointer (and null it); these adapt them to unique_ptr's deleter.
struct InputCloser {
    void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
};
struct CodecContextFree {
    void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
};
struct PacketFree {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameFree {
    void operator()(AVFrame* p) const { av_frame_free(&p); }
};
struct ScalerFree {
    void operator()(SwsContext* p) const { sws_freeContext(p); }
};

using InputPtr = std::unique_ptr<AVFormatContext, InputCloser>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextFree>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;
using FramePtr = std::unique_ptr<AVFrame, FrameFree>;
using ScalerPtr = std::unique_ptr<SwsContext, ScalerFree>;

// av_err2str is a macro built on a C99 compound literal, which C++ does not have.
inline std::string error_text(int code) {
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    if (av_strerror(code, buffer, sizeof buffer) < 0) return "error " + std::to_string(code);
    return buffer;
}

}  // namespace emo::io::ffmpeg
