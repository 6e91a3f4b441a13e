// The readers' cause annotations: CSV causes / cause_spans columns and the JSON causes field (docs/formats.md).
#include "scratch_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "emo/emo.hpp"

namespace {

namespace fs = std::filesystem;
using emo::CauseAnnotation;
using emo::ErrorPolicy;
using emo::ReadOptions;
using Strings = std::vector<std::string>;

class CauseFields : public emo_test::ScratchDirTest {
protected:
    CauseFields() : ScratchDirTest("emo_causes_") {}
};

std::string error_of(const std::string& path) {
    try {
        emo::read_conversations(path);
    } catch (const emo::Error& e) {
        return e.what();
    }
    return "";
}

// "index:span" per cause, "b" for latent; "unannotated" when the utterance has no annotation at all.
Strings causes_of(const emo::Utterance& u) {
    if (!u.causes_annotated) return {"unannotated"};
    Strings out;
    for (const CauseAnnotation& c : u.causes)
        out.push_back((c.index == CauseAnnotation::latent ? "b" : std::to_string(c.index)) + ":" + c.span);
    return out;
}

// ----- CSV ------------------------------------------------------------------------------------------------------

TEST_F(CauseFields, CsvCausesAreIndicesOrBSeparatedBySemicolonsWithSpansSeparatedByBars) {
    const auto path = write("talk.csv",
                            "dialogue_id,utterance_id,speaker,text,label,causes,cause_spans\n"
                            "d,1,B,\"Really, the job?\",surprise,0; 1 ;b,got the job | |\n"
                            "d,0,A,I got the job!,joy,b,\n"
                            "d,2,A,Yes.,neutral,-,\n"
                            "d,3,B,Nice.,joy,,\n"
                            "d,4,A,Thanks.,joy,3;0,Nice.\n");
    const auto conversations = emo::read_conversations(path);
    ASSERT_EQ(conversations.size(), 1u);
    const auto& u = conversations[0].utterances;
    ASSERT_EQ(u.size(), 5u);
    EXPECT_EQ(causes_of(u[0]), Strings{"b:"});
    EXPECT_EQ(causes_of(u[1]), (Strings{"0:got the job", "1:", "b:"}));
    EXPECT_EQ(causes_of(u[2]), Strings{}) << "\"-\": annotated, no cause";
    EXPECT_EQ(causes_of(u[3]), Strings{"unannotated"}) << "an empty cell";
    EXPECT_EQ(causes_of(u[4]), (Strings{"3:Nice.", "0:"})) << "fewer spans than causes";
}

TEST_F(CauseFields, CsvWithoutCauseColumnsOrWithOnlySpansIsUnannotated) {
    const auto plain = write("a.csv", "dialogue_id,speaker,text\nd,A,hi\n");
    EXPECT_EQ(causes_of(emo::read_conversations(plain).at(0).utterances.at(0)), Strings{"unannotated"});
    const auto spans_only = write("b.csv", "dialogue_id,speaker,text,cause_spans\nd,A,hi,\n");
    EXPECT_EQ(causes_of(emo::read_conversations(spans_only).at(0).utterances.at(0)), Strings{"unannotated"});
}

TEST_F(CauseFields, CsvBadCausesAreRecordErrorsNamingTheColumnAsTheHeaderSpellsIt) {
    const std::string not_index = "\" is not an utterance index (an integer from 0) or \"b\"";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"x,", "Causes: \"x" + not_index},
        {"1;two,", "Causes: \"two" + not_index},
        {"-1,", "Causes: \"-1" + not_index},
        {"1.5,", "Causes: \"1.5" + not_index},
        {"1;,", "Causes: \"" + not_index},
        {"B,", "Causes: \"B" + not_index},
        {"99999999999999999999,", "Causes: \"99999999999999999999" + not_index},
        {",a span", "Cause_Spans given without Causes"},
        {"-,a span", "Cause_Spans has 1 spans but Causes has 0 causes"},
        {"1,a|b", "Cause_Spans has 2 spans but Causes has 1 causes"},
        {"\xFF,", "invalid UTF-8 in column Causes"},
    };
    for (const auto& [cells, error] : cases) {
        const auto path =
            write("a.csv", "dialogue_id,speaker,text,Causes,Cause_Spans\nd,A,ok,,\nd,B,hi," + cells + "\n");
        EXPECT_EQ(error_of(path), path + ":3: " + error) << cells;
        ReadOptions skip;
        skip.on_error = ErrorPolicy::skip;
        const auto conversations = emo::read_conversations(path, skip);
        ASSERT_EQ(conversations.at(0).utterances.size(), 2u) << cells;
        EXPECT_EQ(conversations[0].utterances[1].error, path + ":3: " + error) << cells;
    }
}

TEST_F(CauseFields, MeldAndEmoryNlpIgnoreACausesColumn) {
    const auto path = write("dev_sent_emo.csv",
                            "Utterance,Speaker,Emotion,Dialogue_ID,Utterance_ID,causes\nHi.,Ann,joy,0,0,oops\n");
    EXPECT_EQ(causes_of(emo::read_conversations(path).at(0).utterances.at(0)), Strings{"unannotated"});
}

// ----- JSON Lines and JSON --------------------------------------------------------------------------------------

TEST_F(CauseFields, JsonlCausesAreIndicesBOrObjectsWithIndexAndSpan) {
    const auto path = write("talk.jsonl",
                            "{\"dialogue_id\": \"d\", \"text\": \"a\", \"causes\": [0, \"b\", {\"index\": 2, "
                            "\"span\": \" the job \"}, {\"index\": \"b\"}, {\"index\": 1, \"span\": null}]}\n"
                            "{\"dialogue_id\": \"d\", \"text\": \"b\", \"causes\": []}\n"
                            "{\"dialogue_id\": \"d\", \"text\": \"c\", \"causes\": null}\n"
                            "{\"dialogue_id\": \"d\", \"text\": \"d\"}\n");
    const auto conversations = emo::read_conversations(path);
    const auto& u = conversations.at(0).utterances;
    ASSERT_EQ(u.size(), 4u);
    EXPECT_EQ(causes_of(u[0]), (Strings{"0:", "b:", "2:the job", "b:", "1:"}));
    EXPECT_EQ(causes_of(u[1]), Strings{});
    EXPECT_EQ(causes_of(u[2]), Strings{"unannotated"});
    EXPECT_EQ(causes_of(u[3]), Strings{"unannotated"});
}

TEST_F(CauseFields, JsonDocumentCausesIncludingObjectItems) {
    const auto path = write("talk.json",
                            "{\"dialogue_id\": \"d\", \"utterances\": [\n"
                            "  {\"speaker\": \"A\", \"text\": \"I got the job!\"},\n"
                            "  {\"speaker\": \"B\", \"text\": \"Wow!\","
                            " \"causes\": [{\"index\": 0, \"span\": \"got\"}]}\n"
                            "]}\n");
    const auto conversations = emo::read_conversations(path);
    const auto& u = conversations.at(0).utterances;
    ASSERT_EQ(u.size(), 2u);
    EXPECT_EQ(causes_of(u[0]), Strings{"unannotated"});
    EXPECT_EQ(causes_of(u[1]), Strings{"0:got"});
    EXPECT_EQ(u[1].source, path + ":3");
}

TEST_F(CauseFields, JsonBadCausesAreRecordErrorsNamingTheField) {
    const std::string kinds = "an utterance index (an integer from 0) or \"b\"";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"\"0\"", "causes must be an array"},
        {"{\"index\": 0}", "causes must be an array"},
        {"[1.5]", "causes[0] must be " + kinds + " or an object with index and span"},
        {"[0, -1]", "causes[1] must be " + kinds + " or an object with index and span"},
        {"[\"B\"]", "causes[0] must be " + kinds + " or an object with index and span"},
        {"[null]", "causes[0] must be " + kinds + " or an object with index and span"},
        {"[[0]]", "causes[0] must be " + kinds + " or an object with index and span"},
        {"[18446744073709551615]", "causes[0] must be " + kinds + " or an object with index and span"},
        {"[{\"span\": \"x\"}]", "causes[0].index must be " + kinds},
        {"[{\"index\": \"1\"}]", "causes[0].index must be " + kinds},
        {"[{\"index\": 1, \"span\": 3}]", "causes[0].span must be a string"},
    };
    for (const auto& [causes, error] : cases) {
        const auto jsonl = write("a.jsonl", "{\"dialogue_id\": 1, \"text\": \"ok\"}\n"
                                            "{\"dialogue_id\": 1, \"text\": \"x\", \"causes\": " + causes + "}\n");
        EXPECT_EQ(error_of(jsonl), jsonl + ":2: " + error) << causes;
        const auto json = write("a.json", "{\"dialogue_id\": 1, \"utterances\": [\n"
                                          "{\"text\": \"x\", \"causes\": " + causes + "}]}\n");
        EXPECT_EQ(error_of(json), json + ":2: " + error) << causes;
    }
}

TEST_F(CauseFields, LargestIndexThatFitsIsKept) {
    const auto path = write("a.jsonl", "{\"dialogue_id\": 1, \"text\": \"x\", \"causes\": [9223372036854775807]}\n");
    EXPECT_EQ(causes_of(emo::read_conversations(path).at(0).utterances.at(0)), Strings{"9223372036854775807:"});
}

}  // namespace
