#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emo/emo.hpp"
#include "io/csv.hpp"

namespace {

emo::Result sample() {
    emo::Result r;
    r.dialogue_id = "d1";
    r.index = 2;
    r.speaker = "Ross";
    r.text = "We were on a break!";
    r.emotion = "anger";
    r.scores = {{"anger", 0.712345}, {"joy", 0.287655}};
    r.sentiment = "negative";
    r.sentiment_scores = {{"negative", 0.9}, {"positive", 0.1}};
    r.evidence = {{"word:break", 1.23456, ""}, {"char:!", -0.0001, ""}};
    return r;
}

std::vector<std::string> csv_fields(const std::string& line) {
    emo::io::CsvReader reader(line, "row");
    emo::io::CsvRecord record;
    EXPECT_TRUE(reader.next(record));
    return record.fields;
}

TEST(ResultJson, WritesOneLineWithKeysInSchemaOrderAndRoundedNumbers) {
    EXPECT_EQ(emo::to_json(sample()),
              R"({"dialogue_id":"d1","index":2,"speaker":"Ross","text":"We were on a break!","emotion":"anger",)"
              R"("scores":{"anger":0.7123,"joy":0.2877},)"
              R"("sentiment":{"label":"negative","scores":{"negative":0.9,"positive":0.1}},)"
              R"("evidence":[{"cue":"word:break","weight":1.235},{"cue":"char:!","weight":0.0}]})");
}

TEST(ResultJson, AddsGoldOnlyWhenPresent) {
    auto r = sample();
    EXPECT_EQ(emo::to_json(r).find("\"gold\""), std::string::npos);
    r.gold = "sadness";
    const std::string json = emo::to_json(r);
    EXPECT_NE(json.find(R"(,"gold":"sadness"})"), std::string::npos) << json;
}

TEST(ResultJson, ErrorResultCarriesOnlyWhereItCameFromAndTheError) {
    emo::Result r;
    r.dialogue_id = "d1";
    r.index = 3;
    r.error = "dev.csv:17: invalid UTF-8 in column text";
    r.scores = {{"joy", 1.0}};  // ignored: an error result has no prediction
    EXPECT_EQ(emo::to_json(r), R"({"dialogue_id":"d1","index":3,"speaker":"","text":"",)"
                               R"("error":"dev.csv:17: invalid UTF-8 in column text"})");
}

TEST(ResultJson, LeavesOutSentimentWhenTheModelHasNone) {
    auto r = sample();
    r.sentiment.clear();
    r.sentiment_scores.clear();
    const std::string json = emo::to_json(r);
    EXPECT_EQ(json.find("sentiment"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("scores":{"anger":0.7123,"joy":0.2877},"evidence")"), std::string::npos) << json;
}

TEST(ResultJson, StaysOneLineAndParsesBackWithNewlinesAndQuotesInText) {
    auto r = sample();
    r.text = "line one\nsaid \"two\"\t\xE2\x80\x99";
    const std::string json = emo::to_json(r);
    EXPECT_EQ(json.find('\n'), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(json)["text"], r.text);
}

TEST(ResultJson, ReplacesInvalidUtf8InsteadOfThrowing) {
    auto r = sample();
    r.text = "bad \xC3\x28 byte";
    std::string json;
    ASSERT_NO_THROW(json = emo::to_json(r));
    EXPECT_EQ(nlohmann::json::parse(json)["text"], "bad \xEF\xBF\xBD( byte");
}

TEST(ResultCsv, HeaderHasFixedColumnsThenOneScorePerLabelThenError) {
    EXPECT_EQ(emo::csv_header({"anger", "joy"}),
              "dialogue_id,index,speaker,text,emotion,sentiment,score_anger,score_joy,error\n");
}

TEST(ResultCsv, RowQuotesTextAndFollowsTheLabelOrder) {
    auto r = sample();
    r.text = "Well, \"fine\"\nthen";
    const std::string row = emo::to_csv_row(r, {"joy", "anger", "fear"});
    ASSERT_EQ(row.back(), '\n');
    EXPECT_EQ(csv_fields(row), (std::vector<std::string>{"d1", "2", "Ross", r.text, "anger", "negative", "0.2877",
                                                         "0.7123", "", ""}));
}

TEST(ResultCsv, ErrorRowLeavesThePredictionEmpty) {
    emo::Result r;
    r.dialogue_id = "d";
    r.error = "a.csv:3: empty utterance";
    r.scores = {{"joy", 1.0}};
    EXPECT_EQ(csv_fields(emo::to_csv_row(r, {"joy"})),
              (std::vector<std::string>{"d", "0", "", "", "", "", "", "a.csv:3: empty utterance"}));
}

TEST(ResultCsv, ReplacesInvalidUtf8) {
    auto r = sample();
    r.speaker = "\xFF";
    EXPECT_EQ(csv_fields(emo::to_csv_row(r, {})).at(2), "\xEF\xBF\xBD");
}

}  // namespace
