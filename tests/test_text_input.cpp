// Tests for src/io/text_input: single-text records from plain lines, CSV, JSON Lines and GoEmotions TSV.
#include "scratch_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "emo/emo.hpp"

namespace {

namespace fs = std::filesystem;
using emo::ErrorPolicy;
using emo::TextFormat;
using emo::TextReadOptions;
using emo::TextRecord;
using Strings = std::vector<std::string>;

const std::string data_dir = EMO_SOURCE_DIR "/../shared/data";

// Each test writes its fixtures into a fresh directory of its own.
class TextInput : public emo_test::ScratchDirTest {
protected:
    TextInput() : ScratchDirTest("emo_text_input_") {}

    // The message of the Error that reading throws, "" when it does not throw.
    static std::string error_of(const std::string& path, const TextReadOptions& options = {}) {
        try {
            emo::read_texts(path, options);
        } catch (const emo::Error& e) {
            return e.what();
        }
        return "";
    }

};

TextReadOptions with(TextFormat format, ErrorPolicy policy = ErrorPolicy::fail) {
    TextReadOptions options;
    options.format = format;
    options.on_error = policy;
    return options;
}

TextReadOptions skipping() { return with(TextFormat::auto_detect, ErrorPolicy::skip); }

TextReadOptions targets(Strings names) {
    TextReadOptions options;
    options.target_names = std::move(names);
    return options;
}

Strings texts(const std::vector<TextRecord>& records) {
    Strings out;
    for (const auto& r : records) out.push_back(r.text);
    return out;
}

// Every record's source, marked when it carries an error, to check that skip accounts for every record in order.
Strings sources(const std::vector<TextRecord>& records) {
    Strings out;
    for (const auto& r : records) out.push_back(r.source + (r.error.empty() ? "" : " error"));
    return out;
}

// ----- formats -------------------------------------------------------------------------------------------------

TEST_F(TextInput, LinesKeepEveryLineUntrimmedWithEmptyLinesAsRecords) {
    const auto path = write("a.txt", "  padded \r\n\r\nsecond\tline\nlast without newline");
    const auto records = emo::read_texts(path);
    EXPECT_EQ(texts(records), (Strings{"  padded ", "", "second\tline", "last without newline"}));
    EXPECT_EQ(sources(records), (Strings{path + ":1", path + ":2", path + ":3", path + ":4"}));
}

TEST_F(TextInput, LinesFinalNewlineAddsNoRecordAndEmptyFileHasNone) {
    EXPECT_EQ(texts(emo::read_texts(write("a.txt", "one\ntwo\n"))), (Strings{"one", "two"}));
    EXPECT_EQ(texts(emo::read_texts(write("b.txt", "\n"))), (Strings{""}));
    EXPECT_TRUE(emo::read_texts(write("c.txt", "")).empty());
}

TEST_F(TextInput, LinesKeepControlCharactersAndInnerCarriageReturns) {
    EXPECT_EQ(texts(emo::read_texts(write("a.txt", "a\x01z\rb\x7f\r\n"))), (Strings{"a\x01z\rb\x7f"}));
}

TEST_F(TextInput, ByteOrderMarkIsRemovedInEveryFormat) {
    EXPECT_EQ(texts(emo::read_texts(write("a.txt", "\xEF\xBB\xBFhello\n"))), (Strings{"hello"}));
    EXPECT_EQ(texts(emo::read_texts(write("a.csv", "\xEF\xBB\xBFtext\nhello\n"))), (Strings{"hello"}));
    EXPECT_EQ(texts(emo::read_texts(write("a.jsonl", "\xEF\xBB\xBF{\"text\": \"hello\"}\n"))), (Strings{"hello"}));
}

TEST_F(TextInput, LinesAccountForTargetsAsNan) {
    const auto records = emo::read_texts(write("a.txt", "x\n"), targets({"V", "A"}));
    ASSERT_EQ(records.size(), 1u);
    ASSERT_EQ(records[0].targets.size(), 2u);
    EXPECT_TRUE(std::isnan(records[0].targets[0]) && std::isnan(records[0].targets[1]));
}

TEST_F(TextInput, VeryLongLineIsOneRecord) {
    const std::string text(1 << 20, 'x');
    const auto records = emo::read_texts(write("a.txt", "short\n" + text + "\n"));
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1].text, text);
}

TEST_F(TextInput, CsvReadsIdSplitLabelsAndTargetsWithHeadersInAnyCase) {
    const auto path = write("a.csv",
                            "ID,Split,V,A,Text,Emotions\r\n"
                            "s1,train,3.5,2,\"Hello, \"\"world\"\"\",\" joy, ,anger \"\r\n"
                            "s2, dev ,,4,\"two\nlines\",\r\n"
                            "s3,test,1e0,5,  spaced  ,fear\r\n");
    const auto records = emo::read_texts(path, targets({"A", "V"}));
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(texts(records), (Strings{"Hello, \"world\"", "two\nlines", "  spaced  "}));
    EXPECT_EQ(sources(records), (Strings{path + ":2", path + ":3", path + ":5"}));
    EXPECT_EQ(records[0].id, "s1");
    EXPECT_EQ(records[0].split, "train");
    EXPECT_EQ(records[1].split, "dev");
    EXPECT_EQ(records[0].labels, (Strings{"joy", "anger"}));
    EXPECT_TRUE(records[1].labels.empty());
    EXPECT_EQ(records[0].targets, (std::vector<double>{2, 3.5}));
    EXPECT_EQ(records[1].targets[0], 4);
    EXPECT_TRUE(std::isnan(records[1].targets[1])) << "an empty cell is a missing value";
    EXPECT_EQ(records[2].targets, (std::vector<double>{5, 1}));
}

TEST_F(TextInput, CsvLabelColumnMayBeCalledLabelOrLabels) {
    EXPECT_EQ(emo::read_texts(write("a.csv", "text,label\nhi,joy\n"))[0].labels, (Strings{"joy"}));
    EXPECT_EQ(emo::read_texts(write("b.csv", "labels,text\n\"a,b\",hi\n"))[0].labels, (Strings{"a", "b"}));
}

TEST_F(TextInput, CsvWithoutTextColumnThrowsNamingFileAndHeaderWhateverThePolicy) {
    const auto path = write("a.csv", "id,utterance\n1,hi\n");
    const std::string expected = path + ":1: missing column text (header: id, utterance)";
    EXPECT_EQ(error_of(path), expected);
    EXPECT_EQ(error_of(path, skipping()), expected);
}

TEST_F(TextInput, CsvTargetColumnsMatchCaseSensitivelyAndMissingOnesAreNamed) {
    const auto path = write("a.csv", "text,v,A\nhi,1,2\n");
    EXPECT_EQ(error_of(path, targets({"A", "V"})), path + ":1: missing column V (header: text, v, A)");
}

TEST_F(TextInput, CsvNonNumberTargetIsARecordError) {
    const auto path = write("a.csv", "text,V\nfine,1\nbad,high\n");
    EXPECT_EQ(error_of(path, targets({"V"})), path + ":3: V is not a number: \"high\"");
    TextReadOptions options = targets({"V"});
    options.on_error = ErrorPolicy::skip;
    const auto records = emo::read_texts(path, options);
    EXPECT_EQ(sources(records), (Strings{path + ":2", path + ":3 error"}));
    EXPECT_EQ(records[1].error, path + ":3: V is not a number: \"high\"");
    EXPECT_EQ(records[1].targets.size(), 1u);
}

TEST_F(TextInput, CsvShortRowIsARecordError) {
    const auto path = write("a.csv", "id,text,label\n1,hi\n");
    EXPECT_EQ(error_of(path), path + ":2: expected 3 fields, found 2");
}

TEST_F(TextInput, CsvBrokenQuotingUnderSkipKeepsAnErrorRecordAndGoesOn) {
    const auto path = write("a.csv", "id,text\n1,ok\n2,\"bad\"quote\n3,after\n");
    const std::string message = error_of(path);
    EXPECT_EQ(message.rfind(path + ":3: unexpected character 'q' after a closing quote", 0), 0u) << message;
    const auto records = emo::read_texts(path, skipping());
    EXPECT_EQ(sources(records), (Strings{path + ":2", path + ":3 error", path + ":4"}));
    EXPECT_EQ(records[1].error, message);
    EXPECT_EQ(texts(records), (Strings{"ok", "", "after"}));
}

TEST_F(TextInput, JsonlReadsIdsLabelsTargetsAndSplitAndSkipsBlankLines) {
    const auto path = write("a.jsonl",
                            "{\"text\": \" one \", \"id\": 7, \"split\": \"dev\", \"labels\": [\"joy\", \" fear\"], "
                            "\"V\": 3.5, \"A\": null}\r\n"
                            "\n"
                            "   \n"
                            "{\"text\": \"two\", \"id\": \"x2\", \"labels\": \"a, b,\", \"V\": \"2.5\"}\n"
                            "{\"text\": \"three\", \"label\": \"sad\", \"A\": 1}\n");
    const auto records = emo::read_texts(path, targets({"V", "A"}));
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(texts(records), (Strings{" one ", "two", "three"}));
    EXPECT_EQ(sources(records), (Strings{path + ":1", path + ":4", path + ":5"}));
    EXPECT_EQ(records[0].id, "7");
    EXPECT_EQ(records[1].id, "x2");
    EXPECT_EQ(records[2].id, "");
    EXPECT_EQ(records[0].split, "dev");
    EXPECT_EQ(records[0].labels, (Strings{"joy", "fear"}));
    EXPECT_EQ(records[1].labels, (Strings{"a", "b"}));
    EXPECT_EQ(records[2].labels, (Strings{"sad"}));
    EXPECT_EQ(records[0].targets[0], 3.5);
    EXPECT_TRUE(std::isnan(records[0].targets[1])) << "null is a missing value";
    EXPECT_EQ(records[1].targets[0], 2.5) << "a string holding a number is accepted";
    EXPECT_TRUE(std::isnan(records[1].targets[1])) << "an absent field is a missing value";
    EXPECT_EQ(records[2].targets[1], 1);
}

TEST_F(TextInput, JsonlSyntaxErrorFailsNamingTheLineOrIsKeptInOrderUnderSkip) {
    const auto path = write("a.jsonl", "{\"text\": \"a\"}\n{\"text\": }\n{\"text\": \"c\"}\n");
    const std::string message = error_of(path);
    EXPECT_EQ(message.rfind(path + ":2: invalid JSON", 0), 0u) << message;
    const auto records = emo::read_texts(path, skipping());
    EXPECT_EQ(sources(records), (Strings{path + ":1", path + ":2 error", path + ":3"}));
    EXPECT_EQ(records[1].error, message);
}

TEST_F(TextInput, JsonlNumberTooLargeForADoubleIsARecordError) {
    const auto path = write("a.jsonl", "{\"text\": \"a\", \"V\": 6e666666}\n");
    const std::string message = error_of(path);
    EXPECT_EQ(message.rfind(path + ":1: invalid JSON: number overflow", 0), 0u) << message;
}

TEST_F(TextInput, JsonlFieldsOfTheWrongKindAreRecordErrors) {
    const auto path = write("a.jsonl",
                            "[1]\n"
                            "{\"id\": 1}\n"
                            "{\"text\": 5}\n"
                            "{\"text\": \"x\", \"labels\": [1]}\n"
                            "{\"text\": \"x\", \"V\": true}\n"
                            "{\"text\": \"x\", \"id\": [1]}\n");
    TextReadOptions options = targets({"V"});
    options.on_error = ErrorPolicy::skip;
    const auto records = emo::read_texts(path, options);
    ASSERT_EQ(records.size(), 6u);
    EXPECT_EQ(records[0].error, path + ":1: expected a JSON object");
    EXPECT_EQ(records[1].error, path + ":2: missing field text");
    EXPECT_EQ(records[1].id, "1") << "a skipped record keeps the fields that were readable";
    EXPECT_EQ(records[2].error, path + ":3: text must be a string");
    EXPECT_EQ(records[3].error, path + ":4: labels must be an array of strings or a comma-separated string");
    EXPECT_EQ(records[4].error, path + ":5: V must be a number");
    EXPECT_EQ(records[5].error, path + ":6: id must be a string or a number");
}

TEST_F(TextInput, GoEmotionsMapsIdsToNamesFromEmotionsTxtBesideTheFile) {
    write("emotions.txt", "admiration\namusement\r\nanger");  // no final newline
    const auto path = write("train.tsv",
                            "He said \"hi\"\t0,2\teebbqej\r\n"
                            "\"unbalanced quote\t1\ted00q6i\n");
    const auto records = emo::read_texts(path);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(texts(records), (Strings{"He said \"hi\"", "\"unbalanced quote"}));
    EXPECT_EQ(records[0].labels, (Strings{"admiration", "anger"}));
    EXPECT_EQ(records[1].labels, (Strings{"amusement"}));
    EXPECT_EQ(records[0].id, "eebbqej");
    EXPECT_EQ(sources(records), (Strings{path + ":1", path + ":2"}));
}

TEST_F(TextInput, GoEmotionsLabelNamesFromOptionsComeFirst) {
    write("emotions.txt", "admiration\namusement\n");
    TextReadOptions options;
    options.label_names = {"x", "y"};
    EXPECT_EQ(emo::read_texts(write("a.tsv", "t\t1\tid\n"), options)[0].labels, (Strings{"y"}));
}

TEST_F(TextInput, GoEmotionsWithoutLabelNamesThrowsWhateverThePolicy) {
    const auto path = write("a.tsv", "t\t1\tid\n");
    const std::string expected = "no label names for goemotions ids: give --labels or put emotions.txt beside " + path;
    EXPECT_EQ(error_of(path), expected);
    EXPECT_EQ(error_of(path, skipping()), expected);
}

TEST_F(TextInput, GoEmotionsBadIdsAndFieldCountsAreRecordErrors) {
    write("emotions.txt", "a\nb\n");
    const auto path = write("a.tsv", "ok\t0,1\tid1\nt\t2\tid2\nt\t-1\tid3\nt\tx\tid4\nonly\ttwo\nt\t0\tid6\textra\n");
    EXPECT_EQ(error_of(path), path + ":2: label id \"2\" is not an integer in [0, 2)");
    const auto records = emo::read_texts(path, skipping());
    EXPECT_EQ(sources(records),
              (Strings{path + ":1", path + ":2 error", path + ":3 error", path + ":4 error", path + ":5 error",
                       path + ":6 error"}));
    EXPECT_EQ(records[0].labels, (Strings{"a", "b"}));
    EXPECT_EQ(records[2].error, path + ":3: label id \"-1\" is not an integer in [0, 2)");
    EXPECT_EQ(records[4].error, path + ":5: expected 3 tab-separated fields (text, label ids, id), found 2");
    EXPECT_EQ(records[5].error, path + ":6: expected 3 tab-separated fields (text, label ids, id), found 4");
}

TEST_F(TextInput, FormatIsDetectedByExtensionAndCanBeForced) {
    const std::string csv = "text\nhello\n";
    EXPECT_EQ(texts(emo::read_texts(write("a.csv", csv))), (Strings{"hello"}));
    EXPECT_EQ(texts(emo::read_texts(write("a.CSV", csv))), (Strings{"hello"}));
    EXPECT_EQ(texts(emo::read_texts(write("a.txt", csv))), (Strings{"text", "hello"}));
    EXPECT_EQ(texts(emo::read_texts(write("noext", csv))), (Strings{"text", "hello"}));
    EXPECT_EQ(texts(emo::read_texts(write("a.txt", csv), with(TextFormat::csv))), (Strings{"hello"}));
    const std::string jsonl = "{\"text\": \"hi\"}\n";
    EXPECT_EQ(texts(emo::read_texts(write("a.jsonl", jsonl))), (Strings{"hi"}));
    EXPECT_EQ(texts(emo::read_texts(write("a.ndjson", jsonl))), (Strings{"hi"}));
    write("emotions.txt", "joy\n");
    EXPECT_EQ(emo::read_texts(write("a.tsv", "hi\t0\tid\n"))[0].labels, (Strings{"joy"}));
    EXPECT_EQ(texts(emo::read_texts(write("b.tsv", "hi\t0\tid\n"), with(TextFormat::lines))),
              (Strings{"hi\t0\tid"}));
}

TEST_F(TextInput, StreamOverloadDetectsTheFormatAndNamesSourcesByTheGivenName) {
    std::istringstream jsonl("{\"text\": \"hi\"}\n");
    const auto records = emo::read_texts(jsonl, "pasted.jsonl");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].text, "hi");
    EXPECT_EQ(records[0].source, "pasted.jsonl:1");
    std::istringstream lines("{\"text\": \"hi\"}\n");
    EXPECT_EQ(texts(emo::read_texts(lines, "stdin")), (Strings{"{\"text\": \"hi\"}"}));
}

TEST_F(TextInput, FormatNamesParse) {
    EXPECT_EQ(emo::parse_text_format("auto"), TextFormat::auto_detect);
    EXPECT_EQ(emo::parse_text_format("lines"), TextFormat::lines);
    EXPECT_EQ(emo::parse_text_format("csv"), TextFormat::csv);
    EXPECT_EQ(emo::parse_text_format("jsonl"), TextFormat::jsonl);
    EXPECT_EQ(emo::parse_text_format("goemotions"), TextFormat::goemotions);
    EXPECT_THROW(emo::parse_text_format("tsv"), emo::Error);
}

// ----- bad input ------------------------------------------------------------------------------------------------

TEST_F(TextInput, InvalidUtf8FailsNamingLineAndByte) {
    const auto path = write("a.txt", "fine\nab\xFF" "c\n");
    EXPECT_EQ(error_of(path), path + ":2: invalid UTF-8 in text at byte 3");
    const auto csv = write("a.csv", "id,text\n1,\"x\ny\xC3\x28\"\n");
    EXPECT_EQ(error_of(csv), csv + ":2: invalid UTF-8 in text at byte 4");
    const auto jsonl = write("a.jsonl", "{\"text\": \"\xED\xA0\x80\"}\n");
    EXPECT_EQ(error_of(jsonl), jsonl + ":1: invalid UTF-8 at byte 11");
}

TEST_F(TextInput, InvalidUtf8UnderSkipKeepsTheRecordInOrderWithoutItsText) {
    const auto path = write("a.txt", "one\nbad \xC0\xAF\nthree\n");
    const auto records = emo::read_texts(path, skipping());
    EXPECT_EQ(sources(records), (Strings{path + ":1", path + ":2 error", path + ":3"}));
    EXPECT_EQ(records[1].error, path + ":2: invalid UTF-8 in text at byte 5");
    EXPECT_EQ(texts(records), (Strings{"one", "", "three"}));

    const auto csv = write("a.csv", "id,text\n1,ok\n2,bad \xFF\n");
    const auto rows = emo::read_texts(csv, skipping());
    EXPECT_EQ(sources(rows), (Strings{csv + ":2", csv + ":3 error"}));
    EXPECT_EQ(rows[1].id, "2") << "a skipped record keeps the fields that were readable";
}

TEST_F(TextInput, MissingFileOrDirectoryThrowsNamingThePathWhateverThePolicy) {
    const std::string missing = (dir_ / "nope.txt").string();
    const std::string message = error_of(missing, skipping());
    EXPECT_EQ(message.rfind("cannot open " + missing + ":", 0), 0u) << message;
    EXPECT_EQ(error_of(dir_.string(), skipping()), "cannot open " + dir_.string() + ": it is a directory");
}

// ----- real data, when present ----------------------------------------------------------------------------------

TEST_F(TextInput, GoEmotionsDevSetReadsEveryLineWithLabels) {
    const std::string path = data_dir + "/goemotions/dev.tsv";
    if (!fs::exists(path)) GTEST_SKIP() << path << " not present";
    const auto records = emo::read_texts(path);
    EXPECT_EQ(records.size(), 5426u);
    for (const auto& r : records) {
        ASSERT_TRUE(r.error.empty()) << r.error;
        ASSERT_FALSE(r.labels.empty()) << r.source;
        ASSERT_FALSE(r.id.empty()) << r.source;
    }
}

TEST_F(TextInput, EmoBankReadsSplitsAndThreeTargets) {
    const std::string path = data_dir + "/emobank/emobank.csv";
    if (!fs::exists(path)) GTEST_SKIP() << path << " not present";
    const auto records = emo::read_texts(path, targets({"V", "A", "D"}));
    EXPECT_EQ(records.size(), 9062u);
    for (const auto& r : records) {
        ASSERT_TRUE(r.error.empty()) << r.error;
        ASSERT_TRUE(r.split == "train" || r.split == "dev" || r.split == "test") << r.source << " " << r.split;
        ASSERT_EQ(r.targets.size(), 3u);
        for (double v : r.targets) ASSERT_TRUE(v >= 1 && v <= 5) << r.source;
    }
}

}  // namespace
