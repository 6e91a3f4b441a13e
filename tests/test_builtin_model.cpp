// The model that ships in models/conv-meld keeps the quality bars it was released with.
#include <emo/emo.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace {

const std::string model_dir = EMO_SOURCE_DIR "/models/conv-meld";
const std::string meld_dev = EMO_SOURCE_DIR "/../shared/data/meld/dev_sent_emo.csv";

double weighted_f1(const emo::Model& model, const std::vector<emo::Conversation>& dialogues, bool online) {
    emo::ConvOptions options;
    options.online = online;
    options.max_evidence = 0;
    std::vector<std::string> gold, predicted;
    for (const auto& conversation : dialogues)
        for (const auto& r : model.analyze(conversation, options)) {
            EXPECT_TRUE(r.error.empty()) << r.error;
            gold.push_back(r.gold);
            predicted.push_back(r.emotion);
        }
    return emo::evaluate(gold, predicted, model.labels()).weighted_f1;
}

}  // namespace

TEST(BuiltInModel, LoadsWithMeldLabelsAndSentiment) {
    auto model = emo::Model::load(model_dir);
    EXPECT_EQ(model.labels(),
              (std::vector<std::string>{"anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"}));
    EXPECT_EQ(model.sentiment_labels(), (std::vector<std::string>{"negative", "neutral", "positive"}));
}

TEST(BuiltInModel, MeetsTheWeightedF1BarsOnMeldDev) {
    if (!std::filesystem::exists(meld_dev)) GTEST_SKIP() << "MELD dev is absent (" << meld_dev << ")";
    auto model = emo::Model::load(model_dir);
    auto dialogues = emo::read_conversations(meld_dev);
    EXPECT_GE(weighted_f1(model, dialogues, false), 0.545);
    EXPECT_GE(weighted_f1(model, dialogues, true), 0.535);
}
