// Audio input: decoding through libsndfile, mixing down to mono, resampling to 16 kHz, in blocks; bad files.
#include "speech/audio_stream.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numbers>

namespace fs = std::filesystem;
using emo::speech::AudioStream;
using emo::speech::read_audio;

namespace {

class AudioFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("emo_audio_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // A sine of `hz` on every channel (channel k scaled by 1/(k+1)), `seconds` long.
    std::string write_sine(const std::string& name, int format, int rate, int channels, double hz, double seconds) {
        const auto path = (dir_ / name).string();
        SF_INFO info{};
        info.samplerate = rate;
        info.channels = channels;
        info.format = format;
        SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
        EXPECT_NE(f, nullptr) << sf_strerror(nullptr);
        const auto frames = static_cast<std::size_t>(seconds * rate);
        std::vector<float> data(frames * static_cast<std::size_t>(channels));
        for (std::size_t i = 0; i < frames; ++i)
            for (int k = 0; k < channels; ++k)
                data[i * channels + k] =
                    static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * hz * i / rate) / (k + 1));
        sf_writef_float(f, data.data(), static_cast<sf_count_t>(frames));
        sf_close(f);
        return path;
    }

    fs::path dir_;
};

// Zero crossings per second / 2: the frequency of a clean sine.
double frequency(const std::vector<float>& x, int rate) {
    std::size_t crossings = 0;
    for (std::size_t i = 1; i < x.size(); ++i) crossings += (x[i - 1] < 0) != (x[i] < 0);
    return crossings / 2.0 / (static_cast<double>(x.size()) / rate);
}

float peak(const std::vector<float>& x, std::size_t from, std::size_t to) {
    float p = 0;
    for (std::size_t i = from; i < to; ++i) p = std::max(p, std::fabs(x[i]));
    return p;
}

}  // namespace

TEST_F(AudioFiles, StereoAt48kHzBecomesMonoAt16kHz) {
    const auto path = write_sine("a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 2, 440, 1.0);
    AudioStream stream(path);
    EXPECT_EQ(stream.info().sample_rate, 48000);
    EXPECT_EQ(stream.info().channels, 2);
    EXPECT_EQ(stream.info().frames, 48000);
    const auto x = read_audio(path);
    EXPECT_NEAR(static_cast<double>(x.size()), 16000, 2);
    EXPECT_NEAR(frequency(x, 16000), 440, 3);
    EXPECT_NEAR(peak(x, 1000, 15000), 0.5 * (1 + 0.5) / 2, 0.01);  // the mean of the two channels
}

TEST_F(AudioFiles, SixteenKilohertzMonoPassesThroughUnchanged) {
    const auto path = write_sine("b.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, 300, 0.5);
    const auto x = read_audio(path);
    ASSERT_EQ(x.size(), 8000u);
    EXPECT_FLOAT_EQ(x[4], static_cast<float>(0.5 * std::sin(2 * std::numbers::pi * 300 * 4 / 16000)));
}

TEST_F(AudioFiles, TelephoneRateSixChannelsFlacAndOggAreRead) {
    const auto phone = read_audio(write_sine("c.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 6, 200, 1.0));
    EXPECT_NEAR(static_cast<double>(phone.size()), 16000, 2);
    EXPECT_NEAR(frequency(phone, 16000), 200, 3);
    const auto flac = read_audio(write_sine("d.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 1, 500, 1.0));
    EXPECT_NEAR(static_cast<double>(flac.size()), 16000, 2);
    EXPECT_NEAR(frequency(flac, 16000), 500, 3);
    const auto ogg = read_audio(write_sine("e.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 22050, 1, 500, 1.0));
    EXPECT_NEAR(static_cast<double>(ogg.size()), 16000, 40);
    EXPECT_NEAR(frequency(ogg, 16000), 500, 5);
}

TEST_F(AudioFiles, SmallReadsGiveTheSameSamplesAsOneRead) {
    const auto path = write_sine("f.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 1, 1000, 2.0);
    const auto whole = read_audio(path);
    AudioStream stream(path);
    std::vector<float> pieces;
    while (stream.read(pieces, 100) > 0) {
    }
    ASSERT_EQ(pieces.size(), whole.size());
    for (std::size_t i = 0; i < whole.size(); i += 997) EXPECT_FLOAT_EQ(pieces[i], whole[i]);
}

TEST_F(AudioFiles, BadFilesAreErrorsNamingThem) {
    auto message = [](const std::string& path) {
        try {
            AudioStream stream(path);
            std::vector<float> x;
            while (stream.read(x, 1 << 16) > 0) {
            }
        } catch (const emo::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message((dir_ / "missing.wav").string()).find("missing.wav: no such file"), std::string::npos);
    EXPECT_NE(message(dir_.string()).find("is a directory"), std::string::npos);
    std::ofstream(dir_ / "empty.wav").close();
    EXPECT_NE(message((dir_ / "empty.wav").string()).find("empty file"), std::string::npos);
    std::ofstream(dir_ / "text.wav") << "this is not audio at all, just some text pretending to be a wave file\n";
    EXPECT_NE(message((dir_ / "text.wav").string()).find("text.wav: not a readable audio file"), std::string::npos);
}

TEST_F(AudioFiles, ATruncatedFileGivesTheSamplesItHolds) {
    const auto path = write_sine("g.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 440, 1.0);
    fs::resize_file(path, 44 + 2 * 4000);  // header + 4,000 of 16,000 samples
    std::vector<float> x;
    try {
        x = read_audio(path);
    } catch (const emo::Error& e) {
        GTEST_SKIP() << "libsndfile reports the truncation: " << e.what();
    }
    EXPECT_EQ(x.size(), 4000u);
}

// A recording in memory (the Python and C APIs' arrays) reads as the file of the same float samples does: the same
// resampling, the same blocks.
TEST_F(AudioFiles, SamplesInMemoryReadAsTheirFile) {
    const auto path = write_sine("mono22k.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 22050, 1, 330, 1.3);
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    ASSERT_NE(f, nullptr);
    auto samples = std::make_shared<std::vector<float>>(static_cast<std::size_t>(info.frames));
    sf_readf_float(f, samples->data(), info.frames);
    sf_close(f);
    const auto from_file = read_audio(path);
    AudioStream memory(samples, 22050, "array[0]");
    EXPECT_EQ(memory.info().sample_rate, 22050);
    std::vector<float> from_memory;
    while (memory.read(from_memory, 1000) > 0) {
    }
    EXPECT_EQ(from_memory, from_file);
    // At the target rate nothing is resampled.
    AudioStream same(std::make_shared<std::vector<float>>(from_file), 16000, "x");
    std::vector<float> again;
    while (same.read(again, 1 << 16) > 0) {
    }
    EXPECT_EQ(again, from_file);
}

TEST_F(AudioFiles, BadSamplesInMemoryAreErrorsNamingThem) {
    auto message = [](std::shared_ptr<const std::vector<float>> samples, int rate) {
        try {
            AudioStream stream(std::move(samples), rate, "array[3]");
        } catch (const emo::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const auto ok = std::make_shared<std::vector<float>>(1000, 0.1f);
    EXPECT_EQ(message(ok, 16000), "no error");
    EXPECT_EQ(message(nullptr, 16000), "array[3]: no samples given");
    EXPECT_EQ(message(std::make_shared<std::vector<float>>(), 16000), "array[3]: empty recording (0 samples)");
    EXPECT_NE(message(ok, 999).find("array[3]: sample rate 999 Hz is out of range"), std::string::npos);
    auto bad = std::make_shared<std::vector<float>>(*ok);
    (*bad)[7] = NAN;
    EXPECT_EQ(message(bad, 16000), "array[3]: sample 7 is not a finite number");
    (*bad)[7] = INFINITY;
    EXPECT_EQ(message(bad, 16000), "array[3]: sample 7 is not a finite number");
}
