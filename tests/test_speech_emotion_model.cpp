// The speech emotion model's parts: feature scaling, saving and loading (and refusing what does not fit this build).
#include "speech/speech_emotion_model.hpp"

#include "core/model_files.hpp"
#include "scratch_dir.hpp"
#include "speech/emotion_features.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>

#include <filesystem>

using namespace emo::speech;

namespace {

class SpeechEmotionModelFiles : public emo_test::ScratchDirTest {
protected:
    SpeechEmotionModelFiles() : ScratchDirTest("emo_speech_model_") {}

    // A two-class model whose weights tell apart rows by their first feature.
    static SpeechEmotionModel small_model() {
        SpeechEmotionModel m;
        m.labels = {"calm", "angry"};
        m.feature_names = emotion_feature_names();
        const auto dim = static_cast<std::uint32_t>(m.feature_names.size());
        for (ScaledClassifier* half : {&m.population, &m.speaker}) {
            half->scaling.mean.assign(dim, 0.0);
            half->scaling.scale.assign(dim, 2.0);
            half->linear.classes = 2;
            half->linear.dim = dim;
            half->linear.weights.assign(std::size_t(dim) * 2, 0.0f);
            half->linear.bias = {0.0f, 0.0f};
            half->linear.weights[1] = 1.0f;  // feature 0 speaks for "angry"
        }
        m.circumplex = {{"calm", {0.4, -0.6}}, {"angry", {-0.6, 0.8}}};
        m.min_baseline_recordings = 7;
        return m;
    }
};

}  // namespace

TEST(FeatureScaling, StandardisesColumnsAndKeepsConstantOnesAtScaleOne) {
    const auto s = FeatureScaling::fit({{1, 5}, {3, 5}, {5, 5}});
    EXPECT_DOUBLE_EQ(s.mean[0], 3);
    EXPECT_NEAR(s.scale[0], std::sqrt(8.0 / 3.0), 1e-12);
    EXPECT_DOUBLE_EQ(s.mean[1], 5);
    EXPECT_DOUBLE_EQ(s.scale[1], 1);
    const auto z = s.apply({5, 6});
    EXPECT_NEAR(z[0], 2 / std::sqrt(8.0 / 3.0), 1e-12);
    EXPECT_DOUBLE_EQ(z[1], 1);
    EXPECT_TRUE(FeatureScaling::fit({}).mean.empty());
}

TEST_F(SpeechEmotionModelFiles, SavedAndLoadedModelsPredictTheSame) {
    const auto original = small_model();
    const std::string dir = (dir_ / "model").string();
    save_speech_model(original, dir);
    const auto loaded = load_speech_model(dir);
    EXPECT_EQ(loaded.labels, original.labels);
    EXPECT_EQ(loaded.min_baseline_recordings, 7u);
    EXPECT_EQ(loaded.circumplex.at("angry"), (std::pair<double, double>{-0.6, 0.8}));
    std::vector<double> x(original.feature_names.size(), 0.0);
    x[0] = 4;  // z = 2: angry wins with log-odds 2
    const auto p = loaded.population.probabilities(x);
    EXPECT_NEAR(p[1], 1 / (1 + std::exp(-2.0)), 1e-6);
    EXPECT_EQ(loaded.speaker.probabilities(x), original.speaker.probabilities(x));
}

TEST_F(SpeechEmotionModelFiles, RefusesOtherTasksOtherFeaturesAndBadScales) {
    const std::string dir = (dir_ / "model").string();
    save_speech_model(small_model(), dir);
    auto manifest = emo::core::read_manifest(dir);

    auto other_task = manifest;
    other_task["task"] = "emotion-causes";
    emo::core::write_manifest(dir, other_task);
    EXPECT_THROW(load_speech_model(dir), emo::Error);

    auto other_features = manifest;
    other_features["features"][0] = "something_else";
    emo::core::write_manifest(dir, other_features);
    try {
        load_speech_model(dir);
        FAIL() << "features of another build were accepted";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("other acoustic features"), std::string::npos) << e.what();
    }

    auto bad = small_model();
    bad.speaker.scaling.scale[3] = 0;
    save_speech_model(bad, dir);
    EXPECT_THROW(load_speech_model(dir),
                 emo::Error);  // a zero scale would divide by zero
}

TEST_F(SpeechEmotionModelFiles, MissingDirectoryIsAnErrorNamingIt) {
    try {
        load_speech_model((dir_ / "nowhere").string());
        FAIL();
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos);
    }
}
