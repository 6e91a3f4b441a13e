// Tests for src/text/pre_tokenizers (and the regular expressions of src/text/tokenizer_regex they use): how each
// tokenizer.json pre-tokenizer cuts a text, worked out by hand from the Rust tokenizers crate's definitions.
#include "text/pre_tokenizers.hpp"

#include "text/tokenizer_regex.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using emo::text::PreTokenizer;
using Strings = std::vector<std::string>;

Strings pieces(const nlohmann::json& config, const std::string& text, bool at_start = true) {
    Strings out;
    PreTokenizer::from_json(config, "test: pre_tokenizer").split(text, at_start, out);
    return out;
}

nlohmann::json split(const std::string& kind, const std::string& pattern, const std::string& behavior,
                     bool invert = false) {
    return {{"type", "Split"}, {"pattern", {{kind, pattern}}}, {"behavior", behavior}, {"invert", invert}};
}

const std::string bar = "\xE2\x96\x81";  // U+2581, sentencepiece's word mark

}  // namespace

TEST(PreTokenizers, NullKeepsTheTextWhole) { EXPECT_EQ(pieces(nullptr, "a b"), Strings({"a b"})); }

TEST(PreTokenizers, WhitespaceSplitsWordsFromOtherCharactersWithUnicodeClasses) {
    const nlohmann::json ws = {{"type", "Whitespace"}};
    EXPECT_EQ(pieces(ws, "Hello, world!! I'm"), Strings({"Hello", ",", "world", "!!", "I", "'", "m"}));
    // Rust's \w is Unicode's: accented and non-Latin letters, digits, marks and underscores are word characters.
    EXPECT_EQ(pieces(ws, "caf\xC3\xA9_9 \xD0\xB4\xD0\xB0?\xE2\x80\x94x"),
              Strings({"caf\xC3\xA9_9", "\xD0\xB4\xD0\xB0", "?\xE2\x80\x94", "x"}));
    EXPECT_EQ(pieces(ws,
                     "a\xC2\xA0"
                     "b\xE3\x80\x80"
                     "c"),
              Strings({"a", "b", "c"}));
    EXPECT_EQ(pieces({{"type", "WhitespaceSplit"}}, " a,b \t c\n"), Strings({"a,b", "c"}));
}

TEST(PreTokenizers, PunctuationDigitsAndBert) {
    EXPECT_EQ(pieces({{"type", "Punctuation"}}, "a,b!!c$"), Strings({"a", ",", "b", "!", "!", "c", "$"}));
    EXPECT_EQ(pieces({{"type", "Punctuation"}, {"behavior", "Contiguous"}}, "a!!b"), Strings({"a", "!!", "b"}));
    EXPECT_EQ(pieces({{"type", "Digits"}, {"individual_digits", false}}, "ab123c4"), Strings({"ab", "123", "c", "4"}));
    EXPECT_EQ(pieces({{"type", "Digits"}, {"individual_digits", true}}, "a12"), Strings({"a", "1", "2"}));
    EXPECT_EQ(pieces({{"type", "BertPreTokenizer"}}, "Hi, you.."), Strings({"Hi", ",", "you", ".", "."}));
    EXPECT_EQ(pieces({{"type", "CharDelimiterSplit"}, {"delimiter", "|"}}, "a|b||c"), Strings({"a", "b", "c"}));
}

TEST(PreTokenizers, SplitBehaviours) {
    EXPECT_EQ(pieces(split("String", ",", "Removed"), "a,b,,c"), Strings({"a", "b", "c"}));
    EXPECT_EQ(pieces(split("String", ",", "Isolated"), "a,b,,c"), Strings({"a", ",", "b", ",", ",", "c"}));
    // Only the first of two neighbouring matches merges; the second stays alone, as the crate's fold does.
    EXPECT_EQ(pieces(split("String", ",", "MergedWithPrevious"), "a,b,,c"), Strings({"a,", "b,", ",", "c"}));
    EXPECT_EQ(pieces(split("String", ",", "MergedWithNext"), "a,b,,c"), Strings({"a", ",b", ",", ",c"}));
    EXPECT_EQ(pieces(split("String", ",", "Contiguous"), "a,b,,c"), Strings({"a", ",", "b", ",,", "c"}));
    // invert: the pattern names what is kept.
    EXPECT_EQ(pieces(split("Regex", "\\p{L}+", "Removed", true), "ab 12 cd!"), Strings({"ab", "cd"}));
    EXPECT_EQ(pieces(split("Regex", "\\s+", "Removed"), "a \t b"), Strings({"a", "b"}));
}

TEST(PreTokenizers, SplitWithAGptStylePattern) {
    const auto gpt = split("Regex",
                           "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
                           "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
                           "Isolated");
    EXPECT_EQ(pieces(gpt, "I'M here  12345!!\n\nok"),
              Strings({"I", "'M", " here", " ", " ", "123", "45", "!!\n\n", "ok"}));
}

TEST(PreTokenizers, MetaspaceMarksWordsAsPrependSchemeSays) {
    const auto meta = [](const char* scheme, bool split_words = true) {
        return nlohmann::json{
            {"type", "Metaspace"}, {"replacement", bar}, {"prepend_scheme", scheme}, {"split", split_words}};
    };
    EXPECT_EQ(pieces(meta("always"), "Hello world"), Strings({bar + "Hello", bar + "world"}));
    EXPECT_EQ(pieces(meta("always"), " Hello"), Strings({bar + "Hello"}));  // no second mark before a space
    EXPECT_EQ(pieces(meta("always"), "a  b"), Strings({bar + "a", bar, bar + "b"}));
    EXPECT_EQ(pieces(meta("never"), "Hello world"), Strings({"Hello", bar + "world"}));
    EXPECT_EQ(pieces(meta("first"), "Hello world"), Strings({bar + "Hello", bar + "world"}));
    EXPECT_EQ(pieces(meta("first"), "Hello world", false), Strings({"Hello", bar + "world"}));
    EXPECT_EQ(pieces(meta("always", false), "Hello world"), Strings({bar + "Hello" + bar + "world"}));
    // Older files: add_prefix_space instead of prepend_scheme (false turns prepending off).
    EXPECT_EQ(pieces({{"type", "Metaspace"}, {"replacement", bar}, {"add_prefix_space", true}}, "a b"),
              Strings({bar + "a", bar + "b"}));
    EXPECT_EQ(pieces({{"type", "Metaspace"}, {"replacement", bar}, {"add_prefix_space", false}}, "a b"),
              Strings({"a", bar + "b"}));
    // Only U+0020 becomes the mark; a tab stays inside its word.
    EXPECT_EQ(pieces(meta("always"), "a\tb"), Strings({bar + "a\tb"}));
}

TEST(PreTokenizers, SequenceRunsItsStepsInOrder) {
    const nlohmann::json seq = {
        {"type", "Sequence"},
        {"pretokenizers", {{{"type", "WhitespaceSplit"}}, {{"type", "Digits"}, {"individual_digits", true}}}}};
    EXPECT_EQ(pieces(seq, "ab12 c"), Strings({"ab", "1", "2", "c"}));
}

TEST(PreTokenizers, UnsupportedSettingsAreErrorsNamingTheField) {
    EXPECT_THROW(pieces({{"type", "ByteLevel"}}, "a"), emo::Error);
    EXPECT_THROW(pieces({{"type", "Metaspace"}, {"replacement", "ab"}}, "a"), emo::Error);
    EXPECT_THROW(pieces({{"type", "Metaspace"}, {"replacement", bar}, {"prepend_scheme", "sometimes"}}, "a"),
                 emo::Error);
    EXPECT_THROW(pieces(split("String", ",", "Scattered"), "a"), emo::Error);
    try {
        pieces({{"type", "Sequence"}, {"pretokenizers", {{{"type", "UnicodeScripts"}}}}}, "a");
        FAIL();
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("pre_tokenizer.pretokenizers[0].type \"UnicodeScripts\""),
                  std::string::npos)
            << e.what();
    }
}

TEST(TokenizerRegex, FindsLeftmostFirstMatches) {
    using Matches = std::vector<std::pair<std::size_t, std::size_t>>;
    EXPECT_EQ(emo::text::TokenizerRegex("a|ab").find_all("abab"), (Matches{{0, 1}, {2, 3}}));
    EXPECT_EQ(emo::text::TokenizerRegex("x*").find_all("axx"), (Matches{{0, 0}, {1, 3}, {3, 3}}));
    EXPECT_EQ(emo::text::TokenizerRegex("[a-c]+?b").find_all("aab"), (Matches{{0, 3}}));
    EXPECT_EQ(emo::text::TokenizerRegex("(?:ab){2}").find_all("abababab"), (Matches{{0, 4}, {4, 8}}));
    EXPECT_EQ(emo::text::TokenizerRegex("\\x{e9}|\\.").find_all("\xC3\xA9."), (Matches{{0, 2}, {2, 3}}));
    // A long run is matched without a recursion per character.
    EXPECT_EQ(emo::text::TokenizerRegex("\\p{L}+").find_all(std::string(200000, 'a')), (Matches{{0, 200000}}));
    for (const char* bad : {"(a", "a)", "[a", "*a", "\\p{Han}", "(?<n>a)", "a{3,1}", "a++", "\\bx"})
        EXPECT_THROW(emo::text::TokenizerRegex{bad}, emo::Error) << bad;
}
