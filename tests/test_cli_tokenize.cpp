// End-to-end tests of `emo tokenize` (apps/emo/cmd_tokenize.cpp) on a checkpoint directory the test writes.
#include "cli_runner.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using emo_test::run_emo;
using emo_test::write_file;

class CliTokenize : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("emo_cli_tokenize_" + std::to_string(::getpid()));
        fs::create_directories(dir_ / "checkpoint");
        nlohmann::json vocab = nlohmann::json::object();
        const std::vector<std::string> tokens = {"[PAD]", "[UNK]", "[CLS]",   "[SEP]", "so",
                                                 "happy", "un",    "##happy", "!"};
        for (std::size_t i = 0; i < tokens.size(); ++i) vocab[tokens[i]] = i;
        const nlohmann::json config = {
            {"added_tokens",
             {{{"id", 2}, {"content", "[CLS]"}, {"special", true}},
              {{"id", 3}, {"content", "[SEP]"}, {"special", true}}}},
            {"normalizer", {{"type", "BertNormalizer"}, {"lowercase", true}}},
            {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
            {"post_processor", {{"type", "BertProcessing"}, {"sep", {"[SEP]", 3}}, {"cls", {"[CLS]", 2}}}},
            {"model", {{"type", "WordPiece"}, {"unk_token", "[UNK]"}, {"vocab", vocab}}}};
        write_file(dir_ / "checkpoint" / "tokenizer.json", config.dump());
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

nlohmann::json parse(const std::string& line) { return nlohmann::json::parse(line); }

}  // namespace

TEST_F(CliTokenize, PrintsIdsAndTokensPerTextWithSpecialTokens) {
    const auto r = run_emo(dir_, {"tokenize", "--model", (dir_ / "checkpoint").string(), "So unhappy!", "what"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = r.out_lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(parse(lines[0]),
              nlohmann::json::parse(R"({"ids":[2,4,6,7,8,3],"tokens":["[CLS]","so","un","##happy","!","[SEP]"]})"));
    EXPECT_EQ(parse(lines[1]).at("tokens"), nlohmann::json::parse(R"(["[CLS]","[UNK]","[SEP]"])"));
    const auto plain = run_emo(dir_, {"tokenize", "--no-special-tokens", "--model",
                                      (dir_ / "checkpoint" / "tokenizer.json").string(), "happy"});
    ASSERT_EQ(plain.code, 0) << plain.err;
    EXPECT_EQ(parse(plain.out_lines().at(0)).at("ids"), nlohmann::json::parse("[5]"));
}

TEST_F(CliTokenize, BadLinesFailNamingThePlaceOrAreKeptWithSkip) {
    write_file(dir_ / "in.txt", "so happy\nbad \xff\nhappy\n");
    const auto failed =
        run_emo(dir_, {"tokenize", "--model", (dir_ / "checkpoint").string(), "-"}, (dir_ / "in.txt").string());
    EXPECT_NE(failed.code, 0);
    EXPECT_NE(failed.err.find("<stdin>:2"), std::string::npos) << failed.err;
    const auto skipped =
        run_emo(dir_, {"tokenize", "--model", (dir_ / "checkpoint").string(), "--on-error", "skip", "-"},
                (dir_ / "in.txt").string());
    ASSERT_EQ(skipped.code, 0) << skipped.err;
    const auto lines = skipped.out_lines();
    ASSERT_EQ(lines.size(), 3u);  // every input line accounted for
    EXPECT_TRUE(parse(lines[1]).contains("error"));
    EXPECT_EQ(parse(lines[2]).at("tokens"), nlohmann::json::parse(R"(["[CLS]","happy","[SEP]"])"));
}

TEST_F(CliTokenize, AMissingCheckpointIsAClearError) {
    const auto r = run_emo(dir_, {"tokenize", "--model", (dir_ / "nowhere").string(), "so"});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("nowhere"), std::string::npos) << r.err;
    fs::create_directories(dir_ / "empty");
    const auto empty = run_emo(dir_, {"tokenize", "--model", (dir_ / "empty").string(), "so"});
    EXPECT_NE(empty.code, 0);
    EXPECT_NE(empty.err.find("tokenizer.json"), std::string::npos) << empty.err;
}

TEST_F(CliTokenize, ReadsARobertaCheckpointInEitherLayout) {
    // A tiny byte-level BPE vocabulary: "Ġ h" outranks "h appy", so " happy" merges to "Ġhappy", not "Ġ" + "happy".
    const nlohmann::json vocab = {{"<s>", 0},   {"<pad>", 1},  {"</s>", 2}, {"<unk>", 3},   {"h", 4},      {"a", 5},
                                  {"p", 6},     {"y", 7},      {"Ġ", 8},    {"!", 9},       {"ap", 10},    {"py", 11},
                                  {"appy", 12}, {"happy", 13}, {"Ġh", 14},  {"Ġhappy", 15}, {"<mask>", 16}};
    const std::vector<std::string> merges = {"Ġ h", "a p", "p y", "ap py", "Ġh appy", "h appy"};
    nlohmann::json added = nlohmann::json::array();
    for (const auto& [token, id] : {std::pair<std::string, int>{"<s>", 0}, {"<pad>", 1}, {"</s>", 2}, {"<unk>", 3}})
        added.push_back({{"id", id}, {"content", token}, {"special", true}});
    added.push_back({{"id", 16}, {"content", "<mask>"}, {"lstrip", true}, {"special", true}});
    const nlohmann::json config = {
        {"added_tokens", added},
        {"normalizer", nullptr},
        {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}}},
        {"post_processor", {{"type", "RobertaProcessing"}, {"sep", {"</s>", 2}}, {"cls", {"<s>", 0}}}},
        {"model", {{"type", "BPE"}, {"unk_token", nullptr}, {"vocab", vocab}, {"merges", merges}}}};
    fs::create_directories(dir_ / "roberta");
    write_file(dir_ / "roberta" / "tokenizer.json", config.dump());
    fs::create_directories(dir_ / "roberta-old");
    write_file(dir_ / "roberta-old" / "vocab.json", vocab.dump());
    std::string lines = "#version: 0.2\n";
    for (const auto& m : merges) lines += m + "\n";
    write_file(dir_ / "roberta-old" / "merges.txt", lines);

    const auto expected =
        nlohmann::json::parse(R"({"ids":[0,13,16,15,9,2],"tokens":["<s>","happy","<mask>","Ġhappy","!","</s>"]})");
    for (const char* layout : {"roberta", "roberta-old"}) {
        const auto r = run_emo(dir_, {"tokenize", "--model", (dir_ / layout).string(), "happy <mask> happy!"});
        ASSERT_EQ(r.code, 0) << layout << ": " << r.err;
        ASSERT_EQ(r.out_lines().size(), 1u) << layout;
        EXPECT_EQ(parse(r.out_lines()[0]), expected) << layout;
    }
}
