// The speech model that ships in models/speech-ravdess: RAVDESS's classes, and features that are still the ones this
// build computes (a change to the acoustic front-end must come with a retrained model: scripts/train-speech-model).
#include "speech/emotion_features.hpp"
#include "speech/speech_emotion_model.hpp"

#include <emo/emo.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace {

const std::string model_dir = EMO_SOURCE_DIR "/models/speech-ravdess";

}  // namespace

TEST(BuiltInSpeechModel, HasRavdesssEightClassesWithCircumplexPlaces) {
    const auto model = emo::speech::load_speech_model(model_dir);
    EXPECT_EQ(model.labels, (std::vector<std::string>{"angry", "calm", "disgust", "fearful", "happy", "neutral", "sad",
                                                      "surprised"}));
    EXPECT_EQ(model.circumplex.size(), 8u);
    EXPECT_EQ(model.min_baseline_recordings, 10u);
    EXPECT_EQ(emo::SpeechModel::load(model_dir).labels(), model.labels);
}

TEST(BuiltInSpeechModel, ItsFeaturesAreTheOnesThisBuildComputes) {
    const auto model = emo::speech::load_speech_model(model_dir);
    const auto now = emo::speech::emotion_features(emo::speech::reference_signal());
    ASSERT_EQ(model.reference_features.size(), now.size()) << "retrain with scripts/train-speech-model";
    std::size_t differ = 0;
    for (std::size_t j = 0; j < now.size(); ++j)
        if (std::fabs(now[j] - model.reference_features[j]) > 1e-3 * (1 + std::fabs(model.reference_features[j]))) {
            if (++differ <= 5)
                ADD_FAILURE() << model.feature_names[j] << ": " << now[j] << " now, " << model.reference_features[j]
                              << " when the model was trained (retrain with scripts/train-speech-model)";
        }
    EXPECT_EQ(differ, 0u);
}
