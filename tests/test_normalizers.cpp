// Tests for src/text/normalizers: the tokenizer.json normalizers the Unigram and WordLevel tokenizers run, each as the
// Rust tokenizers crate defines it; sentencepiece's precompiled_charsmap built here by tests/charsmap_builder.hpp,
// and hostile maps (truncated, pointing outside themselves) refused with errors rather than read out of bounds.
#include "text/normalizers.hpp"

#include "charsmap_builder.hpp"

#include <emo/emo.hpp>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using emo::text::Normalizer;
using emo::text::PrecompiledCharsmap;

std::string normalize(const nlohmann::json& config, const std::string& text) {
    return Normalizer::from_json(config, "test: normalizer").apply(text);
}

nlohmann::json precompiled(const std::string& bytes) {
    return {{"type", "Precompiled"}, {"precompiled_charsmap", emo_test::base64(bytes)}};
}

// Fullwidth A -> A, the ligature fi -> "fi", U+200B (zero width space) -> nothing, e + combining acute -> é,
// "e" + combining grave alone is no key.
const std::map<std::string, std::string> rules = {
    {"\xEF\xBC\xA1", "A"}, {"\xEF\xAC\x81", "fi"}, {"\xE2\x80\x8B", ""}, {"e\xCC\x81", "\xC3\xA9"}};

}  // namespace

TEST(Normalizers, NullIsTheIdentity) {
    EXPECT_TRUE(Normalizer::from_json(nullptr, "n").is_identity());
    EXPECT_EQ(normalize(nullptr, "Héllo  "), "Héllo  ");
}

TEST(Normalizers, UnicodeFormsLowercaseAndStripAccents) {
    EXPECT_EQ(normalize({{"type", "NFKC"}}, "\xEF\xAC\x81"), "fi");
    EXPECT_EQ(normalize({{"type", "NFD"}}, "\xC3\xA9"), "e\xCC\x81");
    EXPECT_EQ(normalize({{"type", "NFC"}}, "e\xCC\x81"), "\xC3\xA9");
    EXPECT_EQ(normalize({{"type", "NFKD"}}, "\xC2\xB2"), "2");
    // BERT's uncased pipeline as a Sequence: NFD, Lowercase, StripAccents (every mark, Mn Mc Me, is dropped).
    const nlohmann::json bert = {
        {"type", "Sequence"},
        {"normalizers", {{{"type", "NFD"}}, {{"type", "Lowercase"}}, {{"type", "StripAccents"}}}}};
    EXPECT_EQ(normalize(bert, "Ça VA Très BIEN"), "ca va tres bien");
    // U+0130's lowercase is two characters in Rust (i + combining dot), which StripAccents then drops.
    EXPECT_EQ(normalize({{"type", "Lowercase"}}, "\xC4\xB0"), "i\xCC\x87");
    EXPECT_EQ(normalize(bert, "\xC4\xB0stanbul"), "istanbul");
}

TEST(Normalizers, StripTakesWhiteSpaceFromTheChosenSides) {
    EXPECT_EQ(normalize({{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}}, " \t a b \xE3\x80\x80"),
              "a b");
    EXPECT_EQ(normalize({{"type", "Strip"}, {"strip_left", true}, {"strip_right", false}}, "  a  "), "a  ");
    EXPECT_EQ(normalize({{"type", "Strip"}, {"strip_left", false}, {"strip_right", true}}, "  a  "), "  a");
    EXPECT_EQ(normalize({{"type", "Strip"}}, "   "), "");
}

TEST(Normalizers, ReplaceTakesStringsAndRegexes) {
    const nlohmann::json spaces = {{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", " "}};
    EXPECT_EQ(normalize(spaces, "a  b   c d"), "a b c d");
    const nlohmann::json quotes = {{"type", "Replace"}, {"pattern", {{"String", "``"}}}, {"content", "\""}};
    EXPECT_EQ(normalize(quotes, "```a``"), "\"`a\"");
    const nlohmann::json classes = {{"type", "Replace"}, {"pattern", {{"Regex", "[\\p{Zs}\\t]+"}}}, {"content", "_"}};
    EXPECT_EQ(normalize(classes,
                        "a \t\xC2\xA0"
                        "b"),
              "a_b");
    EXPECT_EQ(normalize({{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}}, "a"),
              "\xE2\x96\x81"
              "a");
    EXPECT_EQ(normalize({{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}}, ""), "");
}

TEST(Normalizers, UnsupportedTypesAndRegexesAreErrorsNamingThem) {
    try {
        normalize({{"type", "Sequence"}, {"normalizers", {{{"type", "NFC"}}, {{"type", "Nmt"}}}}}, "a");
        FAIL();
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("normalizer.normalizers[1].type \"Nmt\""), std::string::npos) << e.what();
    }
    try {
        normalize({{"type", "Replace"}, {"pattern", {{"Regex", "a\\bb"}}}, {"content", ""}}, "a");
        FAIL();
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find("regex \"a\\bb\""), std::string::npos) << e.what();
    }
}

TEST(Precompiled, ReplacesMappedCharactersAndKeepsTheRest) {
    const auto map = precompiled(emo_test::build_charsmap(rules));
    EXPECT_EQ(normalize(map, "\xEF\xBC\xA1\xEF\xAC\x81x\xE2\x80\x8By"), "Afixy");
    EXPECT_EQ(normalize(map,
                        "caf"
                        "e\xCC\x81"),
              "caf\xC3\xA9");
    EXPECT_EQ(normalize(map, "plain text \xF0\x9F\x98\x80"), "plain text \xF0\x9F\x98\x80");
    // A grapheme of 6 bytes or more is mapped character by character: fi + two combining acutes (7 bytes).
    EXPECT_EQ(normalize(map, "\xEF\xAC\x81\xCC\x81\xCC\x81"), "fi\xCC\x81\xCC\x81");
}

TEST(Precompiled, AShortGraphemeIsReplacedWholeByItsFirstKey) {
    // The Rust crate's rule (not sentencepiece's longest match): "e" is a key, so the grapheme e + acute (3 bytes)
    // becomes what "e" maps to, the accent with it.
    auto with_e = rules;
    with_e["e"] = "E";
    EXPECT_EQ(normalize(precompiled(emo_test::build_charsmap(with_e)),
                        "e\xCC\x81"
                        "e"),
              "EE");
}

TEST(Precompiled, AnEmptyOrNullMapIsTheIdentity) {
    EXPECT_EQ(normalize(precompiled(""), "\xEF\xBC\xA1"), "\xEF\xBC\xA1");
    EXPECT_EQ(normalize({{"type", "Precompiled"}, {"precompiled_charsmap", nullptr}}, "x"), "x");
}

TEST(Precompiled, HostileMapsAreErrorsNotOutOfBoundsReads) {
    const auto good = emo_test::build_charsmap(rules);
    const auto throws_with = [](const std::string& bytes, const std::string& text, const std::string& needle) {
        try {
            normalize(precompiled(bytes), text);
            ADD_FAILURE() << "no error for " << needle;
        } catch (const emo::Error& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("precompiled_charsmap"), std::string::npos) << e.what();
        }
    };
    throws_with(good.substr(0, 3), "a", "too short");
    throws_with(good.substr(0, 40), "a", "beyond the map");  // the trie's declared size is cut off
    std::string odd = good;
    odd[0] = static_cast<char>(odd[0] + 1);
    throws_with(odd, "a", "not whole units");
    // The trie alone, its pool cut off: the first replacement found points beyond it.
    const std::uint32_t trie_size = static_cast<unsigned char>(good[0]) | static_cast<unsigned char>(good[1]) << 8;
    throws_with(good.substr(0, 4 + trie_size), "\xEF\xBC\xA1", "beyond the 0-byte pool");
    // A root whose offset leads outside the array.
    std::string wild = good;
    wild[4 + 3] = static_cast<char>(0x7F);
    throws_with(wild, "a", "the trie points to unit");
    EXPECT_THROW(normalize({{"type", "Precompiled"}, {"precompiled_charsmap", "not*base64"}}, "a"), emo::Error);
    EXPECT_THROW(PrecompiledCharsmap(std::string("\x08\x00\x00\x00\x00\x00\x00\x00", 8), "m").apply("a"),
                 emo::Error);  // a trie of two zero units and no pool: the root's first child is past the end
}
