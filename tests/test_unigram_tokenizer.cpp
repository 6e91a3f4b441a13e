// Tests for src/text/unigram_tokenizer (and the pipeline of src/text/pipeline_tokenizer around it): sentencepiece's
// Unigram model as an XLM-R style tokenizer.json describes it. The vocabulary is made here with scores chosen so that
// the best segmentation can be worked out by hand (the unknown piece scores the lowest score - 10 = -20), the
// normalizer's charsmap with tests/charsmap_builder.hpp; `emo tokenize` runs on such a checkpoint directory.
#include "text/unigram_tokenizer.hpp"

#include "charsmap_builder.hpp"
#include "cli_runner.hpp"
#include "scratch_dir.hpp"
#include "text/checkpoint_tokenizer.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using emo::text::UnigramTokenizer;
using Strings = std::vector<std::string>;
using Ids = std::vector<std::int32_t>;

const std::string bar = "\xE2\x96\x81";       // U+2581, sentencepiece's word mark
const std::string grin = "\xF0\x9F\x98\x80";  // U+1F600, not in the vocabulary

// Scores: the lowest is -10 ("abc"), so an unknown character scores -20.
nlohmann::json vocab() {
    return nlohmann::json::array({{"<s>", 0.0},        {"<pad>", 0.0},      {"</s>", 0.0},    {"<unk>", 0.0},
                                  {bar, -2.0},         {"a", -3.0},         {"b", -3.0},      {"ab", -4.0},
                                  {"abc", -10.0},      {"c", -3.0},         {"bc", -2.0},     {bar + "a", -3.0},
                                  {bar + "hello", -5}, {bar + "world", -5}, {",", -3.0},      {"<0xF0>", -8.0},
                                  {"<0x9F>", -8.0},    {"<0x98>", -8.0},    {"<0x80>", -8.0}, {bar + "b", -3.0},
                                  {"<mask>", 0.0},     {bar + "ab", -9.0}});
}
constexpr int unk = 3, mask = 20;

nlohmann::json special(int id, const std::string& content, bool lstrip = false) {
    return {{"id", id},        {"content", content},  {"single_word", false}, {"lstrip", lstrip},
            {"rstrip", false}, {"normalized", false}, {"special", true}};
}

nlohmann::json template_piece(const std::string& kind, const std::string& id) {
    return {{kind, {{"id", id}, {"type_id", 0}}}};
}

// As xlm-roberta-base's tokenizer.json (trimmed to this vocabulary): fullwidth letters and U+200B mapped by the
// charsmap, runs of spaces made one, Metaspace, <s> A </s> (</s></s> between a pair).
nlohmann::json xlmr_config(const std::string& prepend_scheme = "always", bool byte_fallback = false) {
    const auto charsmap =
        emo_test::build_charsmap({{"\xEF\xBD\x81", "a"}, {"\xEF\xBD\x82", "b"}, {"\xE2\x80\x8B", ""}});
    nlohmann::json specials = nlohmann::json::object();
    for (const auto& [name, id] : {std::pair<std::string, int>{"<s>", 0}, {"</s>", 2}})
        specials[name] = {{"id", name}, {"ids", {id}}, {"tokens", {name}}};
    return {{"version", "1.0"},
            {"added_tokens",
             {special(0, "<s>"), special(1, "<pad>"), special(2, "</s>"), special(unk, "<unk>"),
              special(mask, "<mask>", true)}},
            {"normalizer",
             {{"type", "Sequence"},
              {"normalizers",
               {{{"type", "Precompiled"}, {"precompiled_charsmap", emo_test::base64(charsmap)}},
                {{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", " "}}}}}},
            {"pre_tokenizer",
             {{"type", "Metaspace"}, {"replacement", bar}, {"prepend_scheme", prepend_scheme}, {"split", true}}},
            {"post_processor",
             {{"type", "TemplateProcessing"},
              {"single",
               {template_piece("SpecialToken", "<s>"), template_piece("Sequence", "A"),
                template_piece("SpecialToken", "</s>")}},
              {"pair",
               {template_piece("SpecialToken", "<s>"), template_piece("Sequence", "A"),
                template_piece("SpecialToken", "</s>"), template_piece("SpecialToken", "</s>"),
                template_piece("Sequence", "B"), template_piece("SpecialToken", "</s>")}},
              {"special_tokens", specials}}},
            {"model", {{"type", "Unigram"}, {"unk_id", unk}, {"vocab", vocab()}, {"byte_fallback", byte_fallback}}}};
}

UnigramTokenizer xlmr(const std::string& scheme = "always", bool byte_fallback = false) {
    return UnigramTokenizer::from_json(xlmr_config(scheme, byte_fallback), "tokenizer.json");
}

Strings tokens(const UnigramTokenizer& t, const std::string& text) { return t.encode(text, false).tokens; }
Ids ids(const UnigramTokenizer& t, const std::string& text) { return t.encode(text, false).ids; }

class UnigramCli : public emo_test::ScratchDirTest {
protected:
    UnigramCli() : ScratchDirTest("emo_unigram_cli_") {}
};

}  // namespace

TEST(UnigramTokenizer, ViterbiTakesTheBestSumNotTheLongestPiece) {
    // "▁abc": ▁a + bc = -5 beats ▁ab + c = -12 (longest first), ▁ + abc = -12 and ▁a + b + c = -9.
    EXPECT_EQ(tokens(xlmr(), "abc"), Strings({bar + "a", "bc"}));
    EXPECT_EQ(ids(xlmr(), "abc"), Ids({11, 10}));
    EXPECT_EQ(tokens(xlmr(), "hello world"), Strings({bar + "hello", bar + "world"}));
}

TEST(UnigramTokenizer, TiesGoToThePathWhoseLastPieceStartsFirst) {
    // "▁ab": ▁a + b and ▁ + ab both score -6; the crate keeps ▁ + ab, found first (its last piece starts earlier).
    EXPECT_EQ(tokens(xlmr(), "ab"), Strings({bar, "ab"}));
}

TEST(UnigramTokenizer, UnknownCharactersAreOneFusedUnknownPiece) {
    EXPECT_EQ(ids(xlmr(), "a" + grin + grin + "b"), Ids({11, unk, 6}));
    EXPECT_EQ(tokens(xlmr(), "a" + grin + grin + "b"), Strings({bar + "a", "<unk>", "b"}));
    EXPECT_EQ(ids(xlmr(), "a " + grin), Ids({11, 4, unk}));
}

TEST(UnigramTokenizer, ByteFallbackSpellsUnknownRunsInBytes) {
    const auto t = xlmr("always", true);
    EXPECT_EQ(tokens(t, grin), Strings({bar, "<0xF0>", "<0x9F>", "<0x98>", "<0x80>"}));
    EXPECT_EQ(ids(t, grin + grin), Ids({4, 15, 16, 17, 18, 15, 16, 17, 18}));
    // é's bytes (C3 A9) are not all pieces: the run stays the unknown piece.
    EXPECT_EQ(ids(t, "\xC3\xA9"), Ids({4, unk}));
}

TEST(UnigramTokenizer, WithoutUnkIdAnUnknownCharacterIsAnError) {
    auto config = xlmr_config();
    config["model"]["unk_id"] = nullptr;
    const auto t = UnigramTokenizer::from_json(config, "tokenizer.json");
    EXPECT_EQ(ids(t, "ab c"), Ids({4, 7, 4, 9}));
    EXPECT_THROW(t.encode(grin), emo::Error);
}

TEST(UnigramTokenizer, LongWordsStayLinearInTheLongestPiece) {
    const auto out = ids(xlmr(), std::string(20000, 'a'));
    ASSERT_EQ(out.size(), 20000u);
    EXPECT_EQ(out.front(), 11);
    EXPECT_EQ(out.back(), 5);
}

TEST(UnigramTokenizer, NormalizerRunsThePrecompiledMapThenCollapsesSpaces) {
    // Fullwidth a and b (U+FF41, U+FF42) become a and b, U+200B disappears, the three spaces become one.
    EXPECT_EQ(ids(xlmr(), "\xEF\xBD\x81\xE2\x80\x8B   \xEF\xBD\x82"), Ids({11, 19}));
}

TEST(UnigramTokenizer, AddedTokensAndPrependSchemes) {
    // <mask> takes the space before it (lstrip); each stretch of text around it gets its own mark under "always".
    EXPECT_EQ(ids(xlmr(), "a <mask>b"), Ids({11, mask, 19}));
    EXPECT_EQ(ids(xlmr("always"), "a<s>a"), Ids({11, 0, 11}));
    EXPECT_EQ(ids(xlmr("first"), "a<s>a"), Ids({11, 0, 5}));
    EXPECT_EQ(ids(xlmr("never"), "a b"), Ids({5, 19}));
}

TEST(UnigramTokenizer, TemplateProcessingFramesOneTextOrAPair) {
    const auto t = xlmr();
    EXPECT_EQ(t.encode("a").ids, Ids({0, 11, 2}));
    EXPECT_EQ(t.encode_pair_truncated("a", "b", 64).ids, Ids({0, 11, 2, 2, 19, 2}));
    EXPECT_EQ(t.vocab_size(), 22u);
    EXPECT_EQ(t.encode("").ids, Ids({0, 2}));
}

TEST(UnigramTokenizer, BadSettingsAreErrorsNamingTheField) {
    const auto fails_with = [](nlohmann::json config, const std::string& needle) {
        try {
            UnigramTokenizer::from_json(config, "tokenizer.json");
            ADD_FAILURE() << "no error for " << needle;
        } catch (const emo::Error& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    auto c = xlmr_config();
    c["model"]["unk_id"] = 99;
    fails_with(c, "model.unk_id");
    c = xlmr_config();
    c["model"]["vocab"][5] = {"a"};
    fails_with(c, "model.vocab[5]: not [piece, score]");
    c = xlmr_config();
    c["pre_tokenizer"] = {{"type", "ByteLevel"}};
    fails_with(c, "pre_tokenizer.type \"ByteLevel\"");
    c = xlmr_config();
    c["normalizer"]["normalizers"][0]["precompiled_charsmap"] = emo_test::base64(std::string("\x10\x00\x00\x00", 4));
    fails_with(c, "normalizer.normalizers[0].precompiled_charsmap: trie size 16 is beyond");
}

TEST_F(UnigramCli, TokenizePrintsXlmrStyleIdsAndTokens) {
    std::filesystem::create_directories(dir_ / "xlmr");
    write("xlmr/tokenizer.json", xlmr_config().dump());
    const auto r =
        emo_test::run_emo(dir_, {"tokenize", "--model", (dir_ / "xlmr").string(), "\xEF\xBD\x81  b", "hello," + grin});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = r.out_lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(nlohmann::json::parse(lines[0]),
              nlohmann::json::parse(R"({"ids":[0,11,19,2],"tokens":["<s>","▁a","▁b","</s>"]})"));
    EXPECT_EQ(nlohmann::json::parse(lines[1]),
              nlohmann::json::parse(R"({"ids":[0,12,14,3,2],"tokens":["<s>","▁hello",",","<unk>","</s>"]})"));
}

TEST_F(UnigramCli, ASentencepieceModelWithoutTokenizerJsonIsRefusedSayingSo) {
    std::filesystem::create_directories(dir_ / "spm");
    write("spm/sentencepiece.bpe.model", "not read");
    try {
        emo::text::load_checkpoint_tokenizer((dir_ / "spm").string());
        FAIL();
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("sentencepiece.bpe.model without tokenizer.json is not supported"),
                  std::string::npos)
            << e.what();
    }
}
