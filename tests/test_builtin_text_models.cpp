// The text models that ship in models/text-goemotions and models/text-emobank keep the figures they were released
// with (model cards) on the dev splits, when ../shared/data is present.
#include <emo/emo.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace {

const std::string emotion_dir = EMO_SOURCE_DIR "/models/text-goemotions";
const std::string vad_dir = EMO_SOURCE_DIR "/models/text-emobank";
const std::string goemotions_dev = EMO_SOURCE_DIR "/../shared/data/goemotions/dev.tsv";
const std::string emobank = EMO_SOURCE_DIR "/../shared/data/emobank/emobank.csv";

}  // namespace

TEST(BuiltInTextModels, LoadTogetherWithTwentyEightLabelsAndThreePerspectives) {
    const auto model = emo::TextModel::load(emotion_dir, vad_dir);
    EXPECT_EQ(model.labels().size(), 28u);
    EXPECT_TRUE(model.multilabel());
    EXPECT_EQ(model.perspectives(), (std::vector<std::string>{"average", "reader", "writer"}));
}

TEST(BuiltInTextModels, GoEmotionsDevMacroF1AsReleased) {
    if (!std::filesystem::exists(goemotions_dev)) GTEST_SKIP() << "GoEmotions is absent (../shared/data)";
    const auto model = emo::TextModel::load(emotion_dir, "");
    emo::TextOptions options;
    options.max_evidence = 0;
    const auto records = emo::read_texts(goemotions_dev);
    const auto results = model.analyze(records, options);
    const auto& labels = model.labels();
    auto index = [&](const std::string& l) {
        return static_cast<std::size_t>(std::find(labels.begin(), labels.end(), l) - labels.begin());
    };
    std::vector<std::vector<std::size_t>> gold, predicted;
    for (std::size_t i = 0; i < records.size(); ++i) {
        std::vector<std::size_t> g, p;
        for (const auto& l : records[i].labels) g.push_back(index(l));
        for (const auto& l : results[i].labels) p.push_back(index(l));
        gold.push_back(g);
        predicted.push_back(p);
    }
    const auto report = emo::evaluate_multilabel(gold, predicted, labels);
    EXPECT_EQ(report.count, 5426u);
    EXPECT_GE(report.macro_f1, 0.49) << "released at 0.4948";
}

TEST(BuiltInTextModels, EmoBankDevCorrelationsAsReleased) {
    if (!std::filesystem::exists(emobank)) GTEST_SKIP() << "EmoBank is absent (../shared/data)";
    const auto model = emo::TextModel::load("", vad_dir);
    emo::TextReadOptions read;
    read.target_names = {"V", "A", "D"};
    auto records = emo::read_texts(emobank, read);
    std::erase_if(records, [](const emo::TextRecord& r) { return r.split != "dev"; });
    std::vector<std::vector<double>> gold, predicted;
    for (const auto& r : model.analyze(records)) {
        const auto& v = r.vad.at("");
        predicted.push_back({v.at("valence"), v.at("arousal"), v.at("dominance")});
    }
    for (const auto& r : records) gold.push_back(r.targets);
    const auto report = emo::evaluate_regression(gold, predicted, {"V", "A", "D"});
    ASSERT_EQ(report.targets.size(), 3u);
    EXPECT_EQ(report.targets[0].count, 1000u);
    EXPECT_GE(report.targets[0].pearson, 0.60) << "released at 0.6085";
    EXPECT_GE(report.targets[1].pearson, 0.51) << "released at 0.5231";
    EXPECT_GE(report.targets[2].pearson, 0.30) << "released at 0.3191";
}
