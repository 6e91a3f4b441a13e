// Features of many files: in input order on several threads, by speech segments, and every input accounted for.
#include "speech/feature_batch.hpp"

#include "scratch_dir.hpp"
#include "synthetic_voice.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>

using emo::AudioInput;
using emo::speech::extract_feature_pieces;
using emo::speech::FeatureBatchOptions;

namespace {

class FeatureBatch : public emo_test::ScratchDirTest {
protected:
    FeatureBatch() : ScratchDirTest("emo_feature_batch_") {}

    std::string wav(const std::string& name, const std::vector<float>& samples) {
        const std::string path = (dir_ / name).string();
        emo_test::write_wav(path, samples);
        return path;
    }

    // The number of samples of each input, as the feature: tells the pieces apart.
    static FeatureBatchOptions sizes() {
        FeatureBatchOptions o;
        o.compute = [](const std::vector<float>& x) { return std::vector<double>{static_cast<double>(x.size())}; };
        return o;
    }
};

}  // namespace

TEST_F(FeatureBatch, EveryInputInOrderWithUnreadableFilesAsErrors) {
    std::vector<AudioInput> inputs;
    for (int i = 0; i < 7; ++i) {
        const std::string path = i == 3 ? (dir_ / "missing.wav").string()
                                        : wav(std::string("f").append(std::to_string(i)).append(".wav"),
                                              std::vector<float>(1000 * (i + 1), 0.1f));
        inputs.push_back(emo_test::file_input(path));
    }
    auto options = sizes();
    options.threads = 3;
    const auto pieces = extract_feature_pieces(inputs, options);
    ASSERT_EQ(pieces.size(), 7u);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        EXPECT_EQ(pieces[i].input, i);
        if (i == 3) {
            EXPECT_NE(pieces[i].error.find("missing.wav"), std::string::npos) << pieces[i].error;
            EXPECT_TRUE(pieces[i].features.empty());
        } else {
            EXPECT_TRUE(pieces[i].error.empty()) << pieces[i].error;
            EXPECT_EQ(pieces[i].features, std::vector<double>{1000.0 * (i + 1)});
            EXPECT_FALSE(pieces[i].start.has_value());
        }
    }
}

TEST_F(FeatureBatch, SegmentsAreTheStretchesOfSpeechWithTheirTimes) {
    auto first = emo_test::voiced_syllables(150, 3);
    const auto second = emo_test::voiced_syllables(220, 4);
    first.insert(first.end(), 16000 * 2,
                 0.0f);  // 2 s of digital silence between the two phrases
    const std::size_t second_start = first.size();
    first.insert(first.end(), second.begin(), second.end());
    auto options = sizes();
    options.segments = true;
    const auto pieces = extract_feature_pieces({emo_test::file_input(wav("two.wav", first))}, options);
    ASSERT_EQ(pieces.size(), 2u);
    // Phrases start 0.3 s into each part; 3 and 4 syllables of 0.25 s, 0.15 s apart.
    EXPECT_NEAR(*pieces[0].start, 0.3, 0.05);
    EXPECT_NEAR(*pieces[0].end, 0.3 + 2 * 0.4 + 0.25, 0.05);
    EXPECT_NEAR(*pieces[1].start, second_start / 16000.0 + 0.3, 0.05);
    EXPECT_NEAR(*pieces[1].end, second_start / 16000.0 + 0.3 + 3 * 0.4 + 0.25, 0.05);
    for (const auto& p : pieces) EXPECT_NEAR(p.features[0], (*p.end - *p.start) * 16000, 2);
}

TEST_F(FeatureBatch, SilenceBySegmentsAndOverlongFilesWholeAreErrorsThatSaySo) {
    auto options = sizes();
    options.segments = true;
    const auto silent =
        extract_feature_pieces({emo_test::file_input(wav("silence.wav", std::vector<float>(32000, 0.0f)))}, options);
    ASSERT_EQ(silent.size(), 1u);
    EXPECT_NE(silent[0].error.find("no speech"), std::string::npos) << silent[0].error;

    options.segments = false;
    options.max_file_seconds = 1;
    const auto long_file =
        extract_feature_pieces({emo_test::file_input(wav("long.wav", std::vector<float>(48000, 0.1f)))}, options);
    ASSERT_EQ(long_file.size(), 1u);
    EXPECT_NE(long_file[0].error.find("--segments"), std::string::npos) << long_file[0].error;
}

namespace {

// Counts the samples pushed: tells a streamed file from one analysed at once (which gives its size positive).
class CountingStream : public emo::speech::StreamedFeatures {
public:
    void push(const float*, std::size_t count) override { samples_ += count; }
    std::vector<double> finish() override { return {-static_cast<double>(samples_)}; }

private:
    std::size_t samples_ = 0;
};

}  // namespace

TEST_F(FeatureBatch, FilesOverTheLimitAreStreamedWhereTheFeaturesAllow) {
    auto options = sizes();
    options.max_file_seconds = 1;
    options.streamed = [] { return std::make_unique<CountingStream>(); };
    const auto pieces = extract_feature_pieces({emo_test::file_input(wav("short.wav", std::vector<float>(8000, 0.1f))),
                                                emo_test::file_input(wav("long.wav", std::vector<float>(48000, 0.1f)))},
                                               options);
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_EQ(pieces[0].features, std::vector<double>{8000.0});
    EXPECT_EQ(pieces[1].features, std::vector<double>{-48000.0}) << pieces[1].error;
}

TEST_F(FeatureBatch, AFileCutShortGivesWhatItHoldsWithAWarningNamingIt) {
    const std::string path = wav("cut.wav", std::vector<float>(160000, 0.1f));
    std::filesystem::resize_file(path, 44 + 2 * 50000);  // the header still promises 10 s; 50,000 samples are left
    for (const double limit : {600.0, 1.0}) {            // analysed at once, and streamed
        auto options = sizes();
        options.max_file_seconds = limit;
        options.streamed = [] { return std::make_unique<CountingStream>(); };
        const auto pieces = extract_feature_pieces({emo_test::file_input(path)}, options);
        ASSERT_EQ(pieces.size(), 1u);
        EXPECT_TRUE(pieces[0].error.empty()) << pieces[0].error;
        EXPECT_EQ(std::fabs(pieces[0].features.at(0)), 50000.0);
        EXPECT_NE(pieces[0].warning.find("cut.wav"), std::string::npos) << pieces[0].warning;
        EXPECT_NE(pieces[0].warning.find("cut short"), std::string::npos) << pieces[0].warning;
    }
}
