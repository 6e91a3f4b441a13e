// The video reader: libavformat demuxes, libavcodec decodes (send packet / receive frame), libswscale converts only
// the frames that the sampling rate keeps.
#include "io/video.hpp"

#include "io/ffmpeg_handles.hpp"

#include <emo/emo.hpp>

extern "C" {
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>

namespace emo::io {

namespace {

using namespace ffmpeg;

// Decoder errors in a row after which a file counts as undecodable rather than damaged here and there.
constexpr std::size_t max_consecutive_errors = 100;

// Frame times are doubles computed from integer timestamps; this keeps a frame stamped exactly k / fps (say 0.5 s as
// 5120 / 10240) from missing its sample through rounding.
constexpr double time_tolerance = 1e-6;

// FFmpeg logs to stderr from a process-wide setting, at INFO by default, and even its ERROR level reports damage
// packet by packet: a 300-packet stream of garbage printed over 300 lines in our tests, a damaged MP4 two lines per
// damaged frame. Every failure that matters reaches the reader as a return code and becomes an emo::Error or a count
// in warnings(), so the reader lowers the level to FATAL (what precedes an abort), once, and only when the application
// has left FFmpeg's default alone: a program that chose its own level (to see the details) keeps it.
void quiet_ffmpeg_log() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (av_log_get_level() == AV_LOG_INFO) av_log_set_level(AV_LOG_FATAL);
    });
}

std::string seconds_text(double t) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.3f s", t);
    return buffer;
}

// A negative or non-finite rate has no meaning; say so at open rather than sample strangely.
void check_options(const std::string& path, const VideoReadOptions& options) {
    if (!(options.fps >= 0) || !std::isfinite(options.fps))
        throw Error(path + ": the sampling rate must be a finite number of frames per second >= 0, not " +
                    std::to_string(options.fps));
}

}  // namespace

struct VideoReader::Impl {
    std::string path;
    VideoReadOptions options;
    InputPtr input;
    CodecContextPtr decoder;
    PacketPtr packet;
    FramePtr frame;
    ScalerPtr scaler;
    int stream_index = -1;
    double time_base = 0;     // seconds per timestamp unit of the stream
    std::int64_t origin = 0;  // timestamp of time 0: the stream's start_time, else the first frame's
    bool origin_known = false;
    double frame_period = 0;  // for frames without a timestamp: the guessed rate's period
    int width = 0;
    int height = 0;
    double duration = 0;
    std::size_t warnings = 0;
    std::size_t consecutive_errors = 0;
    double time_reached = 0;      // time of the last decoded frame, for messages
    bool any_frame = false;       // a usable frame was decoded
    double next_sample = 0;       // index k of the next sample (kept as a double: k / fps never overflows)
    bool packet_pending = false;  // a packet the decoder refused with EAGAIN, to send again
    bool draining = false;        // the demuxer is at its end and the decoder has had its flush packet
    bool finished = false;
    // What the scaler was made for: a change of size, pixel format or colour description makes another.
    int scaler_width = 0, scaler_height = 0, scaler_format = -1, scaler_space = -1, scaler_range = -1;

    Impl(const std::string& p, const VideoReadOptions& o) : path(p), options(o) {}

    [[noreturn]] void fail(const std::string& what) const { throw Error(path + ": " + what); }
    [[noreturn]] void fail_at(const std::string& what, int code) const {
        fail(what + " at " + seconds_text(time_reached) + ": " + error_text(code));
    }

    void open();
    void open_decoder(AVStream& stream, const AVCodec& codec);
    std::string size_problem(int w, int h) const;
    bool receive(VideoFrame& out);
    void feed();
    double frame_time(const AVFrame& f);
    bool sampled(double t);
    void convert(const AVFrame& f, VideoFrame& out, double t);
};

void VideoReader::Impl::open() {
    check_options(path, options);
    quiet_ffmpeg_log();

    // Only local files: the "file:" prefix keeps a name with a colon from being read as a protocol ("http:",
    // "concat:"), and the whitelist keeps a playlist inside the file from reaching for other protocols.
    AVDictionary* open_options = nullptr;
    av_dict_set(&open_options, "protocol_whitelist", "file", 0);
    AVFormatContext* raw = nullptr;
    const int opened = avformat_open_input(&raw, ("file:" + path).c_str(), nullptr, &open_options);
    av_dict_free(&open_options);
    if (opened < 0) fail("not a video file or unreadable: " + error_text(opened));
    input.reset(raw);

    if (const int r = avformat_find_stream_info(input.get(), nullptr); r < 0)
        fail("not a video file or unreadable: " + error_text(r));

    const AVCodec* codec = nullptr;
    const int best = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (best == AVERROR_STREAM_NOT_FOUND) fail("no video stream");
    if (best == AVERROR_DECODER_NOT_FOUND) {
        // av_find_best_stream does not say which stream lacked a decoder: name the first video stream's codec.
        for (unsigned i = 0; i < input->nb_streams; ++i)
            if (input->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO)
                fail(std::string("no decoder for the video codec '") +
                     avcodec_get_name(input->streams[i]->codecpar->codec_id) + "'");
    }
    if (best < 0 || !codec) fail("no usable video stream: " + error_text(best));
    AVStream& stream = *input->streams[best];
    // A cover picture in an audio file is a "video" stream of one still image: not a video.
    if (stream.disposition & AV_DISPOSITION_ATTACHED_PIC) fail("no video stream (only an attached picture)");
    stream_index = best;

    // The demuxer can then skip the packets of the other streams instead of handing them to us.
    for (unsigned i = 0; i < input->nb_streams; ++i)
        if (static_cast<int>(i) != stream_index) input->streams[i]->discard = AVDISCARD_ALL;

    if (stream.time_base.num <= 0 || stream.time_base.den <= 0) fail("the video stream has no time base");
    time_base = av_q2d(stream.time_base);
    if (stream.start_time != AV_NOPTS_VALUE) {
        origin = stream.start_time;
        origin_known = true;
    }
    const AVRational rate = av_guess_frame_rate(input.get(), &stream, nullptr);
    frame_period = rate.num > 0 && rate.den > 0 ? 1.0 / av_q2d(rate) : 1.0 / 25;

    width = stream.codecpar->width;
    height = stream.codecpar->height;
    if (const std::string problem = size_problem(width, height); !problem.empty()) fail(problem);

    if (input->duration != AV_NOPTS_VALUE && input->duration > 0)
        duration = static_cast<double>(input->duration) / AV_TIME_BASE;
    else if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0)
        duration = static_cast<double>(stream.duration) * time_base;

    open_decoder(stream, *codec);
    packet.reset(av_packet_alloc());
    frame.reset(av_frame_alloc());
    if (!packet || !frame) fail("out of memory");
}

void VideoReader::Impl::open_decoder(AVStream& stream, const AVCodec& codec) {
    decoder.reset(avcodec_alloc_context3(&codec));
    if (!decoder) fail("out of memory");
    if (const int r = avcodec_parameters_to_context(decoder.get(), stream.codecpar); r < 0)
        fail(std::string("cannot set up the ") + codec.name + " decoder: " + error_text(r));
    decoder->pkt_timebase = stream.time_base;
    // One thread: callers decode several videos at once or spread the faces of a frame over the thread pool, so
    // FFmpeg's own threads would only compete with them; and frame threading holds a frame per thread in flight,
    // which is memory and latency this reader promises not to use.
    decoder->thread_count = 1;
    // The decoder refuses far larger frames itself, before allocating them (a size that changes mid-stream is
    // otherwise only seen after decoding). Its count includes padding and scratch buffers (a 64x48 MPEG-4 stream
    // asks for 192x280), hence the margin; the exact limit is checked on every frame in convert().
    const std::uint64_t decoder_limit = options.max_pixels + options.max_pixels / 2 + (std::uint64_t{1} << 20);
    decoder->max_pixels = static_cast<std::int64_t>(
        std::min<std::uint64_t>(decoder_limit, static_cast<std::uint64_t>(std::numeric_limits<int>::max())));
    if (const int r = avcodec_open2(decoder.get(), &codec, nullptr); r < 0)
        fail(std::string("cannot open the ") + codec.name + " decoder: " + error_text(r));
}

// Why frames of this size are refused, or "" when they are not.
std::string VideoReader::Impl::size_problem(int w, int h) const {
    if (w <= 0 || h <= 0)
        return "the video stream has no frame size (" + std::to_string(w) + "x" + std::to_string(h) + ")";
    const auto pixels = static_cast<std::uint64_t>(w) * static_cast<std::uint64_t>(h);
    if (pixels > options.max_pixels)
        return std::to_string(w) + "x" + std::to_string(h) + " frames exceed the limit of " +
               std::to_string(options.max_pixels) + " pixels";
    return "";
}

double VideoReader::Impl::frame_time(const AVFrame& f) {
    const std::int64_t ts = f.best_effort_timestamp;
    if (ts == AV_NOPTS_VALUE) return any_frame ? time_reached + frame_period : 0;
    if (!origin_known) {
        origin = ts;
        origin_known = true;
    }
    // In doubles: a damaged file's timestamps can be anything, and their difference must not overflow.
    return (static_cast<double>(ts) - static_cast<double>(origin)) * time_base;
}

bool VideoReader::Impl::sampled(double t) {
    if (options.fps == 0) return true;
    if (t < next_sample / options.fps - time_tolerance) return false;
    // A frame is returned once: when frames are sparser than the sampling rate, the sample times it covers are
    // skipped rather than answered with copies of it.
    next_sample = std::floor(t * options.fps + time_tolerance) + 1;
    return true;
}

void VideoReader::Impl::convert(const AVFrame& f, VideoFrame& out, double t) {
    if (const std::string problem = size_problem(f.width, f.height); !problem.empty())
        fail(problem + " (at " + seconds_text(t) + ")");
    const int space = f.colorspace;
    const int range = f.color_range == AVCOL_RANGE_JPEG ? 1 : 0;
    if (!scaler || f.width != scaler_width || f.height != scaler_height || f.format != scaler_format ||
        space != scaler_space || range != scaler_range) {
        // Same size out as in: only the pixel format changes. Bilinear is the filter for chroma upsampling.
        scaler.reset(sws_getContext(f.width, f.height, static_cast<AVPixelFormat>(f.format), f.width, f.height,
                                    AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, nullptr));
        if (!scaler) {
            const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(f.format));
            fail(std::string("cannot convert frames of pixel format ") + (name ? name : "unknown") + " to RGB");
        }
        // The frame says which YUV matrix (BT.601, BT.709, ...) and range it uses; libswscale assumes BT.601 and
        // limited range unless told. Unknown spaces fall back to BT.601 inside sws_getCoefficients. For sources that
        // are not YUV the call has nothing to change and its result does not matter.
        sws_setColorspaceDetails(scaler.get(), sws_getCoefficients(space), range, sws_getCoefficients(SWS_CS_DEFAULT),
                                 1, 0, 1 << 16, 1 << 16);
        scaler_width = f.width;
        scaler_height = f.height;
        scaler_format = f.format;
        scaler_space = space;
        scaler_range = range;
    }
    out.time = t;
    out.image.width = f.width;
    out.image.height = f.height;
    // resize keeps the caller's buffer when the size is unchanged: no allocation per frame.
    out.image.rgb.resize(static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height) * 3);
    std::uint8_t* planes[4] = {out.image.rgb.data(), nullptr, nullptr, nullptr};
    const int strides[4] = {f.width * 3, 0, 0, 0};
    const int rows = sws_scale(scaler.get(), f.data, f.linesize, 0, f.height, planes, strides);
    if (rows != f.height) fail_at("cannot convert a frame to RGB", rows < 0 ? rows : AVERROR_BUG);
}

// Takes the decoder's next frame if it has one. True when it was a sampled frame, now in `out`.
bool VideoReader::Impl::receive(VideoFrame& out) {
    while (true) {
        const int r = avcodec_receive_frame(decoder.get(), frame.get());
        if (r == AVERROR(EAGAIN)) return false;
        if (r == AVERROR_EOF) {
            finished = true;
            return false;
        }
        if (r < 0) {
            // Decoders that report damage on output rather than on input (frame-threaded ones do).
            if (r != AVERROR_INVALIDDATA) fail_at("cannot decode", r);
            ++warnings;
            if (++consecutive_errors >= max_consecutive_errors) fail_at("too many undecodable packets in a row", r);
            continue;
        }
        consecutive_errors = 0;
        const double t = frame_time(*frame);
        time_reached = t;
        // A frame decoded from a packet that the demuxer found cut short, or patched over by error concealment, is
        // partly made up: skipped and counted, like a rejected packet, rather than shown to a face model.
        if ((frame->flags & AV_FRAME_FLAG_CORRUPT) || frame->decode_error_flags) {
            ++warnings;
            av_frame_unref(frame.get());
            continue;
        }
        any_frame = true;
        const bool keep = sampled(t);
        if (keep) convert(*frame, out, t);
        av_frame_unref(frame.get());
        if (keep) return true;
    }
}

// Gives the decoder one more packet of the video stream, or its flush packet at the end of the file.
void VideoReader::Impl::feed() {
    if (!packet_pending) {
        while (true) {
            const int r = av_read_frame(input.get(), packet.get());
            if (r == AVERROR_EOF) {
                // A read error below the demuxer can look like the end of the file; the I/O context remembers it.
                if (input->pb && input->pb->error < 0 && input->pb->error != AVERROR_EOF)
                    fail_at("read error", input->pb->error);
                // The null packet makes the decoder give up the frames it still holds (reordering delay).
                if (const int s = avcodec_send_packet(decoder.get(), nullptr); s < 0 && s != AVERROR_EOF)
                    fail_at("cannot flush the decoder", s);
                draining = true;
                return;
            }
            if (r < 0) fail_at("cannot read the file", r);
            if (packet->stream_index == stream_index) break;
            av_packet_unref(packet.get());
        }
    }
    const int s = avcodec_send_packet(decoder.get(), packet.get());
    packet_pending = s == AVERROR(EAGAIN);
    if (packet_pending) return;  // the decoder wants its frames taken first; the packet goes again after that
    av_packet_unref(packet.get());
    if (s == AVERROR_INVALIDDATA) {
        ++warnings;
        if (++consecutive_errors >= max_consecutive_errors) fail_at("too many undecodable packets in a row", s);
    } else if (s < 0) {
        fail_at("cannot decode", s);
    }
}

VideoReader::VideoReader(const std::string& path, const VideoReadOptions& options)
    : impl_(std::make_unique<Impl>(path, options)) {
    impl_->open();
}

VideoReader::~VideoReader() = default;
VideoReader::VideoReader(VideoReader&&) noexcept = default;
VideoReader& VideoReader::operator=(VideoReader&&) noexcept = default;

bool VideoReader::next(VideoFrame& frame) {
    Impl& d = *impl_;
    while (!d.finished) {
        if (d.receive(frame)) return true;
        if (d.finished) break;
        if (d.draining) {
            // After the flush packet the decoder answers frames or EOF; EAGAIN here would loop forever.
            d.finished = true;
            break;
        }
        d.feed();
    }
    // Otherwise a file whose every frame was lost would pass for an empty video.
    if (!d.any_frame) d.fail("no frame of the video stream could be decoded");
    return false;
}

int VideoReader::width() const { return impl_->width; }
int VideoReader::height() const { return impl_->height; }
double VideoReader::duration() const { return impl_->duration; }
std::size_t VideoReader::warnings() const { return impl_->warnings; }

}  // namespace emo::io
