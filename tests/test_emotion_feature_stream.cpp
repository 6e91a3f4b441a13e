// The speech emotion features of a recording streamed in two passes (as every file over the limit is): the same as the
// recording analysed at once, the percentiles within a small part of a histogram bin.
#include "speech/emotion_feature_stream.hpp"

#include "scratch_dir.hpp"
#include "speech/emotion_features.hpp"
#include "speech/feature_batch.hpp"
#include "synthetic_voice.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace {

class EmotionFeatureStream : public emo_test::ScratchDirTest {
protected:
    EmotionFeatureStream() : ScratchDirTest("emo_emotion_stream_") {}

    // The features of one file through the feature batch, analysed at once or streamed (a limit below its length).
    static std::vector<double> features(const std::string& path, double max_file_seconds) {
        emo::speech::FeatureBatchOptions options;
        options.max_file_seconds = max_file_seconds;
        options.streamed = [] { return std::make_unique<emo::speech::EmotionFeatureStream>(); };
        options.threads = 1;
        const auto pieces = emo::speech::extract_feature_pieces({emo_test::file_input(path)}, options);
        EXPECT_EQ(pieces.size(), 1u);
        EXPECT_TRUE(pieces.at(0).error.empty()) << pieces.at(0).error;
        return pieces.at(0).features;
    }
};

bool is_percentile(const std::string& name) {
    return name.ends_with("_p10") || name.ends_with("_p50") || name.ends_with("_p90");
}

}  // namespace

TEST_F(EmotionFeatureStream, ForcedStreamingGivesTheFeaturesOfTheRecordingAtOnce) {
    // Two voices with pauses, louder and softer, so that frames fall on both sides of the 40 dB voice range.
    auto x = emo_test::voiced_syllables(140, 12, 0.3);
    const auto soft = emo_test::voiced_syllables(210, 8, 0.02);
    x.insert(x.end(), soft.begin(), soft.end());
    const std::string path = (dir_ / "voice.wav").string();
    emo_test::write_wav(path, x);

    const auto at_once = features(path, 600);
    const auto streamed = features(path, 1);
    const auto& names = emo::speech::emotion_feature_names();
    ASSERT_EQ(at_once.size(), names.size());
    ASSERT_EQ(streamed.size(), names.size());
    const std::size_t egemaps_from = names.size() - 88;
    double moments = 0, percentiles = 0, egemaps = 0;  // the largest differences, relative to max(1, |value|)
    for (std::size_t i = 0; i < names.size(); ++i) {
        const double difference = std::fabs(streamed[i] - at_once[i]) / std::max(1.0, std::fabs(at_once[i]));
        double& largest = i >= egemaps_from ? egemaps : is_percentile(names[i]) ? percentiles : moments;
        largest = std::max(largest, difference);
        EXPECT_TRUE(std::isfinite(streamed[i])) << names[i];
    }
    std::printf("largest difference streamed vs at once: moments %.2g, percentiles %.2g, eGeMAPS %.2g\n", moments,
                percentiles, egemaps);
    EXPECT_LT(moments, 1e-9);
    EXPECT_LT(percentiles, 5e-3);
    EXPECT_LT(egemaps, 1e-6);
}

TEST_F(EmotionFeatureStream, ARecordingTooShortForAFrameGivesZerosLikeAtOnce) {
    const std::string path = (dir_ / "short.wav").string();
    emo_test::write_wav(path, std::vector<float>(300, 0.1f));
    const auto at_once = features(path, 600);
    const auto streamed = features(path, 0.001);
    ASSERT_EQ(streamed.size(), at_once.size());
    for (std::size_t i = 0; i + 88 < at_once.size(); ++i) EXPECT_EQ(streamed[i], 0.0) << i;
}
