// Test videos made in the test with libavcodec's own encoders (no ffmpeg binary needed): each frame's top half is a
// colour that identifies the frame, its bottom half the inverse colour, so a decoded frame says which frame it was,
// that rows run top to bottom and that R, G and B are in their places.
#pragma once

#include "io/ffmpeg_handles.hpp"
#include "io/image.hpp"

extern "C" {
#include <libavutil/opt.h>
}

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace emo_test {

struct Rgb {
    int r = 0, g = 0, b = 0;
};

// 64 colours 60 apart in each channel: far enough apart that lossy codecs cannot turn one into another.
inline Rgb frame_colour(int i) { return {(i % 4) * 60 + 30, (i / 4 % 4) * 60 + 30, (i / 16 % 4) * 60 + 30}; }
inline Rgb inverse(Rgb c) { return {255 - c.r, 255 - c.g, 255 - c.b}; }

struct VideoSpec {
    std::string encoder = "mpeg4";  // a libavcodec encoder name
    std::string container;          // libavformat muxer name ("mp4", "webm", "matroska"); empty: from the file name
    int width = 64;
    int height = 48;
    int fps = 10;
    int frames = 30;
    int b_frames = 0;        // reordered frames (mpeg4, libx264): decoding then has a delay that the flush releases
    bool faststart = false;  // MP4: the index (moov) before the data, so a file cut short still has it
    // Replaces an encoded packet's bytes before it is written (the packet's index, its data, its size).
    std::function<void(int, std::uint8_t*, int)> damage;
    // Frame i's picture (width x height RGB) instead of the identifying colours.
    std::function<emo::io::Image(int)> picture;
};

inline bool has_encoder(const std::string& name) { return avcodec_find_encoder_by_name(name.c_str()) != nullptr; }

namespace detail {

inline void check(int code, const std::string& what) {
    if (code < 0) throw std::runtime_error("video fixture: " + what + ": " + emo::io::ffmpeg::error_text(code));
}

struct OutputFree {
    void operator()(AVFormatContext* p) const {
        if (!(p->oformat->flags & AVFMT_NOFILE)) avio_closep(&p->pb);
        avformat_free_context(p);
    }
};
using OutputPtr = std::unique_ptr<AVFormatContext, OutputFree>;

inline std::uint8_t clamp_byte(double v) { return static_cast<std::uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v + 0.5); }

// BT.601 (the matrix the streams declare), limited range for yuv420p, full range for the JPEG variant.
inline void to_yuv(Rgb c, bool full, std::uint8_t& y, std::uint8_t& u, std::uint8_t& v) {
    const double luma = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
    const double cb = (c.b - luma) / 1.772, cr = (c.r - luma) / 1.402;
    if (full) {
        y = clamp_byte(luma), u = clamp_byte(128 + cb), v = clamp_byte(128 + cr);
    } else {
        y = clamp_byte(16 + luma * 219 / 255), u = clamp_byte(128 + cb * 224 / 255),
        v = clamp_byte(128 + cr * 224 / 255);
    }
}

inline void fill(AVFrame& f, int index, bool full) {
    const Rgb top = frame_colour(index), bottom = inverse(top);
    std::uint8_t yuv[2][3];
    to_yuv(top, full, yuv[0][0], yuv[0][1], yuv[0][2]);
    to_yuv(bottom, full, yuv[1][0], yuv[1][1], yuv[1][2]);
    for (int row = 0; row < f.height; ++row)
        for (int x = 0; x < f.width; ++x) f.data[0][row * f.linesize[0] + x] = yuv[row >= f.height / 2][0];
    for (int plane = 1; plane <= 2; ++plane)
        for (int row = 0; row < f.height / 2; ++row)
            for (int x = 0; x < f.width / 2; ++x)
                f.data[plane][row * f.linesize[plane] + x] = yuv[row >= f.height / 4][plane];
}

// An RGB picture into a yuv420p frame: each pixel's luma, and the chroma of each 2x2 block's mean colour.
inline void fill_picture(AVFrame& f, const emo::io::Image& picture, bool full) {
    const auto at = [&](int x, int y, int c) {
        return static_cast<int>(picture.rgb[(static_cast<std::size_t>(y) * picture.width + x) * 3 + c]);
    };
    for (int y = 0; y < f.height; ++y)
        for (int x = 0; x < f.width; ++x) {
            std::uint8_t yy, u, v;
            to_yuv({at(x, y, 0), at(x, y, 1), at(x, y, 2)}, full, yy, u, v);
            f.data[0][y * f.linesize[0] + x] = yy;
        }
    for (int y = 0; y < f.height / 2; ++y)
        for (int x = 0; x < f.width / 2; ++x) {
            Rgb mean;
            for (int c = 0; c < 3; ++c) {
                const int sum = at(2 * x, 2 * y, c) + at(2 * x + 1, 2 * y, c) + at(2 * x, 2 * y + 1, c) +
                                at(2 * x + 1, 2 * y + 1, c);
                (c == 0 ? mean.r : c == 1 ? mean.g : mean.b) = (sum + 2) / 4;
            }
            std::uint8_t yy, u, v;
            to_yuv(mean, full, yy, u, v);
            f.data[1][y * f.linesize[1] + x] = u;
            f.data[2][y * f.linesize[2] + x] = v;
        }
}

}  // namespace detail

// Writes `spec.frames` frames, frame i at i / fps seconds. Throws std::runtime_error when FFmpeg refuses.
inline void write_video(const std::string& path, const VideoSpec& spec) {
    using namespace emo::io::ffmpeg;
    using detail::check;
    AVFormatContext* raw = nullptr;
    check(avformat_alloc_output_context2(&raw, nullptr, spec.container.empty() ? nullptr : spec.container.c_str(),
                                         path.c_str()),
          "no muxer for " + path);
    detail::OutputPtr output(raw);

    const AVCodec* codec = avcodec_find_encoder_by_name(spec.encoder.c_str());
    if (!codec) throw std::runtime_error("video fixture: no encoder " + spec.encoder);
    CodecContextPtr encoder(avcodec_alloc_context3(codec));
    const bool full_range = spec.encoder == "mjpeg";
    encoder->width = spec.width;
    encoder->height = spec.height;
    encoder->time_base = {1, spec.fps};
    encoder->framerate = {spec.fps, 1};
    encoder->pix_fmt = full_range ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
    encoder->colorspace = AVCOL_SPC_SMPTE170M;
    encoder->color_range = full_range ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    encoder->gop_size = 12;
    encoder->max_b_frames = spec.b_frames;
    encoder->thread_count = 1;
    if (spec.encoder == "mpeg4" || spec.encoder == "mjpeg") {
        encoder->flags |= AV_CODEC_FLAG_QSCALE;  // fixed quality: solid colours come back within a few levels
        encoder->global_quality = FF_QP2LAMBDA * 3;
    }
    if (spec.encoder == "libx264") av_opt_set(encoder->priv_data, "preset", "ultrafast", 0);
    if (spec.encoder == "libvpx") av_opt_set(encoder->priv_data, "deadline", "realtime", 0);
    if (output->oformat->flags & AVFMT_GLOBALHEADER) encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    check(avcodec_open2(encoder.get(), codec, nullptr), "cannot open encoder " + spec.encoder);

    AVStream* stream = avformat_new_stream(output.get(), nullptr);
    check(avcodec_parameters_from_context(stream->codecpar, encoder.get()), "codec parameters");
    stream->time_base = encoder->time_base;
    check(avio_open(&output->pb, path.c_str(), AVIO_FLAG_WRITE), "cannot write " + path);
    AVDictionary* options = nullptr;
    if (spec.faststart) av_dict_set(&options, "movflags", "+faststart", 0);
    const int header = avformat_write_header(output.get(), &options);
    av_dict_free(&options);
    check(header, "header");

    PacketPtr packet(av_packet_alloc());
    int packets = 0;
    const auto drain = [&] {
        while (true) {
            const int r = avcodec_receive_packet(encoder.get(), packet.get());
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
            check(r, "encode");
            if (spec.damage) {
                check(av_packet_make_writable(packet.get()), "packet");
                spec.damage(packets, packet->data, packet->size);
            }
            ++packets;
            if (packet->duration == 0) packet->duration = 1;  // else MP4 gives the last frame no time and drops it
            av_packet_rescale_ts(packet.get(), encoder->time_base, stream->time_base);
            packet->stream_index = stream->index;
            check(av_interleaved_write_frame(output.get(), packet.get()), "write");
        }
    };
    FramePtr frame(av_frame_alloc());
    frame->format = encoder->pix_fmt;
    frame->width = spec.width;
    frame->height = spec.height;
    check(av_frame_get_buffer(frame.get(), 0), "frame");
    for (int i = 0; i < spec.frames; ++i) {
        check(av_frame_make_writable(frame.get()), "frame");  // the encoder may still hold the previous one
        if (spec.picture)
            detail::fill_picture(*frame, spec.picture(i), full_range);
        else
            detail::fill(*frame, i, full_range);
        frame->pts = i;
        check(avcodec_send_frame(encoder.get(), frame.get()), "encode");
        drain();
    }
    check(avcodec_send_frame(encoder.get(), nullptr), "flush");
    drain();
    check(av_write_trailer(output.get()), "trailer");
}

// A Matroska file whose one video stream (of codec `id`, declared 64x48) holds `packets` packets of `size`
// pseudo-random bytes: nothing in it decodes.
inline void write_garbage_video(const std::string& path, AVCodecID id, int packets, int size = 200) {
    using namespace emo::io::ffmpeg;
    using detail::check;
    AVFormatContext* raw = nullptr;
    check(avformat_alloc_output_context2(&raw, nullptr, "matroska", path.c_str()), "no muxer");
    detail::OutputPtr output(raw);
    AVStream* stream = avformat_new_stream(output.get(), nullptr);
    stream->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
    stream->codecpar->codec_id = id;
    stream->codecpar->width = 64;
    stream->codecpar->height = 48;
    stream->time_base = {1, 10};
    check(avio_open(&output->pb, path.c_str(), AVIO_FLAG_WRITE), "cannot write " + path);
    check(avformat_write_header(output.get(), nullptr), "header");
    PacketPtr packet(av_packet_alloc());
    std::uint32_t state = 12345;
    for (int i = 0; i < packets; ++i) {
        check(av_new_packet(packet.get(), size), "packet");
        for (int k = 0; k < size; ++k) {
            state = state * 1103515245u + 12345u;
            packet->data[k] = static_cast<std::uint8_t>(state >> 24);
        }
        packet->pts = packet->dts = i;
        packet->duration = 1;
        packet->flags = i == 0 ? AV_PKT_FLAG_KEY : 0;
        packet->stream_index = stream->index;
        av_packet_rescale_ts(packet.get(), {1, 10}, stream->time_base);
        check(av_interleaved_write_frame(output.get(), packet.get()), "write");
    }
    check(av_write_trailer(output.get()), "trailer");
}

}  // namespace emo_test
