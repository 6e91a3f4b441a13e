#include "scratch_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "emo/emo.hpp"

namespace {

namespace fs = std::filesystem;
using emo::Conversation;
using emo::ErrorPolicy;
using emo::InputFormat;
using emo::ReadOptions;

const std::string data_dir = EMO_SOURCE_DIR "/../shared/data";

// Each test writes its fixtures into a fresh directory of its own.
class ConversationReader : public emo_test::ScratchDirTest {
protected:
    ConversationReader() : ScratchDirTest("emo_reader_") {}

    // The message of the Error that reading throws, "" when it does not throw.
    static std::string error_of(const std::string& path, ReadOptions options = {}) {
        try {
            emo::read_conversations(path, options);
        } catch (const emo::Error& e) {
            return e.what();
        }
        return "";
    }

};

ReadOptions with(InputFormat format, ErrorPolicy policy = ErrorPolicy::fail) {
    ReadOptions options;
    options.format = format;
    options.on_error = policy;
    return options;
}

ReadOptions skipping() { return with(InputFormat::auto_detect, ErrorPolicy::skip); }

std::vector<std::string> texts(const Conversation& c) {
    std::vector<std::string> out;
    for (const auto& u : c.utterances) out.push_back(u.text);
    return out;
}

// Every utterance's source (or error) in output order, to check that skip accounts for every record.
std::vector<std::string> sources(const std::vector<Conversation>& conversations) {
    std::vector<std::string> out;
    for (const auto& c : conversations)
        for (const auto& u : c.utterances) out.push_back(u.source + (u.error.empty() ? "" : " error"));
    return out;
}

std::size_t count_utterances(const std::vector<Conversation>& conversations) {
    std::size_t n = 0;
    for (const auto& c : conversations) n += c.utterances.size();
    return n;
}

// ----- formats ------------------------------------------------------------------------------------------------

TEST(ParseInputFormat, AcceptsEveryDocumentedName) {
    EXPECT_EQ(emo::parse_input_format("auto"), InputFormat::auto_detect);
    EXPECT_EQ(emo::parse_input_format("csv"), InputFormat::csv);
    EXPECT_EQ(emo::parse_input_format("jsonl"), InputFormat::jsonl);
    EXPECT_EQ(emo::parse_input_format("json"), InputFormat::json);
    EXPECT_EQ(emo::parse_input_format("meld"), InputFormat::meld);
    EXPECT_EQ(emo::parse_input_format("emorynlp"), InputFormat::emorynlp);
    EXPECT_EQ(emo::parse_input_format("dailydialog"), InputFormat::dailydialog);
    EXPECT_EQ(emo::parse_input_format("reccon"), InputFormat::reccon);
}

TEST(ParseInputFormat, UnknownNameIsAnErrorListingTheValidOnes) {
    try {
        emo::parse_input_format("xml");
        FAIL() << "no error";
    } catch (const emo::Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("xml"), std::string::npos) << message;
        EXPECT_NE(message.find("auto, csv, jsonl, json, meld, emorynlp, dailydialog, reccon"), std::string::npos)
            << message;
    }
}

TEST_F(ConversationReader, GenericCsvGroupsDialoguesInOrderOfFirstAppearanceAndSortsByUtteranceId) {
    const auto path = write("talk.csv",
                            "dialogue_id,utterance_id,speaker,text,label,sentiment\n"
                            "d2,1,Ann,second,joy,positive\n"
                            "d1,0,Bob,only,neutral,neutral\n"
                            "d2,0,Cy,first,anger,negative\n");
    const auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 2u);
    EXPECT_EQ(conversations[0].id, "d2");
    EXPECT_EQ(texts(conversations[0]), (std::vector<std::string>{"first", "second"}));
    const auto& first = conversations[0].utterances[0];
    EXPECT_EQ(first.speaker, "Cy");
    EXPECT_EQ(first.label, "anger");
    EXPECT_EQ(first.sentiment, "negative");
    EXPECT_EQ(first.source, path + ":4");
    EXPECT_EQ(conversations[1].id, "d1");
}

TEST_F(ConversationReader, GenericCsvMatchesHeadersCaseInsensitivelyAndIgnoresExtraColumns) {
    const auto path = write("talk.csv",
                            "Extra,Dialogue_ID,SPEAKER,Text,more\r\n"
                            "x,7,Ann,\"Hi, you \"\"there\"\"\",y\r\n"
                            "x,7,Bob,\"two\nlines\",y\r\n");
    const auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 1u);
    EXPECT_EQ(texts(conversations[0]), (std::vector<std::string>{"Hi, you \"there\"", "two\nlines"}));
    EXPECT_EQ(conversations[0].utterances[0].label, "");
    EXPECT_EQ(conversations[0].utterances[1].source, path + ":3");
}

TEST_F(ConversationReader, GenericCsvWithoutUtteranceIdKeepsFileOrder) {
    const auto path = write("talk.csv", "dialogue_id,speaker,text\na,A,3\na,B,1\na,A,2\n");
    EXPECT_EQ(texts(emo::read_conversations(path).at(0)), (std::vector<std::string>{"3", "1", "2"}));
}

TEST_F(ConversationReader, JsonlNumberTooLargeForADoubleFailsNamingTheLine) {
    const auto path = write("talk.jsonl", "{\"dialogue_id\": 1e999, \"speaker\": \"A\", \"text\": \"hi\"}\n");
    const std::string message = error_of(path);
    EXPECT_EQ(message.rfind(path + ":1: invalid JSON: number overflow", 0), 0u) << message;
}

TEST_F(ConversationReader, JsonlAcceptsStringOrNumberIdsAndSkipsBlankLines) {
    const auto path = write("talk.jsonl",
                            "{\"dialogue_id\": 5, \"utterance_id\": \"1\", \"speaker\": \"A\", \"text\": \"later\"}\n"
                            "\n"
                            "{\"dialogue_id\": \"5\", \"utterance_id\": 0, \"speaker\": \"B\", \"text\": \"sooner\", "
                            "\"label\": \"joy\", \"sentiment\": \"positive\"}\r\n"
                            "{\"dialogue_id\": \"x\", \"speaker\": \"A\", \"text\": \"other\"}\n");
    const auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 2u);
    EXPECT_EQ(conversations[0].id, "5");
    EXPECT_EQ(texts(conversations[0]), (std::vector<std::string>{"sooner", "later"}));
    EXPECT_EQ(conversations[0].utterances[0].label, "joy");
    EXPECT_EQ(conversations[0].utterances[0].sentiment, "positive");
    EXPECT_EQ(conversations[0].utterances[0].source, path + ":3");
    EXPECT_EQ(conversations[1].id, "x");
}

TEST_F(ConversationReader, JsonDocumentGivesEachUtteranceTheLineItStartsOn) {
    const auto path = write("talk.json",
                            "{\n"
                            "  \"dialogue_id\": \"d\",\n"
                            "  \"utterances\": [\n"
                            "    {\"speaker\": \"A\", \"text\": \"hello\", \"label\": \"joy\"},\n"
                            "    {\n"
                            "      \"speaker\": \"B\", \"text\": \"hi\"\n"
                            "    }\n"
                            "  ]\n"
                            "}\n");
    const auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 1u);
    EXPECT_EQ(conversations[0].id, "d");
    ASSERT_EQ(conversations[0].utterances.size(), 2u);
    EXPECT_EQ(conversations[0].utterances[0].label, "joy");
    EXPECT_EQ(conversations[0].utterances[0].source, path + ":4");
    EXPECT_EQ(conversations[0].utterances[1].source, path + ":5");
    EXPECT_EQ(conversations[0].utterances[1].speaker, "B");
}

TEST_F(ConversationReader, JsonListOfDialoguesAndOneDialoguePerLineBothRead) {
    const auto list = write("list.json",
                            "[{\"dialogue_id\": \"x\", \"utterances\": [{\"speaker\": \"A\", \"text\": \"a\"}]},\n"
                            " {\"utterances\": [{\"speaker\": \"B\", \"text\": \"b\"}]}]\n");
    auto conversations = emo::read_conversations(list);
    ASSERT_EQ(conversations.size(), 2u);
    EXPECT_EQ(conversations[0].id, "x");
    EXPECT_EQ(conversations[1].id, "1") << "a dialogue without an id is named by its position";
    EXPECT_EQ(count_utterances(conversations), 2u);

    const auto lines = write("lines.json",
                             "{\"dialogue_id\": \"p\", \"utterances\": [{\"speaker\": \"A\", \"text\": \"a\"}]}\n"
                             "{\"dialogue_id\": \"q\", \"utterances\": [{\"speaker\": \"B\", \"text\": \"b\"}]}\n");
    conversations = emo::read_conversations(lines);
    ASSERT_EQ(conversations.size(), 2u);
    EXPECT_EQ(conversations[1].id, "q");
    EXPECT_EQ(conversations[1].utterances[0].source, lines + ":2");
}

TEST_F(ConversationReader, MeldCsvAsShippedWithCrlfQuotesAndCurlyQuotes) {
    const auto path = write("dev_sent_emo.csv",
                            "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,"
                            "StartTime,EndTime\r\n"
                            "1,\"Oh my God, he\xE2\x80\x99s lost it.\",Phoebe,sadness,negative,0,0,4,7,"
                            "\"00:20:57,256\",\"00:21:00,049\"\r\n"
                            "2,What?,Monica,surprise,negative,0,1,4,7,\"00:21:01,927\",\"00:21:03,261\"\r\n"
                            "3,Hey.,Joey,neutral,neutral,1,0,4,7,\"00:21:01,927\",\"00:21:03,261\"\r\n");
    for (auto format : {InputFormat::auto_detect, InputFormat::meld}) {
        const auto conversations = emo::read_conversations(path, with(format));
        ASSERT_EQ(conversations.size(), 2u);
        const auto& u = conversations[0].utterances.at(0);
        EXPECT_EQ(u.text, "Oh my God, he\xE2\x80\x99s lost it.");
        EXPECT_EQ(u.speaker, "Phoebe");
        EXPECT_EQ(u.label, "sadness");
        EXPECT_EQ(u.sentiment, "negative");
        EXPECT_EQ(u.source, path + ":2");
        EXPECT_EQ(conversations[1].id, "1");
    }
}

TEST_F(ConversationReader, EmoryNlpBuildsSceneIdsUnwrapsSpeakerListsAndKeepsLabelsVerbatim) {
    const auto path = write("emorynlp_dev_final.csv",
                            "Utterance,Speaker,Emotion,Scene_ID,Utterance_ID,Season,Episode,Start_Time,End_Time\n"
                            "Hi there.,['Monica Geller'],Joyful,3,1,1,2,a,b\n"
                            "Hey!,\"['Ross Geller', \"\"Joey's Date\"\"]\",Mad,3,2,1,2,a,b\n"
                            "Yes.,[],Neutral,4,1,1,2,a,b\n");
    for (auto format : {InputFormat::auto_detect, InputFormat::emorynlp}) {
        const auto conversations = emo::read_conversations(path, with(format));
        ASSERT_EQ(conversations.size(), 2u);
        EXPECT_EQ(conversations[0].id, "1_2_3");
        EXPECT_EQ(conversations[0].utterances.at(0).speaker, "Monica Geller");
        EXPECT_EQ(conversations[0].utterances.at(0).label, "Joyful");
        EXPECT_EQ(conversations[0].utterances.at(1).speaker, "Ross Geller, Joey's Date");
        EXPECT_EQ(conversations[0].utterances.at(1).label, "Mad");
        EXPECT_EQ(conversations[1].id, "1_2_4");
        EXPECT_EQ(conversations[1].utterances.at(0).speaker, "");
    }
}

TEST_F(ConversationReader, DailyDialogSplitsOnEouAlternatesSpeakersAndMapsLabelsToMeldNames) {
    const auto path = write("dialogues_test.txt",
                            "Hi , there . __eou__ Hello ! __eou__ Bye . __eou__\n"
                            "What ? __eou__ Wow . __eou__\n");
    write("dialogues_emotion_test.txt", "0 4 5 \n6 1 \n");
    const auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 2u);
    EXPECT_EQ(conversations[0].id, "0");
    EXPECT_EQ(texts(conversations[0]), (std::vector<std::string>{"Hi , there .", "Hello !", "Bye ."}));
    EXPECT_EQ(conversations[0].utterances[0].speaker, "A");
    EXPECT_EQ(conversations[0].utterances[1].speaker, "B");
    EXPECT_EQ(conversations[0].utterances[2].speaker, "A");
    EXPECT_EQ(conversations[0].utterances[0].label, "neutral");
    EXPECT_EQ(conversations[0].utterances[1].label, "joy");
    EXPECT_EQ(conversations[0].utterances[2].label, "sadness");
    EXPECT_EQ(conversations[1].id, "1");
    EXPECT_EQ(conversations[1].utterances[0].label, "surprise");
    EXPECT_EQ(conversations[1].utterances[1].label, "anger");
    EXPECT_EQ(conversations[1].utterances[1].source, path + ":2");
}

TEST_F(ConversationReader, DailyDialogLabelCountMismatchFailsNamingFileAndLineOrIsUnlabelledUnderSkip) {
    const auto path = write("dialogues_train.txt", "a __eou__ b __eou__\nc __eou__ d __eou__ e __eou__\n");
    write("dialogues_emotion_train.txt", "0 4\n0 1\n");
    const std::string message = error_of(path, with(InputFormat::dailydialog));
    EXPECT_NE(message.find(path + ":2: 3 utterances but 2 emotion labels"), std::string::npos) << message;
    EXPECT_NE(message.find("dialogues_emotion_train.txt:2"), std::string::npos) << message;

    const auto conversations = emo::read_conversations(path, with(InputFormat::dailydialog, ErrorPolicy::skip));
    ASSERT_EQ(conversations.size(), 2u);
    EXPECT_EQ(conversations[0].utterances[1].label, "joy");
    ASSERT_EQ(conversations[1].utterances.size(), 3u);
    for (const auto& u : conversations[1].utterances) {
        EXPECT_EQ(u.label, "");
        EXPECT_EQ(u.error, "");
    }
}

TEST_F(ConversationReader, DailyDialogWithoutEmotionFileOrFromAStreamReadsTextOnly) {
    const auto path = write("dialogues_validation.txt", "a __eou__ b __eou__\n");
    auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 1u);
    EXPECT_EQ(conversations[0].utterances.at(1).text, "b");
    EXPECT_EQ(conversations[0].utterances.at(1).label, "");

    std::istringstream in("x __eou__ y __eou__\n");
    conversations = emo::read_conversations(in, "-", with(InputFormat::dailydialog));
    ASSERT_EQ(conversations.size(), 1u);
    EXPECT_EQ(texts(conversations[0]), (std::vector<std::string>{"x", "y"}));
}

TEST_F(ConversationReader, DailyDialogIsDetectedByFileNameWhateverItsFirstCharacter) {
    const auto path = write("dialogues_odd.txt", "[ laughs ] Hi . __eou__ Hey . __eou__\n");
    const auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 1u);
    EXPECT_EQ(texts(conversations[0]), (std::vector<std::string>{"[ laughs ] Hi .", "Hey ."}));
}

TEST_F(ConversationReader, StreamOverloadUsesTheGivenNameInSources) {
    std::istringstream in("dialogue_id,speaker,text\n1,A,hello\n");
    const auto conversations = emo::read_conversations(in, "pasted");
    EXPECT_EQ(conversations.at(0).utterances.at(0).source, "pasted:2");
}

TEST_F(ConversationReader, UndetectableInputAsksForFormat) {
    const auto path = write("notes.txt", "just some words\nand more\n");
    EXPECT_EQ(error_of(path), "cannot detect the format of " + path + "; use --format");
}

// ----- bad input ------------------------------------------------------------------------------------------------

TEST_F(ConversationReader, EmptyFileIsAnError) {
    EXPECT_EQ(error_of(write("empty.csv", "")), dir_.string() + "/empty.csv: empty input");
    EXPECT_EQ(error_of(write("blank.jsonl", " \n\r\n")), dir_.string() + "/blank.jsonl: empty input");
}

TEST_F(ConversationReader, MissingFileIsAnErrorNamingIt) {
    const std::string missing = (dir_ / "nope.csv").string();
    const std::string message = error_of(missing);
    EXPECT_EQ(message.rfind("cannot open " + missing + ":", 0), 0u) << message;
}

TEST_F(ConversationReader, InvalidUtf8NamesFileLineAndColumn) {
    const auto path = write("dev.csv", "dialogue_id,speaker,text\n1,A,fine\n1,B,bad \xC3\x28 byte\n");
    EXPECT_EQ(error_of(path), path + ":3: invalid UTF-8 in column text");
    const auto jsonl = write("dev.jsonl", "{\"dialogue_id\": 1, \"text\": \"bad \xFF\"}\n");
    EXPECT_EQ(error_of(jsonl), jsonl + ":1: invalid UTF-8");
    const auto json = write("dev.json", "[\n{\"utterances\": [{\"text\": \"\xED\xA0\x80\"}]}]\n");
    EXPECT_EQ(error_of(json), json + ":2: invalid UTF-8");
}

TEST_F(ConversationReader, EmptyUtteranceIsAnError) {
    EXPECT_EQ(error_of(write("a.csv", "dialogue_id,speaker,text\n1,A,\"  \"\n")),
              dir_.string() + "/a.csv:2: empty utterance");
    EXPECT_EQ(error_of(write("a.jsonl", "{\"dialogue_id\": 1, \"text\": \"\"}\n")),
              dir_.string() + "/a.jsonl:1: empty utterance");
    EXPECT_EQ(error_of(write("dialogues_x.txt", "a __eou__  __eou__\n")),
              dir_.string() + "/dialogues_x.txt:1: empty utterance (#2)");
}

TEST_F(ConversationReader, CsvMissingColumnsAreNamed) {
    const auto path = write("a.csv", "dialogue_id,speaker,utterance\n1,A,hi\n");
    EXPECT_EQ(error_of(path, with(InputFormat::csv)), path + ":1: missing column(s) text");
    const auto meld = write("m.csv", "Utterance,Emotion\nhi,joy\n");
    EXPECT_EQ(error_of(meld, with(InputFormat::meld)), meld + ":1: missing column(s) speaker, dialogue_id");
}

TEST_F(ConversationReader, CsvRowWithFewerFieldsThanTheHeaderIsAnError) {
    const auto path = write("a.csv", "dialogue_id,speaker,text,label\n1,A,hi\n");
    EXPECT_EQ(error_of(path), path + ":2: expected 4 fields, found 3");
}

TEST_F(ConversationReader, CsvBrokenQuotingNamesTheLine) {
    const auto path = write("a.csv", "dialogue_id,speaker,text\n1,A,ok\n1,B,\"oops\"x\n");
    const std::string message = error_of(path);
    EXPECT_EQ(message.rfind(path + ":3: unexpected character 'x' after a closing quote", 0), 0u) << message;
    const auto open = write("b.csv", "dialogue_id,speaker,text\n1,A,\"never closed\n");
    EXPECT_EQ(error_of(open), open + ":2: unterminated quoted field");
}

TEST_F(ConversationReader, JsonSyntaxErrorsNameTheLine) {
    const auto jsonl = write("a.jsonl", "{\"dialogue_id\": 1, \"text\": \"a\"}\n{\"dialogue_id\": 1, \"text\": }\n");
    std::string message = error_of(jsonl);
    EXPECT_EQ(message.rfind(jsonl + ":2: invalid JSON", 0), 0u) << message;
    const auto json = write("a.json", "{\n  \"dialogue_id\": 1,\n  \"utterances\": [\n    {\"text\": \"a\",}\n]}\n");
    message = error_of(json);
    EXPECT_EQ(message.rfind(json + ":4: invalid JSON", 0), 0u) << message;
}

TEST_F(ConversationReader, BadUtteranceIdIsAnError) {
    const auto path = write("a.csv", "dialogue_id,utterance_id,speaker,text\n1,one,A,hi\n");
    EXPECT_EQ(error_of(path), path + ":2: utterance_id is not a number: \"one\"");
}

TEST_F(ConversationReader, SkipPolicyAccountsForEveryRecordInOrder) {
    const auto path = write("a.csv",
                            "dialogue_id,utterance_id,speaker,text\n"
                            "1,0,A,fine\n"
                            "1,1,B,\"\"\n"           // empty utterance
                            "1,2,A,\"bad\"quote\n"   // broken quoting: dialogue unknown
                            "1,3,B,bad \xFF\n"       // invalid UTF-8
                            "1,4\n"                  // short row
                            "2,0,A,other\n"
                            "1,5,A,last\n");
    const auto conversations = emo::read_conversations(path, skipping());
    EXPECT_EQ(sources(conversations),
              (std::vector<std::string>{path + ":2", path + ":3 error", path + ":5 error", path + ":6 error",
                                        path + ":8", path + ":4 error", path + ":7"}));
    ASSERT_EQ(conversations.size(), 3u);
    EXPECT_EQ(conversations[0].id, "1");
    EXPECT_EQ(conversations[1].id, "") << "an unreadable record gets a conversation of its own";
    EXPECT_EQ(conversations[1].utterances[0].error, path + ":4: unexpected character 'q' after a closing quote "
                                                           "(a quote inside a quoted field must be doubled)");
    EXPECT_EQ(conversations[0].utterances[1].error, path + ":3: empty utterance");
    EXPECT_EQ(conversations[0].utterances[2].error, path + ":5: invalid UTF-8 in column text");
    EXPECT_EQ(conversations[0].utterances[2].text, "");
    EXPECT_EQ(conversations[0].utterances[3].error, path + ":6: expected 4 fields, found 2");
}

TEST_F(ConversationReader, SkipPolicyKeepsBadJsonLinesAndDialogues) {
    const auto jsonl = write("a.jsonl",
                             "{\"dialogue_id\": 1, \"text\": \"a\"}\n"
                             "not json\n"
                             "[1]\n"
                             "{\"dialogue_id\": 1, \"speaker\": 3, \"text\": \"b\"}\n"
                             "{\"dialogue_id\": 1, \"text\": \"c\"}\n");
    auto conversations = emo::read_conversations(jsonl, skipping());
    EXPECT_EQ(sources(conversations), (std::vector<std::string>{jsonl + ":1", jsonl + ":4 error", jsonl + ":5",
                                                                jsonl + ":2 error", jsonl + ":3 error"}));

    const auto json = write("a.json",
                            "[{\"dialogue_id\": \"a\", \"utterances\": [{\"text\": \"x\"}, {\"speaker\": \"B\"}]},\n"
                            " {\"dialogue_id\": \"b\", \"utterances\": 3}]\n");
    conversations = emo::read_conversations(json, skipping());
    ASSERT_EQ(conversations.size(), 2u);
    EXPECT_EQ(conversations[0].utterances.at(1).error, json + ":1: missing field text");
    EXPECT_EQ(conversations[1].id, "b");
    EXPECT_EQ(conversations[1].utterances.at(0).error, json + ":2: utterances must be an array");
}

TEST_F(ConversationReader, JsonSyntaxErrorFailsEvenUnderSkipBecauseNoRecordCanBeRead) {
    const auto json = write("a.json", "[{\"dialogue_id\": 1, \"utterances\": [}\n");
    EXPECT_EQ(error_of(json, skipping()).rfind(json + ":1: invalid JSON", 0), 0u);
}

// ----- size -----------------------------------------------------------------------------------------------------

TEST_F(ConversationReader, ReadsAOneMegabyteUtterance) {
    const std::string big(1 << 20, 'w');
    auto conversations = emo::read_conversations(write("big.csv", "dialogue_id,speaker,text\n1,A,\"" + big + "\"\n"));
    EXPECT_EQ(conversations.at(0).utterances.at(0).text.size(), big.size());
    conversations = emo::read_conversations(write("big.jsonl", "{\"dialogue_id\":1,\"text\":\"" + big + "\"}\n"));
    EXPECT_EQ(conversations.at(0).utterances.at(0).text.size(), big.size());
}

TEST_F(ConversationReader, ReadsOneDialogueOfAHundredThousandUtterancesInUtteranceIdOrder) {
    constexpr int n = 100000;
    std::string csv = "dialogue_id,utterance_id,speaker,text\n";
    for (int i = n - 1; i >= 0; --i) csv += "d," + std::to_string(i) + ",S,u" + std::to_string(i) + "\n";
    const auto conversations = emo::read_conversations(write("long.csv", csv));
    ASSERT_EQ(conversations.size(), 1u);
    ASSERT_EQ(conversations[0].utterances.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(conversations[0].utterances.front().text, "u0");
    // append rather than "u" + ...: GCC 12 reports a false -Wrestrict for the latter at -O3.
    EXPECT_EQ(conversations[0].utterances.back().text, std::string("u").append(std::to_string(n - 1)));
}

TEST_F(ConversationReader, ReadsAJsonDialogueOfAHundredThousandUtterances) {
    constexpr int n = 100000;
    std::string json = "{\"dialogue_id\": \"long\", \"utterances\": [";
    for (int i = 0; i < n; ++i)
        json += std::string(i ? "," : "") + "\n{\"speaker\":\"S\",\"text\":\"u" + std::to_string(i) + "\"}";
    json += "]}\n";
    const auto path = write("long.json", json);
    const auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 1u);
    ASSERT_EQ(conversations[0].utterances.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(conversations[0].utterances.back().text, std::string("u").append(std::to_string(n - 1)));
    EXPECT_EQ(conversations[0].utterances.back().source, path + ":" + std::to_string(n + 1));
}

// ----- the staged data sets -------------------------------------------------------------------------------------

TEST(ConversationReaderData, MeldDevHas1109UtterancesIn114Dialogues) {
    const std::string path = data_dir + "/meld/dev_sent_emo.csv";
    if (!fs::exists(path)) GTEST_SKIP() << "MELD not staged at " << path;
    const auto conversations = emo::read_conversations(path);
    EXPECT_EQ(conversations.size(), 114u);
    EXPECT_EQ(count_utterances(conversations), 1109u);
    EXPECT_EQ(conversations[0].utterances[0].speaker, "Phoebe");
    EXPECT_EQ(conversations[0].utterances[0].label, "sadness");
}

TEST(ConversationReaderData, MeldDyadicDevParses) {
    const std::string path = data_dir + "/meld/dyadic/dev_sent_emo_dya.csv";
    if (!fs::exists(path)) GTEST_SKIP() << "MELD dyadic not staged at " << path;
    const auto conversations = emo::read_conversations(path, with(InputFormat::meld));
    EXPECT_EQ(count_utterances(conversations), 1462u);
    for (const auto& c : conversations)
        for (const auto& u : c.utterances) EXPECT_FALSE(u.label.empty()) << u.source;
}

TEST(ConversationReaderData, DailyDialogValidationHas8069UtterancesIn1000Dialogues) {
    const std::string path = data_dir + "/dailydialog/validation/dialogues_validation.txt";
    if (!fs::exists(path)) GTEST_SKIP() << "DailyDialog not staged at " << path;
    const auto conversations = emo::read_conversations(path);
    EXPECT_EQ(conversations.size(), 1000u);
    EXPECT_EQ(count_utterances(conversations), 8069u);
    for (const auto& c : conversations)
        for (const auto& u : c.utterances) ASSERT_FALSE(u.label.empty()) << u.source;
}

TEST(ConversationReaderData, DailyDialogTrainLine7852IsAnErrorUnlessSkipped) {
    const std::string path = data_dir + "/dailydialog/train/dialogues_train.txt";
    if (!fs::exists(path)) GTEST_SKIP() << "DailyDialog not staged at " << path;
    try {
        emo::read_conversations(path);
        FAIL() << "no error";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find(path + ":7852: 12 utterances but 11 emotion labels"), std::string::npos)
            << e.what();
    }
    const auto conversations = emo::read_conversations(path, skipping());
    EXPECT_EQ(conversations.size(), 11118u);
    EXPECT_EQ(count_utterances(conversations), 87171u);
    EXPECT_EQ(conversations[7851].utterances.at(0).label, "");
    EXPECT_EQ(conversations[7851].utterances.at(0).error, "");
}

}  // namespace
