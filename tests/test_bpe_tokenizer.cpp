// Tests for src/text/bpe_tokenizer: RoBERTa's byte-level BPE as a tokenizer.json (or vocab.json + merges.txt)
// describes it. The vocabulary is made here: the 256 byte characters of GPT-2's table, then a few merges whose results
// can be worked out by hand; the expected pieces follow GPT-2's split pattern and the Rust tokenizers crate's rules
// (merges by rank, leftmost first among equal ranks; added tokens cut out of the raw text first).
#include "text/bpe_tokenizer.hpp"

#include "scratch_dir.hpp"
#include "text/checkpoint_tokenizer.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using emo::text::BpeTokenizer;
using Strings = std::vector<std::string>;
using Ids = std::vector<std::int32_t>;

// GPT-2's byte table written out from its definition: printable Latin-1 bytes are themselves, the rest U+0100 on.
std::string byte_char(int b) {
    static const std::vector<std::string> table = [] {
        std::vector<std::string> t(256);
        int next = 0x100;
        for (int i = 0; i < 256; ++i) {
            const bool printable = (i >= 0x21 && i <= 0x7E) || (i >= 0xA1 && i <= 0xAC) || (i >= 0xAE);
            const int cp = printable ? i : next++;
            t[static_cast<std::size_t>(i)] =
                cp < 0x80 ? std::string(1, static_cast<char>(cp))
                          : std::string{static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
        }
        return t;
    }();
    return table[static_cast<std::size_t>(b)];
}

// Ids: <s> 0, <pad> 1, </s> 2, <unk> 3, byte b at 4 + b, the merges' results from 260 in rank order, <mask> last.
const Strings merges = {"Ġ h",  "a p", "p y", "ap py", "Ġh appy", "h appy", "' s", "r e", "' re", "1 2",
                        "12 3", "! !", "Ã ©", "c a",   "ca f",    "caf Ã©", "b c", "a b", "a a",  "Ġ b"};
constexpr int first_merged = 260;
constexpr int mask_id = first_merged + 20;

nlohmann::json vocab_json() {
    nlohmann::json vocab = {{"<s>", 0}, {"<pad>", 1}, {"</s>", 2}, {"<unk>", 3}};
    for (int b = 0; b < 256; ++b) vocab[byte_char(b)] = 4 + b;
    for (std::size_t i = 0; i < merges.size(); ++i) {
        auto merged = merges[i];
        merged.erase(merged.find(' '), 1);
        vocab[merged] = first_merged + static_cast<int>(i);
    }
    vocab["<mask>"] = mask_id;
    return vocab;
}

nlohmann::json added(int id, const std::string& content, bool lstrip = false) {
    return {{"id", id},        {"content", content},  {"single_word", false}, {"lstrip", lstrip},
            {"rstrip", false}, {"normalized", false}, {"special", true}};
}

// As roberta-base's tokenizer.json (trimmed to this vocabulary).
nlohmann::json roberta_config(bool add_prefix_space = false) {
    return {
        {"version", "1.0"},
        {"truncation", nullptr},
        {"padding", nullptr},
        {"added_tokens",
         {added(0, "<s>"), added(1, "<pad>"), added(2, "</s>"), added(3, "<unk>"), added(mask_id, "<mask>", true)}},
        {"normalizer", nullptr},
        {"pre_tokenizer",
         {{"type", "ByteLevel"}, {"add_prefix_space", add_prefix_space}, {"trim_offsets", true}, {"use_regex", true}}},
        {"post_processor",
         {{"type", "RobertaProcessing"},
          {"sep", {"</s>", 2}},
          {"cls", {"<s>", 0}},
          {"trim_offsets", true},
          {"add_prefix_space", add_prefix_space}}},
        {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}}},
        {"model",
         {{"type", "BPE"},
          {"dropout", nullptr},
          {"unk_token", nullptr},
          {"continuing_subword_prefix", ""},
          {"end_of_word_suffix", ""},
          {"fuse_unk", false},
          {"byte_fallback", false},
          {"vocab", vocab_json()},
          {"merges", merges}}}};
}

BpeTokenizer roberta(bool add_prefix_space = false) {
    return BpeTokenizer::from_json(roberta_config(add_prefix_space), "test tokenizer.json");
}

Strings tokens_of(const BpeTokenizer& t, const std::string& text) { return t.encode(text, false).tokens; }

std::string error_of(const nlohmann::json& config) {
    try {
        BpeTokenizer::from_json(config, "tok.json");
    } catch (const emo::Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted";
    return "";
}

}  // namespace

TEST(BpeTokenizer, GptTwoBytesMapToPrintableCharacters) {
    EXPECT_EQ(emo::text::byte_level_map(" "), "Ġ");
    EXPECT_EQ(emo::text::byte_level_map("\n\t"), "Ċĉ");
    EXPECT_EQ(emo::text::byte_level_map("é"), "Ã©");
    EXPECT_EQ(emo::text::byte_level_map("😀"), "ðŁĺĢ");
    EXPECT_EQ(emo::text::byte_level_map(std::string("\x7f\xa0\xad", 3)), "ġłŃ");
}

TEST(BpeTokenizer, MergesApplyByRankNotFromTheLeft) {
    const auto t = roberta();
    // h a p p y: "a p" (rank 1), "p y" (2), "ap py" (3), then "h appy" (5).
    EXPECT_EQ(tokens_of(t, "happy"), (Strings{"happy"}));
    EXPECT_EQ(t.encode("happy", false).ids, (Ids{first_merged + 5}));
    // "b c" outranks "a b", so "abc" is a + bc while "abd" is ab + d.
    EXPECT_EQ(tokens_of(t, "abc"), (Strings{"a", "bc"}));
    EXPECT_EQ(tokens_of(t, "abd"), (Strings{"ab", "d"}));
    // Equal ranks: the leftmost pair first.
    EXPECT_EQ(tokens_of(t, "aaa"), (Strings{"aa", "a"}));
    EXPECT_EQ(tokens_of(t, "!!!"), (Strings{"!!", "!"}));
    // Characters without merges stay bytes: "x" is byte 0x78.
    EXPECT_EQ(t.encode("x", false).ids, (Ids{4 + 0x78}));
}

TEST(BpeTokenizer, ASpaceJoinsTheWordAfterItAsG) {
    const auto t = roberta();
    EXPECT_EQ(tokens_of(t, "happy happy"), (Strings{"happy", "Ġhappy"}));
    EXPECT_EQ(t.encode("happy happy", false).ids, (Ids{first_merged + 5, first_merged + 4}));
}

TEST(BpeTokenizer, ContractionsAreSplitOff) {
    const auto t = roberta();
    EXPECT_EQ(t.pre_tokenize("it's they're I'm we'll he'd don't I've"),
              (Strings{"it", "'s", "Ġthey", "'re", "ĠI", "'m", "Ġwe", "'ll", "Ġhe", "'d", "Ġdon", "'t", "ĠI", "'ve"}));
    // Only the lowercase forms are contractions; otherwise the apostrophe is punctuation.
    EXPECT_EQ(t.pre_tokenize("IT'S 'x"), (Strings{"IT", "'", "S", "Ġ'", "x"}));
    EXPECT_EQ(tokens_of(t, "e's"), (Strings{"e", "'s"}));
    EXPECT_EQ(tokens_of(t, "e're"), (Strings{"e", "'re"}));
}

TEST(BpeTokenizer, DigitsAndPunctuationRunsAreTheirOwnPieces) {
    const auto t = roberta();
    EXPECT_EQ(t.pre_tokenize("abc123 4567 wow!!! ?.. $5"),
              (Strings{"abc", "123", "Ġ4567", "Ġwow", "!!!", "Ġ?..", "Ġ$", "5"}));
    EXPECT_EQ(tokens_of(t, "123"), (Strings{"123"}));
    EXPECT_EQ(tokens_of(t, " 123"), (Strings{"Ġ", "123"}));
}

TEST(BpeTokenizer, TheLastSpaceOfARunGoesToTheNextWord) {
    const auto t = roberta();
    EXPECT_EQ(t.pre_tokenize("a  b"), (Strings{"a", "Ġ", "Ġb"}));
    EXPECT_EQ(tokens_of(t, "a  b"), (Strings{"a", "Ġ", "Ġb"}));
    EXPECT_EQ(t.pre_tokenize("a    b"), (Strings{"a", "ĠĠĠ", "Ġb"}));
    // Trailing white space stays one piece; a lone non-space before a word is a piece of its own.
    EXPECT_EQ(t.pre_tokenize("hi  "), (Strings{"hi", "ĠĠ"}));
    EXPECT_EQ(t.pre_tokenize("hi\tthere"), (Strings{"hi", "ĉ", "there"}));
}

TEST(BpeTokenizer, NewlinesAreWhiteSpacePieces) {
    const auto t = roberta();
    EXPECT_EQ(t.pre_tokenize("hi\n\nthere"), (Strings{"hi", "Ċ", "Ċ", "there"}));
    EXPECT_EQ(t.pre_tokenize("a \n b"), (Strings{"a", "ĠĊ", "Ġb"}));
    EXPECT_EQ(t.pre_tokenize("end\n"), (Strings{"end", "Ċ"}));
}

TEST(BpeTokenizer, AccentedLettersAndEmojiGoThroughTheirBytes) {
    const auto t = roberta();
    // é is letter: one word with "caf"; its bytes C3 A9 are "Ã©", merged at rank 12.
    EXPECT_EQ(t.pre_tokenize("café naïve 日本 😀!"), (Strings{"cafÃ©", "ĠnaÃ¯ve", "ĠæĹ¥æľ¬", "ĠðŁĺĢ!"}));
    const auto r = t.encode("café 😀", false);
    EXPECT_EQ(r.tokens, (Strings{"cafÃ©", "Ġ", "ð", "Ł", "ĺ", "Ģ"}));
    EXPECT_EQ(r.ids, (Ids{first_merged + 15, 4 + 0x20, 4 + 0xF0, 4 + 0x9F, 4 + 0x98, 4 + 0x80}));
    // Other Unicode white space (no-break space) splits like a space but keeps its own bytes.
    EXPECT_EQ(t.pre_tokenize("a\u00A0b"), (Strings{"a", "Âł", "b"}));
}

TEST(BpeTokenizer, MaskTakesTheSpaceBeforeIt) {
    const auto t = roberta();
    EXPECT_EQ(tokens_of(t, "happy <mask> happy"), (Strings{"happy", "<mask>", "Ġhappy"}));
    EXPECT_EQ(t.encode("happy <mask> happy", false).ids, (Ids{first_merged + 5, mask_id, first_merged + 4}));
    EXPECT_EQ(tokens_of(t, "happy   <mask>"), (Strings{"happy", "<mask>"}));
    // Without lstrip the space stays a piece of its own.
    auto config = roberta_config();
    config["added_tokens"][4]["lstrip"] = false;
    EXPECT_EQ(tokens_of(BpeTokenizer::from_json(config, "no lstrip"), "happy <mask> happy"),
              (Strings{"happy", "Ġ", "<mask>", "Ġhappy"}));
    // rstrip takes the space after it.
    config["added_tokens"][4]["rstrip"] = true;
    EXPECT_EQ(tokens_of(BpeTokenizer::from_json(config, "rstrip"), "happy <mask> happy"),
              (Strings{"happy", "Ġ", "<mask>", "happy"}));
    // Special tokens in the text are matched anywhere, even inside words.
    EXPECT_EQ(tokens_of(t, "a</s>b<s>"), (Strings{"a", "</s>", "b", "<s>"}));
}

TEST(BpeTokenizer, SingleWordTokensAreNotMatchedInsideWords) {
    auto config = roberta_config();
    // A non-special added token beyond the model's vocabulary: it extends it.
    config["added_tokens"].push_back({{"id", mask_id + 1},
                                      {"content", "yay"},
                                      {"single_word", true},
                                      {"lstrip", false},
                                      {"rstrip", false},
                                      {"normalized", true},
                                      {"special", false}});
    const auto t = BpeTokenizer::from_json(config, "single word");
    EXPECT_EQ(t.vocab_size(), static_cast<std::size_t>(mask_id + 2));
    EXPECT_EQ(t.encode("yay yays", false).tokens, (Strings{"yay", "Ġ", "y", "a", "y", "s"}));
    EXPECT_EQ(t.encode("yay yays", false).ids.front(), mask_id + 1);
    EXPECT_EQ(t.encode("(yay)", false).tokens, (Strings{"(", "yay", ")"}));
}

TEST(BpeTokenizer, RobertaProcessingFramesOneTextOrAPair) {
    const auto t = roberta();
    const auto one = t.encode("happy");
    EXPECT_EQ(one.ids, (Ids{0, first_merged + 5, 2}));
    EXPECT_EQ(one.tokens, (Strings{"<s>", "happy", "</s>"}));
    EXPECT_EQ(one.types, (Ids{0, 0, 0}));
    const auto pair = t.encode_pair_truncated("happy", "123", 100);
    EXPECT_EQ(pair.tokens, (Strings{"<s>", "happy", "</s>", "</s>", "123", "</s>"}));
    EXPECT_EQ(pair.types, (Ids{0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(t.encode("").ids, (Ids{0, 2}));
}

TEST(BpeTokenizer, AddPrefixSpaceStartsEveryTextStretchWithASpace) {
    const auto t = roberta(true);
    EXPECT_EQ(tokens_of(t, "happy"), (Strings{"Ġhappy"}));
    EXPECT_EQ(tokens_of(t, " happy"), (Strings{"Ġhappy"}));  // not a second one
    EXPECT_EQ(tokens_of(t, "<s>happy"), (Strings{"<s>", "Ġhappy"}));
    EXPECT_EQ(tokens_of(t, ""), (Strings{}));
    EXPECT_EQ(tokens_of(roberta(false), "happy"), (Strings{"happy"}));
}

TEST(BpeTokenizer, UnknownCharactersAreUnkOrDropped) {
    const nlohmann::json vocab = {{"<unk>", 0}, {"a", 1}, {"b", 2}, {"Ġ", 3}};
    nlohmann::json config = {{"added_tokens", nlohmann::json::array()},
                             {"normalizer", nullptr},
                             {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}},
                             {"post_processor", nullptr},
                             {"model",
                              {{"type", "BPE"},
                               {"unk_token", "<unk>"},
                               {"fuse_unk", false},
                               {"vocab", vocab},
                               {"merges", nlohmann::json::array()}}}};
    // 😀 is four bytes, none in the vocabulary.
    EXPECT_EQ(BpeTokenizer::from_json(config, "unk").encode("a😀b", false).ids, (Ids{1, 0, 0, 0, 0, 2}));
    config["model"]["fuse_unk"] = true;
    EXPECT_EQ(BpeTokenizer::from_json(config, "fused").encode("a😀b", false).ids, (Ids{1, 0, 2}));
    config["model"]["unk_token"] = nullptr;  // the Rust crate drops them without a word
    EXPECT_EQ(BpeTokenizer::from_json(config, "no unk").encode("a😀b", false).ids, (Ids{1, 2}));
}

TEST(BpeTokenizer, ContinuingSubwordPrefixIsLeftOutOfMergedTokens) {
    const nlohmann::json config = {
        {"normalizer", nullptr},
        {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}}},
        {"model",
         {{"type", "BPE"},
          {"unk_token", nullptr},
          {"continuing_subword_prefix", "##"},
          {"vocab", {{"a", 0}, {"##b", 1}, {"ab", 2}, {"##c", 3}}},
          {"merges", nlohmann::json::array({nlohmann::json::array({"a", "##b"})})}}}};  // the newer [a, b] layout
    EXPECT_EQ(BpeTokenizer::from_json(config, "prefix").encode("abc", false).tokens, (Strings{"ab", "##c"}));
}

TEST(BpeTokenizer, NfcNormalizerAndSequencePreTokenizerAreRead) {
    auto config = roberta_config();
    config["normalizer"] = {{"type", "Sequence"}, {"normalizers", {{{"type", "NFC"}}}}};
    config["pre_tokenizer"] = {{"type", "Sequence"}, {"pretokenizers", {roberta_config()["pre_tokenizer"]}}};
    const auto t = BpeTokenizer::from_json(config, "nfc");
    EXPECT_EQ(tokens_of(t, "cafe\u0301"), (Strings{"cafÃ©"}));  // e + combining acute composed to é
    EXPECT_NE(tokens_of(roberta(), "cafe\u0301"), (Strings{"cafÃ©"}));
}

TEST(BpeTokenizer, InvalidUtf8IsAnError) { EXPECT_THROW(roberta().encode("bad \xff"), emo::Error); }

TEST(BpeTokenizer, UnsupportedSettingsAreErrorsNamingTheField) {
    const auto expect_error = [](const nlohmann::json& config, const std::string& part) {
        const auto message = error_of(config);
        EXPECT_NE(message.find(part), std::string::npos) << message;
        EXPECT_NE(message.find("tok.json"), std::string::npos) << message;
    };
    auto c = roberta_config();
    c["model"]["dropout"] = 0.1;
    expect_error(c, "model.dropout");
    c = roberta_config();
    c["model"]["byte_fallback"] = true;
    expect_error(c, "model.byte_fallback");
    c = roberta_config();
    c["model"]["type"] = "WordPiece";
    expect_error(c, "model.type \"WordPiece\"");
    c = roberta_config();
    c["model"]["unk_token"] = "<nope>";
    expect_error(c, "model.unk_token");
    c = roberta_config();
    c["model"]["merges"] = {"Ġ zz"};
    expect_error(c, "model.merges[0]: \"zz\" is not in the vocabulary");
    c = roberta_config();
    c["model"]["merges"] = {"a p", "abc"};
    expect_error(c, "model.merges[1]");
    c = roberta_config();
    c["model"]["merges"] = {"x y"};  // both in the vocabulary, "xy" is not
    expect_error(c, "\"xy\" is not in the vocabulary");
    c = roberta_config();
    c["model"]["vocab"]["happy"] = 0;
    expect_error(c, "model.vocab: id 0 is taken twice");
    // Ids far beyond the vocabulary would ask for that many entries (found by fuzz_tokenizer_json: 46 GB).
    c = roberta_config();
    c["model"]["vocab"]["happy"] = 1461779000;
    expect_error(c, "model.vocab: the id of \"happy\" is not an integer from 0 to the vocabulary's");
    c = roberta_config();
    c["added_tokens"].push_back({{"id", 1461779000}, {"content", "<far>"}, {"special", true}});
    expect_error(c, "added_tokens: the id of \"<far>\" is out of range");
    c = roberta_config();
    c["pre_tokenizer"] = {{"type", "Metaspace"}};
    expect_error(c, "pre_tokenizer.type \"Metaspace\"");
    c = roberta_config();
    c["pre_tokenizer"] = nullptr;
    expect_error(c, "pre_tokenizer");
    c = roberta_config();
    c["pre_tokenizer"] = {{"type", "Sequence"},
                          {"pretokenizers", {{{"type", "Digits"}}, roberta_config()["pre_tokenizer"]}}};
    expect_error(c, "pre_tokenizer.pretokenizers");
    c = roberta_config();
    c["normalizer"] = {{"type", "Lowercase"}};
    expect_error(c, "normalizer.type \"Lowercase\"");
    c = roberta_config();
    c["post_processor"] = {{"type", "Nonsense"}};
    expect_error(c, "post_processor.type \"Nonsense\"");
    c = roberta_config();
    c["post_processor"]["cls"] = {"<s>", 5};
    expect_error(c, "post_processor");
    c = roberta_config();
    c["added_tokens"][4]["id"] = 7;
    expect_error(c, "added_tokens: id 7 of \"<mask>\"");
    c = roberta_config();
    c["model"]["vocab"] = "none";
    expect_error(c, "model.vocab");
}

namespace {

class BpeTokenizerFiles : public emo_test::ScratchDirTest {
protected:
    BpeTokenizerFiles() : ScratchDirTest("emo_bpe_") {}

    // The older layout: vocab.json, merges.txt (with its "#version" line), and optionally tokenizer_config.json.
    void write_vocab_files() {
        write("vocab.json", vocab_json().dump());
        std::string lines = "#version: 0.2\n";
        for (const auto& m : merges) lines += m + "\n";
        write("merges.txt", lines);
    }

    std::string error_loading(const std::string& path) {
        try {
            emo::text::load_checkpoint_tokenizer(path);
        } catch (const emo::Error& e) {
            return e.what();
        }
        ADD_FAILURE() << "accepted " << path;
        return "";
    }
};

}  // namespace

TEST_F(BpeTokenizerFiles, VocabJsonAndMergesTxtMakeRobertasTokenizer) {
    write_vocab_files();
    const auto t = emo::text::load_checkpoint_tokenizer(dir_.string());
    const auto reference = roberta();
    for (const std::string text : {"happy <mask> happy", "it's café 😀!!", "a  b\n123", "<s>abc</s>"})
        EXPECT_EQ(t->encode(text).ids, reference.encode(text).ids) << text;
    EXPECT_EQ(t->encode("happy").tokens, (Strings{"<s>", "happy", "</s>"}));
    EXPECT_EQ(t->vocab_size(), static_cast<std::size_t>(mask_id + 1));
}

TEST_F(BpeTokenizerFiles, TokenizerConfigGivesAddPrefixSpace) {
    write_vocab_files();
    write("tokenizer_config.json",
          R"({"add_prefix_space": true, "mask_token": {"content": "<mask>", "lstrip": true, "__type": "AddedToken"}})");
    const auto t = BpeTokenizer::load_directory(dir_.string());
    EXPECT_EQ(t.encode("happy <mask>", false).tokens, (Strings{"Ġhappy", "<mask>"}));
}

TEST_F(BpeTokenizerFiles, TokenizerJsonIsFoundByItsModelType) {
    write("tokenizer.json", roberta_config().dump());
    const auto from_dir = emo::text::load_checkpoint_tokenizer(dir_.string());
    const auto from_file = emo::text::load_checkpoint_tokenizer((dir_ / "tokenizer.json").string());
    EXPECT_EQ(from_dir->encode("happy happy").ids, (Ids{0, first_merged + 5, first_merged + 4, 2}));
    EXPECT_EQ(from_file->encode("happy happy").ids, from_dir->encode("happy happy").ids);
    EXPECT_NE(dynamic_cast<const BpeTokenizer*>(from_dir.get()), nullptr);
}

TEST_F(BpeTokenizerFiles, BrokenFilesAreErrorsNamingTheFile) {
    write_vocab_files();
    write("merges.txt", "#version: 0.2\na p\nabc\n");
    auto message = error_loading(dir_.string());
    EXPECT_NE(message.find("merges.txt:3"), std::string::npos) << message;

    std::filesystem::remove(dir_ / "merges.txt");
    message = error_loading(dir_.string());
    EXPECT_NE(message.find("merges.txt"), std::string::npos) << message;

    write_vocab_files();
    write("vocab.json", "{\"a\": ");
    message = error_loading(dir_.string());
    EXPECT_NE(message.find("vocab.json: not valid JSON"), std::string::npos) << message;

    write("tokenizer.json", roberta_config().dump().substr(0, 200));
    message = error_loading(dir_.string());
    EXPECT_NE(message.find("tokenizer.json: not valid JSON"), std::string::npos) << message;

    auto other = roberta_config();  // a model type no checkpoint tokenizer reads
    other["model"]["type"] = "CharLevel";
    write("tokenizer.json", other.dump());
    message = error_loading(dir_.string());
    EXPECT_NE(message.find("model.type \"CharLevel\""), std::string::npos) << message;

    std::filesystem::remove(dir_ / "tokenizer.json");
    std::filesystem::remove(dir_ / "vocab.json");
    std::filesystem::remove(dir_ / "merges.txt");
    message = error_loading(dir_.string());
    EXPECT_NE(message.find("no tokenizer.json"), std::string::npos) << message;
}
