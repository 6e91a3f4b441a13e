// The video reader on videos encoded in the test (MP4, WebM, MKV): every frame or a sampled rate, colours, sizes and
// durations; and damaged, truncated or wrong inputs, which end in frames read so far or an emo::Error naming the file.
#include "io/video.hpp"

#include "scratch_dir.hpp"
#include "video_fixture.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using emo::io::VideoFrame;
using emo::io::VideoReader;
using emo::io::VideoReadOptions;
using emo_test::Rgb;

struct Codec {
    std::string name;  // the test's name for it
    std::string file;  // file name (its extension chooses the container)
    std::string encoder;
    int b_frames = 0;
    int tolerance = 0;  // largest difference of a decoded channel from the encoded colour
};

std::ostream& operator<<(std::ostream& os, const Codec& c) { return os << c.name; }

Rgb pixel(const emo::io::Image& image, int x, int y) {
    const auto* p = &image.rgb[(static_cast<std::size_t>(y) * image.width + x) * 3];
    return {p[0], p[1], p[2]};
}

int difference(Rgb a, Rgb b) { return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)}); }

// The frame index that the frame's time names, at the test videos' 10 frames per second.
int index_at(double time) { return static_cast<int>(std::lround(time * 10)); }

// The worst difference of the frame's two halves (away from the edge between them, where codecs blur) from the
// colours that frame `index` was encoded with.
int colour_error(const emo::io::Image& image, int index) {
    const Rgb top = emo_test::frame_colour(index), bottom = emo_test::inverse(top);
    int worst = 0;
    for (int y : {2, image.height / 4, image.height / 2 - 6})
        for (int x : {2, image.width / 2, image.width - 3})
            worst = std::max(worst, difference(pixel(image, x, y), top));
    for (int y : {image.height / 2 + 5, image.height * 3 / 4, image.height - 3})
        for (int x : {2, image.width / 2, image.width - 3})
            worst = std::max(worst, difference(pixel(image, x, y), bottom));
    return worst;
}

VideoReadOptions rate(double fps, std::uint64_t max_pixels = VideoReadOptions{}.max_pixels) {
    VideoReadOptions options;
    options.fps = fps;
    options.max_pixels = max_pixels;
    return options;
}

std::vector<VideoFrame> read_all(const std::string& path, double fps) {
    VideoReader reader(path, rate(fps));
    std::vector<VideoFrame> frames;
    for (VideoFrame f; reader.next(f);) frames.push_back(f);
    return frames;
}

// The message of the emo::Error that opening and reading all of `path` throws; "" when none is thrown.
std::string read_error(const std::string& path, const VideoReadOptions& options = {}) {
    try {
        VideoReader reader(path, options);
        for (VideoFrame f; reader.next(f);) {
        }
    } catch (const emo::Error& e) {
        return e.what();
    }
    return "";
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

class VideoReaderCodecs : public emo_test::ScratchDirTest, public ::testing::WithParamInterface<Codec> {
protected:
    VideoReaderCodecs() : ScratchDirTest("emo_video_reader_") {}

    // A 3-second, 10 fps, 64x48 video in the parameter's codec and container.
    std::string make_video() {
        const Codec& c = GetParam();
        if (!emo_test::has_encoder(c.encoder)) return "";
        const std::string path = (dir_ / c.file).string();
        emo_test::VideoSpec spec;
        spec.encoder = c.encoder;
        spec.b_frames = c.b_frames;
        emo_test::write_video(path, spec);
        return path;
    }
};

class VideoReaderInputs : public emo_test::ScratchDirTest {
protected:
    VideoReaderInputs() : ScratchDirTest("emo_video_inputs_") {}

    std::string make_video(const std::string& name, emo_test::VideoSpec spec = {}) {
        const std::string path = (dir_ / name).string();
        emo_test::write_video(path, spec);
        return path;
    }
};

}  // namespace

TEST_P(VideoReaderCodecs, ReadsEveryFrameWithItsTimeSizeAndColours) {
    const std::string path = make_video();
    if (path.empty()) GTEST_SKIP() << GetParam().encoder << " is not in this libavcodec";
    VideoReader reader(path, rate(0));
    EXPECT_EQ(reader.width(), 64);
    EXPECT_EQ(reader.height(), 48);
    EXPECT_NEAR(reader.duration(), 3.0, 0.15);
    std::vector<VideoFrame> frames;
    for (VideoFrame f; reader.next(f);) frames.push_back(f);
    EXPECT_FALSE(reader.next(frames.emplace_back()));  // the end stays the end
    frames.pop_back();
    ASSERT_EQ(frames.size(), 30u);
    for (int i = 0; i < 30; ++i) {
        const VideoFrame& f = frames[i];
        EXPECT_NEAR(f.time, i / 10.0, 1e-3) << "frame " << i;
        ASSERT_EQ(f.image.width, 64);
        ASSERT_EQ(f.image.height, 48);
        ASSERT_EQ(f.image.rgb.size(), 64u * 48 * 3);
        EXPECT_LE(colour_error(f.image, i), GetParam().tolerance) << "frame " << i;
    }
    EXPECT_EQ(reader.warnings(), 0u);
}

TEST_P(VideoReaderCodecs, SamplesTheFirstFrameAtOrAfterEachMultipleOfThePeriod) {
    const std::string path = make_video();
    if (path.empty()) GTEST_SKIP() << GetParam().encoder << " is not in this libavcodec";
    // 2 fps from 10 fps: frames 0, 5, 10, ... exactly at k / 2 seconds.
    const auto two = read_all(path, 2);
    ASSERT_EQ(two.size(), 6u);
    for (std::size_t k = 0; k < two.size(); ++k) {
        EXPECT_NEAR(two[k].time, k / 2.0, 1e-3);
        EXPECT_LE(colour_error(two[k].image, index_at(two[k].time)), GetParam().tolerance);
    }
    // 3 fps does not divide 10 fps: each sample is the first frame at or after k / 3 s, so within a frame after it.
    const auto three = read_all(path, 3);
    ASSERT_EQ(three.size(), 9u);
    for (std::size_t k = 0; k < three.size(); ++k) {
        EXPECT_GE(three[k].time, k / 3.0 - 1e-6);
        EXPECT_LT(three[k].time, k / 3.0 + 0.1);
        EXPECT_LE(colour_error(three[k].image, index_at(three[k].time)), GetParam().tolerance);
    }
    // Faster than the video: every frame once, never a frame twice.
    EXPECT_EQ(read_all(path, 25).size(), 30u);
}

INSTANTIATE_TEST_SUITE_P(Containers, VideoReaderCodecs,
                         ::testing::Values(Codec{"Mp4Mpeg4BFrames", "clip.mp4", "mpeg4", 2, 12},
                                           Codec{"WebmVp8", "clip.webm", "libvpx", 0, 12},
                                           Codec{"WebmVp9", "clip.webm", "libvpx-vp9", 0, 12},
                                           Codec{"MkvFfv1", "clip.mkv", "ffv1", 0, 3},
                                           Codec{"MkvMjpeg", "clip.mkv", "mjpeg", 0, 12},
                                           Codec{"MkvH264", "clip.mkv", "libx264", 2, 12}),
                         [](const auto& info) { return info.param.name; });

TEST_F(VideoReaderInputs, MissingEmptyRandomTextAndAudioFilesAreErrorsNamingThem) {
    const std::string missing = (dir_ / "missing.mp4").string();
    EXPECT_TRUE(starts_with(read_error(missing), missing + ": not a video file or unreadable: "))
        << read_error(missing);
    EXPECT_NE(read_error(missing).find("No such file"), std::string::npos);

    const std::string empty = write("empty.mp4", "");
    EXPECT_TRUE(starts_with(read_error(empty), empty + ": ")) << read_error(empty);

    std::string noise(4096, '\0');
    std::uint32_t state = 7;
    for (char& c : noise) c = static_cast<char>((state = state * 1103515245u + 12345u) >> 24);
    const std::string random = write("random.mkv", noise);
    EXPECT_TRUE(starts_with(read_error(random), random + ": ")) << read_error(random);

    const std::string text = write("notes.mp4", "Not a video at all.\nJust two lines of text.\n");
    EXPECT_TRUE(starts_with(read_error(text), text + ": ")) << read_error(text);

    // A 16-bit mono WAV of 0.1 s of silence, written by hand: a real media file, but sound only.
    std::string wav = "RIFF";
    const auto le32 = [&](std::uint32_t v) {
        for (int i = 0; i < 4; ++i) wav += static_cast<char>(v >> (8 * i) & 0xff);
    };
    const auto le16 = [&](std::uint16_t v) { wav += static_cast<char>(v & 0xff), wav += static_cast<char>(v >> 8); };
    const std::uint32_t samples = 1600;
    le32(36 + samples * 2);
    wav += "WAVEfmt ";
    le32(16), le16(1), le16(1), le32(16000), le32(32000), le16(2), le16(16);
    wav += "data";
    le32(samples * 2);
    wav += std::string(samples * 2, '\0');
    const std::string audio = write("speech.wav", wav);
    EXPECT_EQ(read_error(audio), audio + ": no video stream");
}

TEST_F(VideoReaderInputs, OptionsOutOfRangeAreRefusedAtOpen) {
    const std::string path = make_video("clip.mkv");
    const std::string too_big = read_error(path, rate(0, 1000));
    EXPECT_TRUE(starts_with(too_big, path + ": 64x48 frames exceed the limit of 1000 pixels")) << too_big;
    EXPECT_TRUE(starts_with(read_error(path, rate(-1)), path + ": the sampling rate"));
    EXPECT_TRUE(starts_with(read_error(path, rate(NAN)), path + ": the sampling rate"));
    EXPECT_EQ(read_error(path, rate(0, 64 * 48)), "");
}

TEST_F(VideoReaderInputs, TruncatedFilesGiveTheFramesBeforeTheCutOrAnErrorNamingThem) {
    for (const bool faststart : {true, false}) {
        emo_test::VideoSpec spec;
        spec.faststart = faststart;
        const std::string whole = make_video("whole.mp4", spec);
        const std::string bytes = file_bytes(whole);
        const std::string cut = write("cut.mp4", bytes.substr(0, bytes.size() / 2));
        std::size_t frames = 0, warnings = 0;
        std::string error;
        try {
            VideoReader reader(cut, rate(0));
            for (VideoFrame f; reader.next(f); ++frames)
                EXPECT_LE(colour_error(f.image, index_at(f.time)), 12) << "frame " << frames;
            warnings = reader.warnings();
        } catch (const emo::Error& e) {
            error = e.what();
        }
        std::printf("truncated MP4 (%s): %zu frames, %zu warnings, error '%s'\n",
                    faststart ? "index first" : "index last", frames, warnings, error.c_str());
        EXPECT_LT(frames, 30u);
        if (!error.empty()) {
            EXPECT_TRUE(starts_with(error, cut + ": ")) << error;
        }
        if (faststart) {
            EXPECT_GT(frames, 5u) << "the index survives the cut, so the frames before it decode";
            // The frame whose packet the cut splits decodes half made up; it is skipped, not returned (the colour
            // check above would catch it).
            EXPECT_GE(warnings, 1u);
        } else {
            EXPECT_FALSE(error.empty()) << "the index was in the part cut off";
        }
    }
    const std::string mkv = make_video("whole.mkv");
    const std::string bytes = file_bytes(mkv);
    const auto frames = read_all(write("cut.mkv", bytes.substr(0, bytes.size() / 2)), 0);
    EXPECT_GT(frames.size(), 5u);
    EXPECT_LT(frames.size(), 30u);
}

TEST_F(VideoReaderInputs, AFrameSizeThatChangesMidStreamGetsItsOwnConversionOrIsRefusedAboveTheLimit) {
    // Two raw MPEG-4 streams, 32x24 then 64x48, one after the other: the second's headers change the size.
    emo_test::VideoSpec small;
    small.width = 32;
    small.height = 24;
    small.frames = 10;
    small.container = "m4v";
    emo_test::VideoSpec large = small;
    large.width = 64;
    large.height = 48;
    const std::string joined =
        write("joined.m4v", file_bytes(make_video("small.m4v", small)) + file_bytes(make_video("large.m4v", large)));
    std::vector<VideoFrame> frames;
    {
        VideoReader reader(joined, rate(0));
        EXPECT_EQ(reader.width(), 32);
        for (VideoFrame f; reader.next(f);) frames.push_back(f);
        EXPECT_EQ(reader.warnings(), 0u);
    }
    ASSERT_EQ(frames.size(), 20u);
    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(frames[i].image.width, i < 10 ? 32 : 64) << "frame " << i;
        ASSERT_EQ(frames[i].image.rgb.size(), frames[i].image.width * frames[i].image.height * 3u);
        EXPECT_LE(colour_error(frames[i].image, i % 10), 12) << "frame " << i;
    }
    const std::string error = read_error(joined, rate(0, 1000));
    EXPECT_TRUE(starts_with(error, joined + ": 64x48 frames exceed the limit of 1000 pixels")) << error;
}

TEST_F(VideoReaderInputs, DamagedBytesGiveFramesAndWarningsOrAnErrorNamingTheFileNeverACrash) {
    // Each container's file with a run of bytes flipped at several places: the reader reads on or stops with an
    // emo::Error; under the sanitizers this is also the memory-safety check of those paths.
    for (const std::string name : {"clip.mp4", "clip.mkv", "clip.webm"}) {
        emo_test::VideoSpec spec;
        spec.encoder = name == "clip.webm" ? "libvpx" : "mpeg4";
        spec.b_frames = name == "clip.mp4" ? 2 : 0;
        const std::string original = make_video(name, spec);
        const std::string bytes = file_bytes(original);
        for (int place = 1; place < 10; ++place) {
            std::string damaged = bytes;
            const std::size_t at = damaged.size() * place / 10;
            for (std::size_t i = at; i < std::min(damaged.size(), at + 64); ++i) damaged[i] = ~damaged[i];
            const std::string path = write("damaged_" + std::to_string(place) + "_" + name, damaged);
            std::size_t frames = 0, warnings = 0;
            std::string error;
            try {
                VideoReader reader(path, rate(0));
                for (VideoFrame f; reader.next(f);) ++frames;
                warnings = reader.warnings();
            } catch (const emo::Error& e) {
                error = e.what();
            }
            if (!error.empty()) {
                EXPECT_TRUE(starts_with(error, path + ": ")) << error;
            }
            EXPECT_LE(frames, 30u);
            std::printf("%s damaged at %d/10: %zu frames, %zu warnings, error '%s'\n", name.c_str(), place, frames,
                        warnings, error.c_str());
        }
    }
}

TEST_F(VideoReaderInputs, APacketTheDecoderRejectsIsSkippedAndCounted) {
    // Intra-only MJPEG, so one bad packet costs one frame: packet 7 loses its JPEG markers.
    emo_test::VideoSpec spec;
    spec.encoder = "mjpeg";
    spec.damage = [](int index, std::uint8_t* data, int size) {
        if (index == 7) std::fill(data, data + size, 0);
    };
    const std::string path = make_video("clip.mkv", spec);
    VideoReader reader(path, rate(0));
    std::vector<double> times;
    for (VideoFrame f; reader.next(f);) times.push_back(f.time);
    EXPECT_EQ(times.size(), 29u);
    EXPECT_EQ(reader.warnings(), 1u);
    for (double t : times) EXPECT_NE(index_at(t), 7);
}

TEST_F(VideoReaderInputs, AStreamOfNothingButUndecodablePacketsIsAnErrorNamingTheFileAndTime) {
    const std::string path = (dir_ / "garbage.mkv").string();
    emo_test::write_garbage_video(path, AV_CODEC_ID_VP8, 300);
    const std::string error = read_error(path, rate(0));
    EXPECT_TRUE(starts_with(error, path + ": too many undecodable packets in a row at ")) << error;
}

TEST_F(VideoReaderInputs, AVideoCodecWithoutADecoderIsAnErrorNamingTheFileAndCodec) {
    // AVS2 has no decoder in Debian's libavcodec (it would need libdavs2).
    if (avcodec_find_decoder(AV_CODEC_ID_AVS2)) GTEST_SKIP() << "this libavcodec decodes AVS2";
    const std::string path = (dir_ / "avs2.mkv").string();
    emo_test::write_garbage_video(path, AV_CODEC_ID_AVS2, 5);
    EXPECT_EQ(read_error(path), path + ": no decoder for the video codec 'avs2'");
}

TEST_F(VideoReaderInputs, ReadersMoveAndKeepTheirPlace) {
    VideoReader first(make_video("clip.mkv"), rate(0));
    VideoFrame f;
    ASSERT_TRUE(first.next(f));
    VideoReader second = std::move(first);
    ASSERT_TRUE(second.next(f));
    EXPECT_NEAR(f.time, 0.1, 1e-3);
    EXPECT_EQ(second.width(), 64);
}

TEST_F(VideoReaderInputs, ALongVideoIsReadFrameByFrameInBoundedMemory) {
    // 2,000 frames (200 s at 10 fps). Memory is bounded by construction (one decoded frame, the caller's buffer
    // reused); the peak resident size is printed for the record, not asserted.
    emo_test::VideoSpec spec;
    spec.frames = 2000;
    const std::string path = make_video("long.mkv", spec);
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    VideoReader reader(path, rate(0));
    std::size_t frames = 0, wrong = 0;
    double last = -1;
    for (VideoFrame f; reader.next(f); ++frames) {
        if (f.time <= last || colour_error(f.image, static_cast<int>(frames)) > 12) ++wrong;
        last = f.time;
    }
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    EXPECT_EQ(frames, 2000u);
    EXPECT_EQ(wrong, 0u);
    EXPECT_NEAR(reader.duration(), 200.0, 0.2);
    std::printf("2000-frame video: peak RSS %ld KiB before reading, %ld KiB after\n", before.ru_maxrss,
                after.ru_maxrss);
}
