// Tests for src/text/wordpiece_tokenizer: BERT's normaliser, pre-tokeniser, WordPiece and post-processor as a
// tokenizer.json describes them. The expected ids follow the published algorithm (BERT's tokenization, Hugging Face
// tokenizers' BertNormalizer / BertPreTokenizer / WordPiece); the file is written by the test.
#include "text/wordpiece_tokenizer.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace {

using emo::text::WordPieceTokenizer;

const std::vector<std::string> vocabulary = {"[PAD]", "[UNK]", "[CLS]",   "[SEP]",    "[MASK]",  "i",   "am", "so",
                                             "happy", "un",    "##happy", "##believ", "##able",  "!",   ",",  ".",
                                             "'",     "t",     "don",     "cafe",     "naive",   "中",  "文", "http",
                                             ":",     "/",     "##s",     "www",      "example", "com", "$",  "5"};

nlohmann::json bert_config() {
    nlohmann::json vocab = nlohmann::json::object();
    for (std::size_t i = 0; i < vocabulary.size(); ++i) vocab[vocabulary[i]] = i;
    nlohmann::json added = nlohmann::json::array();
    for (int id : {0, 1, 2, 3, 4})
        added.push_back({{"id", id},
                         {"content", vocabulary[static_cast<std::size_t>(id)]},
                         {"single_word", false},
                         {"lstrip", false},
                         {"rstrip", false},
                         {"normalized", false},
                         {"special", true}});
    return {{"version", "1.0"},
            {"truncation", nullptr},
            {"padding", nullptr},
            {"added_tokens", added},
            {"normalizer",
             {{"type", "BertNormalizer"},
              {"clean_text", true},
              {"handle_chinese_chars", true},
              {"strip_accents", nullptr},
              {"lowercase", true}}},
            {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
            {"post_processor",
             {{"type", "TemplateProcessing"},
              {"single",
               {{{"SpecialToken", {{"id", "[CLS]"}, {"type_id", 0}}}},
                {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                {{"SpecialToken", {{"id", "[SEP]"}, {"type_id", 0}}}}}},
              {"special_tokens",
               {{"[CLS]", {{"id", "[CLS]"}, {"ids", {2}}, {"tokens", {"[CLS]"}}}},
                {"[SEP]", {{"id", "[SEP]"}, {"ids", {3}}, {"tokens", {"[SEP]"}}}}}}}},
            {"decoder", {{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", true}}},
            {"model",
             {{"type", "WordPiece"},
              {"unk_token", "[UNK]"},
              {"continuing_subword_prefix", "##"},
              {"max_input_chars_per_word", 100},
              {"vocab", vocab}}}};
}

WordPieceTokenizer bert() { return WordPieceTokenizer::from_json(bert_config(), "test tokenizer.json"); }

std::vector<std::string> tokens_of(const WordPieceTokenizer& t, const std::string& text, bool special = true) {
    return t.encode(text, special).tokens;
}

std::string error_of(const nlohmann::json& config) {
    try {
        WordPieceTokenizer::from_json(config, "tok.json");
    } catch (const emo::Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted";
    return "";
}

}  // namespace

TEST(WordPieceTokenizer, AddsClsAndSepAroundGreedyLongestPieces) {
    const auto t = bert();
    const auto r = t.encode("I am so unhappy");
    EXPECT_EQ(r.tokens, (std::vector<std::string>{"[CLS]", "i", "am", "so", "un", "##happy", "[SEP]"}));
    EXPECT_EQ(r.ids, (std::vector<std::int32_t>{2, 5, 6, 7, 9, 10, 3}));
    EXPECT_EQ(tokens_of(t, "happy", false), (std::vector<std::string>{"happy"}));
}

TEST(WordPieceTokenizer, AWordWithAnUnmatchedPieceIsUnknownAsAWhole) {
    const auto t = bert();
    // "un" + "##believ" + "##able" cover "unbelievable"; "unbelievably" leaves "ly" without a piece.
    EXPECT_EQ(tokens_of(t, "unbelievable", false), (std::vector<std::string>{"un", "##believ", "##able"}));
    EXPECT_EQ(tokens_of(t, "unbelievably", false), (std::vector<std::string>{"[UNK]"}));
}

TEST(WordPieceTokenizer, PunctuationIsSplitOffAndApostrophesToo) {
    const auto t = bert();
    EXPECT_EQ(tokens_of(t, "Don't, happy!!", false),
              (std::vector<std::string>{"don", "'", "t", ",", "happy", "!", "!"}));
    // ASCII symbols count as punctuation for BERT ($), so do URL separators.
    EXPECT_EQ(tokens_of(t, "$5 http://www.example.com", false),
              (std::vector<std::string>{"$", "5", "http", ":", "/", "/", "www", ".", "example", ".", "com"}));
}

TEST(WordPieceTokenizer, AccentsAreStrippedAndCaseFoldedWhenLowercasing) {
    const auto t = bert();
    EXPECT_EQ(t.normalize("Café NAÏVE"), "cafe naive");
    EXPECT_EQ(tokens_of(t, "Café NAÏVE", false), (std::vector<std::string>{"cafe", "naive"}));
    auto cased = bert_config();
    cased["normalizer"]["lowercase"] = false;  // strip_accents null follows lowercase: accents kept too
    EXPECT_EQ(WordPieceTokenizer::from_json(cased, "cased").normalize("Café"), "Café");
}

TEST(WordPieceTokenizer, ChineseCharactersAreWordsOfTheirOwn) {
    const auto t = bert();
    EXPECT_EQ(tokens_of(t, "so中文happy", false), (std::vector<std::string>{"so", "中", "文", "happy"}));
}

TEST(WordPieceTokenizer, ControlCharactersAreDroppedAndWhitespaceSplits) {
    const auto t = bert();
    EXPECT_EQ(tokens_of(t, std::string("so\x01 \t\nhappy\u00A0am\xEF\xBF\xBD") + "\u200B", false),
              (std::vector<std::string>{"so", "happy", "am"}));
    EXPECT_EQ(t.encode("", true).tokens, (std::vector<std::string>{"[CLS]", "[SEP]"}));
    EXPECT_EQ(t.encode("   ", false).ids.size(), 0u);
}

TEST(WordPieceTokenizer, VeryLongWordsAreUnknown) {
    const auto t = bert();
    std::string long_word;
    for (int i = 0; i < 40; ++i) long_word += "happy";  // 200 characters, over max_input_chars_per_word
    EXPECT_EQ(tokens_of(t, long_word, false), (std::vector<std::string>{"[UNK]"}));
}

TEST(WordPieceTokenizer, SpecialTokensInTheTextAreKeptWhole) {
    const auto t = bert();
    EXPECT_EQ(tokens_of(t, "so [MASK] happy[SEP]", false),
              (std::vector<std::string>{"so", "[MASK]", "happy", "[SEP]"}));
    // Lowercase "[mask]" is plain text: "[", "mask" and "]" are three words, none in the vocabulary.
    EXPECT_EQ(tokens_of(t, "[mask]", false), (std::vector<std::string>{"[UNK]", "[UNK]", "[UNK]"}));
}

TEST(WordPieceTokenizer, BertProcessingGivesTheSameSpecialTokens) {
    auto config = bert_config();
    config["post_processor"] = {{"type", "BertProcessing"}, {"sep", {"[SEP]", 3}}, {"cls", {"[CLS]", 2}}};
    const auto t = WordPieceTokenizer::from_json(config, "bert-processing");
    EXPECT_EQ(t.encode("happy").ids, (std::vector<std::int32_t>{2, 8, 3}));
}

TEST(WordPieceTokenizer, InvalidUtf8IsAnError) { EXPECT_THROW(bert().encode("bad \xff"), emo::Error); }

TEST(WordPieceTokenizer, UnsupportedOrBrokenFilesAreClearErrors) {
    auto other = bert_config();
    other["model"]["type"] = "BPE";
    EXPECT_NE(error_of(other).find("model.type \"BPE\""), std::string::npos);
    auto no_unk = bert_config();
    no_unk["model"]["unk_token"] = "<unk>";
    EXPECT_NE(error_of(no_unk).find("<unk>"), std::string::npos);
    auto bad_id = bert_config();
    bad_id["model"]["vocab"]["happy"] = 1000;
    EXPECT_NE(error_of(bad_id).find("out of range"), std::string::npos);
    auto bad_post = bert_config();
    bad_post["post_processor"]["special_tokens"]["[CLS]"]["ids"] = {5000};
    EXPECT_NE(error_of(bad_post).find("not in the vocabulary"), std::string::npos);
    auto wrong_type = bert_config();
    wrong_type["model"]["vocab"]["happy"] = "eight";
    EXPECT_NE(error_of(wrong_type).find("tok.json"), std::string::npos);
    auto no_pre = bert_config();
    no_pre["pre_tokenizer"] = nullptr;
    EXPECT_NE(error_of(no_pre).find("BertPreTokenizer"), std::string::npos);

    const auto dir = std::filesystem::temp_directory_path() / ("emo_wordpiece_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir / "tokenizer.json");
        out << bert_config().dump().substr(0, 100);  // cut short
    }
    try {
        WordPieceTokenizer::load((dir / "tokenizer.json").string());
        ADD_FAILURE() << "read a truncated tokenizer.json";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("tokenizer.json"), std::string::npos) << e.what();
    }
    EXPECT_THROW(WordPieceTokenizer::load((dir / "missing.json").string()), emo::Error);
    std::filesystem::remove_all(dir);
}

namespace {

// A scratch directory for checkpoint layouts, removed at the end of the test.
struct ScratchCheckpoint {
    std::filesystem::path dir;
    explicit ScratchCheckpoint(const std::string& name)
        : dir(std::filesystem::temp_directory_path() / ("emo_wordpiece_" + name + std::to_string(::getpid()))) {
        std::filesystem::create_directories(dir);
    }
    ~ScratchCheckpoint() { std::filesystem::remove_all(dir); }
    void write(const std::string& file, const std::string& content) const {
        std::ofstream out(dir / file, std::ios::binary);
        out << content;
    }
    std::string vocab_txt() const {
        std::string lines;
        for (const auto& token : vocabulary) lines += token + "\n";
        return lines;
    }
};

}  // namespace

TEST(WordPieceTokenizer, ACheckpointWithOnlyVocabTxtGetsBertsDefaults) {
    ScratchCheckpoint c("vocab_only");
    c.write("vocab.txt", c.vocab_txt());
    const auto t = WordPieceTokenizer::load_directory(c.dir.string());
    EXPECT_EQ(t.vocab_size(), vocabulary.size());
    // Lowercased, accents stripped, [CLS] ... [SEP] around, special tokens whole: as the tokenizer.json above.
    EXPECT_EQ(t.encode("Café [MASK] unhappy").ids, bert().encode("Café [MASK] unhappy").ids);
    EXPECT_EQ(t.encode("so").tokens, (std::vector<std::string>{"[CLS]", "so", "[SEP]"}));
}

TEST(WordPieceTokenizer, TokenizerConfigSettingsApplyToVocabTxt) {
    ScratchCheckpoint c("cased");
    c.write("vocab.txt", c.vocab_txt());
    c.write("tokenizer_config.json", R"({"do_lower_case": false, "unk_token": {"content": "[UNK]"}})");
    const auto t = WordPieceTokenizer::load_directory(c.dir.string());
    EXPECT_EQ(t.normalize("Café"), "Café");
    EXPECT_EQ(t.encode("So happy", false).tokens, (std::vector<std::string>{"[UNK]", "happy"}));
}

TEST(WordPieceTokenizer, TokenizerJsonWinsOverVocabTxtAndADirectoryWithNeitherIsAnError) {
    ScratchCheckpoint c("both");
    c.write("vocab.txt", "[UNK]\nonly\n");
    c.write("tokenizer.json", bert_config().dump());
    EXPECT_EQ(WordPieceTokenizer::load_directory(c.dir.string()).vocab_size(), vocabulary.size());
    ScratchCheckpoint empty("empty");
    try {
        WordPieceTokenizer::load_directory(empty.dir.string());
        ADD_FAILURE() << "loaded a tokenizer from an empty directory";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("vocab.txt"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(empty.dir.string()), std::string::npos) << e.what();
    }
    ScratchCheckpoint no_unk("no_unk");
    no_unk.write("vocab.txt", "so\nhappy\n");
    EXPECT_THROW(WordPieceTokenizer::load_directory(no_unk.dir.string()), emo::Error);
    ScratchCheckpoint bad_config("bad_config");
    bad_config.write("vocab.txt", bad_config.vocab_txt());
    bad_config.write("tokenizer_config.json", R"({"do_lower_case": "yes"})");
    EXPECT_THROW(WordPieceTokenizer::load_directory(bad_config.dir.string()), emo::Error);
}
