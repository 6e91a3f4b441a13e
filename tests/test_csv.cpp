#include "io/csv.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "emo/emo.hpp"

namespace {

using emo::io::CsvReader;
using emo::io::CsvRecord;

std::vector<CsvRecord> read_all(std::string_view data) {
    CsvReader reader(data, "t.csv");
    std::vector<CsvRecord> out;
    CsvRecord record;
    while (reader.next(record)) out.push_back(record);
    return out;
}

std::string error_of(std::string_view data) {
    try {
        read_all(data);
    } catch (const emo::Error& e) {
        return e.what();
    }
    return "";
}

TEST(Csv, ReadsPlainRecordsWithTheirLineNumbers) {
    auto records = read_all("a,b,c\n1,2,3\n");
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(records[1].fields, (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ(records[0].line, 1u);
    EXPECT_EQ(records[1].line, 2u);
}

TEST(Csv, UnquotesFieldsAndUnescapesDoubledQuotes) {
    auto records = read_all("\"a,b\",\"say \"\"hi\"\"\",\"\"\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a,b", "say \"hi\"", ""}));
}

TEST(Csv, EmbeddedNewlinesStayInTheFieldAndCountTowardsLaterLines) {
    auto records = read_all("x,\"one\ntwo\r\nthree\"\ny,z\n");
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].fields[1], "one\ntwo\r\nthree");
    EXPECT_EQ(records[0].line, 1u);
    EXPECT_EQ(records[1].line, 4u);
}

TEST(Csv, AcceptsCrlfLfAndAMissingFinalLineEnd) {
    auto records = read_all("a,b\r\nc,d\ne,f");
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(records[1].fields, (std::vector<std::string>{"c", "d"}));
    EXPECT_EQ(records[2].fields, (std::vector<std::string>{"e", "f"}));
    EXPECT_EQ(records[2].line, 3u);
}

TEST(Csv, SkipsTheByteOrderMark) {
    auto records = read_all("\xEF\xBB\xBFid,text\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields[0], "id");
    EXPECT_EQ(records[0].line, 1u);
}

TEST(Csv, KeepsEmptyFieldsIncludingATrailingOne) {
    auto records = read_all(",a,,\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, (std::vector<std::string>{"", "a", "", ""}));
}

TEST(Csv, SkipsBlankLinesButCountsThem) {
    auto records = read_all("a\n\n\r\nb\n");
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1].fields[0], "b");
    EXPECT_EQ(records[1].line, 4u);
}

TEST(Csv, KeepsAQuoteInsideAnUnquotedFieldAndALoneCrAsData) {
    auto records = read_all("5\" tall,a\rb\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, (std::vector<std::string>{"5\" tall", "a\rb"}));
}

TEST(Csv, EmptyInputHasNoRecords) {
    EXPECT_TRUE(read_all("").empty());
    EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(Csv, UnterminatedQuoteIsAnErrorNamingTheLineWhereItOpens) {
    EXPECT_EQ(error_of("a,b\nc,\"open\nmore\n"), "t.csv:2: unterminated quoted field");
}

TEST(Csv, CharacterAfterClosingQuoteIsAnErrorNamingItsLine) {
    const std::string message = error_of("a,b\n\"x\ny\"z,w\n");
    EXPECT_EQ(message.rfind("t.csv:3: unexpected character 'z' after a closing quote", 0), 0u) << message;
}

TEST(Csv, ResumesAfterBrokenQuotingSoCallersCanSkipTheRecord) {
    CsvReader reader("1,\"bad\"x,y\n2,ok\n3,\"never closes\n4,fine\n", "t.csv");
    CsvRecord record;
    std::vector<std::string> seen;
    for (;;) {
        try {
            if (!reader.next(record)) break;
            seen.push_back(record.fields[0] + "@" + std::to_string(record.line));
        } catch (const emo::Error&) {
            seen.push_back("error@" + std::to_string(record.line));
        }
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"error@1", "2@2", "error@3", "4@4"}));
}

// Every prefix of a tricky input either parses or throws emo::Error; ASan checks that none reads past its buffer,
// which is why each prefix gets a heap block of exactly its size.
TEST(Csv, NeverReadsPastTheEndOfAnyPrefix) {
    const std::string full = "\xEF\xBB\xBF\"a\"\"b\",c\r\n\"x\ny\",\"\"\r\nlast,\"q\"";
    for (std::size_t n = 0; n <= full.size(); ++n) {
        std::unique_ptr<char[]> block(new char[n == 0 ? 1 : n]);
        std::copy(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n), block.get());
        try {
            read_all(std::string_view(block.get(), n));
        } catch (const emo::Error&) {
        }
    }
}

TEST(Csv, ReadsAOneMegabyteQuotedField) {
    const std::string big(1 << 20, 'x');
    auto records = read_all("id,\"" + big + "\"\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields[1].size(), big.size());
}

TEST(Csv, WriterQuotesOnlyWhenNeededAndRoundTrips) {
    std::string out;
    emo::io::append_csv_field(out, "plain");
    EXPECT_EQ(out, "plain");
    const std::vector<std::string> tricky = {"a,b", "say \"hi\"", "two\nlines", "cr\r", ""};
    std::string line;
    for (std::size_t i = 0; i < tricky.size(); ++i) {
        if (i) line.push_back(',');
        emo::io::append_csv_field(line, tricky[i]);
    }
    auto records = read_all(line + "\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, tricky);
}

TEST(Csv, ReadsMeldTrainAsShipped) {
    const std::string path = EMO_SOURCE_DIR "/../shared/data/meld/train_sent_emo.csv";
    std::ifstream in(path, std::ios::binary);
    if (!in) GTEST_SKIP() << "MELD data not found at " << path;
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string data = buffer.str();
    CsvReader reader(data, path);
    CsvRecord record;
    std::size_t count = 0;
    while (reader.next(record)) {
        ASSERT_EQ(record.fields.size(), 11u) << "line " << record.line;
        ++count;
    }
    EXPECT_EQ(count, 9990u);  // header + 9,989 utterances
}

}  // namespace
