// Tests for src/text/wordlevel_tokenizer: one id per pre-token, in the pipelines real WordLevel tokenizer.json files
// use (NFD + Lowercase + StripAccents, Whitespace or WhitespaceSplit), with added tokens and the post-processor.
#include "text/wordlevel_tokenizer.hpp"

#include "scratch_dir.hpp"
#include "text/checkpoint_tokenizer.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using emo::text::WordLevelTokenizer;
using Strings = std::vector<std::string>;
using Ids = std::vector<std::int32_t>;

nlohmann::json config(const std::string& pre_tokenizer = "Whitespace") {
    nlohmann::json vocab = nlohmann::json::object();
    const Strings words = {"[UNK]", "[CLS]", "[SEP]", "[MASK]", "i", "am", "so", "happy", "!", "'", "m", "cafe", "!!"};
    for (std::size_t i = 0; i < words.size(); ++i) vocab[words[i]] = i;
    return {{"added_tokens",
             {{{"id", 1}, {"content", "[CLS]"}, {"special", true}},
              {{"id", 2}, {"content", "[SEP]"}, {"special", true}},
              {{"id", 3}, {"content", "[MASK]"}, {"special", true}, {"lstrip", true}, {"rstrip", true}},
              // A non-special added token: matched in the normalised (lowercased) text.
              {{"id", 13}, {"content", "Hooray"}, {"special", false}}}},
            {"normalizer",
             {{"type", "Sequence"},
              {"normalizers", {{{"type", "NFD"}}, {{"type", "Lowercase"}}, {{"type", "StripAccents"}}}}}},
            {"pre_tokenizer", {{"type", pre_tokenizer}}},
            {"post_processor", {{"type", "BertProcessing"}, {"sep", {"[SEP]", 2}}, {"cls", {"[CLS]", 1}}}},
            {"model", {{"type", "WordLevel"}, {"vocab", vocab}, {"unk_token", "[UNK]"}}}};
}

WordLevelTokenizer tokenizer(const std::string& pre = "Whitespace") {
    return WordLevelTokenizer::from_json(config(pre), "tokenizer.json");
}

class WordLevelLoad : public emo_test::ScratchDirTest {
protected:
    WordLevelLoad() : ScratchDirTest("emo_wordlevel_") {}
};

}  // namespace

TEST(WordLevelTokenizer, EachPreTokenIsOneIdOrUnk) {
    const auto t = tokenizer();
    EXPECT_EQ(t.encode("I'm so HAPPY!", false).tokens, Strings({"i", "'", "m", "so", "happy", "!"}));
    EXPECT_EQ(t.encode("I'm so HAPPY!").ids, Ids({1, 4, 9, 10, 6, 7, 8, 2}));
    // Accents go (NFD, then marks dropped); unknown words are [UNK].
    EXPECT_EQ(t.encode("Caf\xC3\xA9 sad!!", false).ids, Ids({11, 0, 12}));
}

TEST(WordLevelTokenizer, WhitespaceSplitKeepsPunctuationInsideWords) {
    const auto t = tokenizer("WhitespaceSplit");
    EXPECT_EQ(t.encode("so happy!  i", false).tokens, Strings({"so", "[UNK]", "i"}));
}

TEST(WordLevelTokenizer, AddedTokensAreCutOutFirst) {
    const auto t = tokenizer();
    // [MASK] takes the spaces on both sides; "Hooray" is found in the lowercased text as "hooray".
    EXPECT_EQ(t.encode("so [MASK] happy", false).ids, Ids({6, 3, 7}));
    EXPECT_EQ(t.encode("so HOORAY!", false).tokens, Strings({"so", "Hooray", "!"}));
    EXPECT_EQ(t.vocab_size(), 14u);
}

TEST(WordLevelTokenizer, WithoutUnkTokenInTheVocabularyAnUnknownWordIsAnError) {
    auto c = config();
    c["model"]["unk_token"] = "<unk>";
    const auto t = WordLevelTokenizer::from_json(c, "tokenizer.json");
    EXPECT_EQ(t.encode("so", false).ids, Ids({6}));
    EXPECT_THROW(t.encode("sad"), emo::Error);
}

TEST(WordLevelTokenizer, BadVocabulariesAreErrorsNamingTheField) {
    auto c = config();
    c["model"]["vocab"]["far"] = 1000;
    EXPECT_THROW(WordLevelTokenizer::from_json(c, "tokenizer.json"), emo::Error);
    c = config();
    c["model"]["vocab"]["dup"] = 4;
    try {
        WordLevelTokenizer::from_json(c, "tokenizer.json");
        FAIL();
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("tokenizer.json: model.vocab: id 4 is taken twice"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(WordLevelTokenizer::from_json(config("UnicodeScripts"), "tokenizer.json"), emo::Error);
}

TEST_F(WordLevelLoad, CheckpointLoaderReadsWordLevelTokenizerJson) {
    write("tokenizer.json", config().dump());
    const auto t = emo::text::load_checkpoint_tokenizer(dir_.string());
    EXPECT_EQ(t->encode("i am happy").ids, Ids({1, 4, 5, 7, 2}));
    auto other = config();
    other["model"]["type"] = "Word2Vec";
    write("tokenizer.json", other.dump());
    try {
        emo::text::load_checkpoint_tokenizer(dir_.string());
        FAIL();
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("expected WordPiece, BPE, Unigram or WordLevel"), std::string::npos)
            << e.what();
    }
}
