#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <emo/dynamics.hpp>

#include "labels/circumplex.hpp"

namespace {

emo::Result result(std::size_t index, const std::string& speaker, const std::string& emotion) {
    emo::Result r;
    r.dialogue_id = "d";
    r.index = index;
    r.speaker = speaker;
    r.emotion = emotion;
    r.scores = {{emotion, 1.0}};
    return r;
}

TEST(Circumplex, PlacesEveryDataSetsSpellingOfAnEmotionAlike) {
    EXPECT_EQ(emo::labels::circumplex_place("angry"), emo::labels::circumplex_place("anger"));
    EXPECT_EQ(emo::labels::circumplex_place("Happiness"), emo::labels::circumplex_place("joy"));
    EXPECT_EQ(emo::labels::circumplex_place("neutral"), (std::pair{0.0, 0.0}));
    EXPECT_GT(emo::labels::circumplex_place("joy")->first, 0);
    EXPECT_LT(emo::labels::circumplex_place("sadness")->second, 0);
    EXPECT_FALSE(emo::labels::circumplex_place("bewilderment"));
}

TEST(ConversationDynamics, FollowsEachSpeakerSeparatelyInOrderOfAppearance) {
    const std::vector<emo::Result> results = {result(0, "Ann", "joy"), result(1, "Bob", "anger"),
                                              result(2, "Ann", "joy"), result(3, "Ann", "sadness"),
                                              result(4, "Bob", "anger")};
    const auto d = emo::conversation_dynamics(results);
    EXPECT_EQ(d.dialogue_id, "d");
    ASSERT_EQ(d.speakers.size(), 2u);
    const auto& ann = d.speakers[0];
    EXPECT_EQ(ann.speaker, "Ann");
    ASSERT_EQ(ann.turns.size(), 3u);
    EXPECT_EQ(ann.turns[2].index, 3u);
    EXPECT_EQ(ann.turns[2].emotion, "sadness");
    EXPECT_EQ(ann.transitions.at("joy").at("joy"), 1u);
    EXPECT_EQ(ann.transitions.at("joy").at("sadness"), 1u);
    ASSERT_EQ(ann.shifts.size(), 1u);
    EXPECT_EQ(ann.shifts[0].index, 3u);
    EXPECT_EQ(ann.shifts[0].from, "joy");
    EXPECT_EQ(ann.shifts[0].to, "sadness");
    const auto& bob = d.speakers[1];
    EXPECT_TRUE(bob.shifts.empty()) << "anger after anger is no shift";
    EXPECT_EQ(bob.transitions.at("anger").at("anger"), 1u);
}

TEST(ConversationDynamics, RunningEstimateSmoothsOverTheSpeakersTurns) {
    const auto joy = *emo::labels::circumplex_place("joy");
    const auto sad = *emo::labels::circumplex_place("sadness");
    const auto d = emo::conversation_dynamics({result(0, "Ann", "joy"), result(1, "Ann", "sadness")}, 0.25);
    const auto& turns = d.speakers.at(0).turns;
    EXPECT_DOUBLE_EQ(turns[0].running_valence, joy.first);
    EXPECT_DOUBLE_EQ(turns[1].valence, sad.first);
    EXPECT_DOUBLE_EQ(turns[1].running_valence, 0.25 * joy.first + 0.75 * sad.first);
    EXPECT_DOUBLE_EQ(turns[1].running_arousal, 0.25 * joy.second + 0.75 * sad.second);
}

TEST(ConversationDynamics, WeighsPlacesByProbabilityAndUnknownLabelsAsNeutral) {
    emo::Result r = result(0, "Ann", "joy");
    r.scores = {{"joy", 0.5}, {"anger", 0.25}, {"bewilderment", 0.25}};
    const auto d = emo::conversation_dynamics({r});
    const auto joy = *emo::labels::circumplex_place("joy");
    const auto anger = *emo::labels::circumplex_place("anger");
    EXPECT_DOUBLE_EQ(d.speakers[0].turns[0].valence, 0.5 * joy.first + 0.25 * anger.first);
}

TEST(ConversationDynamics, LeavesOutResultsWithErrors) {
    emo::Result bad = result(1, "Ann", "");
    bad.error = "talk.csv:3: invalid UTF-8";
    const auto d = emo::conversation_dynamics({result(0, "Ann", "joy"), bad, result(2, "Ann", "anger")});
    ASSERT_EQ(d.speakers.size(), 1u);
    ASSERT_EQ(d.speakers[0].turns.size(), 2u);
    EXPECT_EQ(d.speakers[0].shifts.at(0).index, 2u);
    EXPECT_TRUE(emo::conversation_dynamics({bad}).speakers.empty());
}

TEST(ConversationDynamics, RefusesSmoothingOutsideItsRange) {
    EXPECT_THROW(emo::conversation_dynamics({}, 1.0), emo::Error);
    EXPECT_THROW(emo::conversation_dynamics({}, -0.1), emo::Error);
    EXPECT_THROW(emo::conversation_dynamics({}, std::nan("")), emo::Error);
}

TEST(ConversationDynamics, JsonHasTheDocumentedFields) {
    const auto j = nlohmann::json::parse(
        emo::to_json(emo::conversation_dynamics({result(0, "Ann", "joy"), result(1, "Ann", "anger")})));
    EXPECT_EQ(j["dialogue_id"], "d");
    EXPECT_EQ(j["smoothing"], 0.5);
    const auto& ann = j["speakers"].at(0);
    EXPECT_EQ(ann["speaker"], "Ann");
    ASSERT_EQ(ann["turns"].size(), 2u);
    for (const char* key : {"index", "emotion", "valence", "arousal", "running_valence", "running_arousal"})
        EXPECT_TRUE(ann["turns"][1].contains(key)) << key;
    EXPECT_EQ(ann["transitions"]["joy"]["anger"], 1);
    EXPECT_EQ(ann["shifts"][0]["to"], "anger");
}

}  // namespace
