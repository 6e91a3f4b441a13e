// Tests for src/text/tokenizer: normalisation, UTF-8 validation and word/punctuation tokenisation.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "emo/emo.hpp"
#include "text/tokenizer.hpp"

namespace {

using emo::text::is_valid_utf8;
using emo::text::is_word;
using emo::text::normalize;
using emo::text::tokenize;

std::vector<std::string> tokens_of(std::string_view raw) {
    const std::string norm = normalize(raw);
    std::vector<std::string> out;
    for (auto t : tokenize(norm)) out.emplace_back(t);
    return out;
}

using Tokens = std::vector<std::string>;

// ----- normalize -----------------------------------------------------------------------------------------------

TEST(Normalize, FoldsAsciiCaseToLower) { EXPECT_EQ(normalize("Hello WORLD"), "hello world"); }

TEST(Normalize, FoldsNonAsciiCaseToLower) {
    EXPECT_EQ(normalize("CAFÉ ÜBER"), "café über");
    EXPECT_EQ(normalize("ΣΟΦΙΑ"), "σοφια");
}

TEST(Normalize, MapsCurlyQuotesToAscii) {
    EXPECT_EQ(normalize("\u201CHi\u201D"), "\"hi\"");
    EXPECT_EQ(normalize("don\u2019t"), "don't");
    EXPECT_EQ(normalize("\u2018ok\u2019"), "'ok'");
}

TEST(Normalize, MapsBacktickToApostropheOnAsciiPath) { EXPECT_EQ(normalize("don`t"), "don't"); }

TEST(Normalize, MapsDashesAndEllipsisToAscii) {
    EXPECT_EQ(normalize("wait\u2014what\u2026"), "wait-what...");
    EXPECT_EQ(normalize("a\u2013b"), "a-b");
}

TEST(Normalize, CollapsesWhitespaceRunsAndTrimsEnds) {
    EXPECT_EQ(normalize("  a \t\n  b\r\n c   "), "a b c");
    EXPECT_EQ(normalize("   "), "");
    EXPECT_EQ(normalize(""), "");
}

TEST(Normalize, TreatsUnicodeSpacesAsWhitespace) {
    // U+00A0 no-break space, U+2003 em space, U+3000 ideographic space.
    EXPECT_EQ(normalize("a\u00A0\u00A0b\u2003c\u3000d"), "a b c d");
}

TEST(Normalize, CollapsesWhitespaceAroundNonAsciiText) { EXPECT_EQ(normalize(" \t café \n\n au  lait "), "café au lait"); }

TEST(Normalize, AppliesNfkcToFullWidthLetters) {
    EXPECT_EQ(normalize("\uFF28\uFF45\uFF4C\uFF4C\uFF4F"), "hello");  // "Ｈｅｌｌｏ"
    EXPECT_EQ(normalize("\uFF11\uFF12\uFF13"), "123");              // full-width digits
}

TEST(Normalize, AppliesNfkcToCompatibilityCharacters) {
    EXPECT_EQ(normalize("\uFB01ne"), "fine");  // "ﬁ" ligature
    EXPECT_EQ(normalize("\u2460"), "1");       // circled digit one
}

TEST(Normalize, ComposesDecomposedAccents) {
    // "e" + combining acute accent becomes the precomposed "é".
    EXPECT_EQ(normalize("cafe\u0301"), "caf\u00E9");
}

TEST(Normalize, DropsControlCharacters) {
    EXPECT_EQ(normalize(std::string("a\x01" "b\x7f" "c")), "abc");
}

TEST(Normalize, InvalidUtf8ThrowsEmoError) {
    EXPECT_THROW(normalize("abc\xff"), emo::Error);
    EXPECT_THROW(normalize("caf\xc3"), emo::Error);          // truncated two-byte sequence
    EXPECT_THROW(normalize("\xc0\xaf"), emo::Error);         // overlong '/'
    EXPECT_THROW(normalize("ok \xed\xa0\x80 ok"), emo::Error);  // UTF-16 surrogate
}

TEST(Normalize, IsIdempotent) {
    for (std::string_view s : {"Hello,  WORLD!!", "\u201CDon\u2019t\u201D \uFF21", "CAFÉ\u00A0au lait\u2026"}) {
        const std::string once = normalize(s);
        EXPECT_EQ(normalize(once), once) << s;
    }
}

// ----- is_valid_utf8 -------------------------------------------------------------------------------------------

TEST(IsValidUtf8, AcceptsAsciiAndMultiByteText) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9"));             // 2 bytes
    EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));            // 3 bytes (euro sign)
    EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));        // 4 bytes (emoji)
    EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));        // U+10FFFF, the largest code point
}

TEST(IsValidUtf8, RejectsTruncatedSequences) {
    EXPECT_FALSE(is_valid_utf8("\xc3"));
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));
    EXPECT_FALSE(is_valid_utf8("\xf0\x9f\x98"));
    EXPECT_FALSE(is_valid_utf8("ab\xe2\x82" "c"));  // continuation byte replaced by ASCII
}

TEST(IsValidUtf8, RejectsLoneContinuationAndInvalidBytes) {
    EXPECT_FALSE(is_valid_utf8("\x80"));
    EXPECT_FALSE(is_valid_utf8("a\xbf" "b"));
    EXPECT_FALSE(is_valid_utf8("\xfe"));
    EXPECT_FALSE(is_valid_utf8("\xff"));
}

TEST(IsValidUtf8, RejectsOverlongEncodings) {
    EXPECT_FALSE(is_valid_utf8("\xc0\x80"));              // overlong NUL
    EXPECT_FALSE(is_valid_utf8("\xc1\xbf"));              // overlong 0x7F
    EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));          // overlong '/' in 3 bytes
    EXPECT_FALSE(is_valid_utf8("\xf0\x80\x80\xaf"));      // overlong '/' in 4 bytes
}

TEST(IsValidUtf8, RejectsSurrogatesAndCodePointsAboveMax) {
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));          // U+D800
    EXPECT_FALSE(is_valid_utf8("\xed\xbf\xbf"));          // U+DFFF
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));      // U+110000
}

TEST(IsValidUtf8, AcceptsEmbeddedNul) { EXPECT_TRUE(is_valid_utf8(std::string_view("a\0b", 3))); }

// ----- tokenize ------------------------------------------------------------------------------------------------

TEST(Tokenize, SplitsWordsOnSpaces) { EXPECT_EQ(tokens_of("I am happy"), (Tokens{"i", "am", "happy"})); }

TEST(Tokenize, KeepsInnerApostrophesInWords) {
    EXPECT_EQ(tokens_of("I don't know"), (Tokens{"i", "don't", "know"}));
    EXPECT_EQ(tokens_of("I'm fine, y'all"), (Tokens{"i'm", "fine", ",", "y'all"}));
    EXPECT_EQ(tokens_of("Don\u2019t"), (Tokens{"don't"}));  // curly apostrophe normalised first
}

TEST(Tokenize, SplitsLeadingAndTrailingApostrophesFromWords) {
    EXPECT_EQ(tokens_of("'cause"), (Tokens{"'", "cause"}));
    EXPECT_EQ(tokens_of("dogs' toys"), (Tokens{"dogs", "'", "toys"}));
}

TEST(Tokenize, KeepsRunsOfSentenceMarksAsOneToken) {
    EXPECT_EQ(tokens_of("wow!!!"), (Tokens{"wow", "!!!"}));
    EXPECT_EQ(tokens_of("really?!"), (Tokens{"really", "?!"}));
    EXPECT_EQ(tokens_of("well..."), (Tokens{"well", "..."}));
    EXPECT_EQ(tokens_of("what?!?! no"), (Tokens{"what", "?!?!", "no"}));
}

TEST(Tokenize, SplitsQuotesFromSentenceMarks) {
    EXPECT_EQ(tokens_of("\"Stop!\""), (Tokens{"\"", "stop", "!", "\""}));
    EXPECT_EQ(tokens_of("no!\" she said"), (Tokens{"no", "!", "\"", "she", "said"}));
}

TEST(Tokenize, SplitsBracketsAndCommasIntoSingleTokens) {
    EXPECT_EQ(tokens_of("(yes),no"), (Tokens{"(", "yes", ")", ",", "no"}));
    EXPECT_EQ(tokens_of("a\"(b"), (Tokens{"a", "\"", "(", "b"}));
}

TEST(Tokenize, KeepsRunsOfOneRepeatedSymbolTogether) {
    EXPECT_EQ(tokens_of("wait -- what"), (Tokens{"wait", "--", "what"}));
    EXPECT_EQ(tokens_of("**"), (Tokens{"**"}));
}

TEST(Tokenize, KeepsNonAsciiLettersInOneWord) {
    EXPECT_EQ(tokens_of("Café au lait"), (Tokens{"café", "au", "lait"}));
    EXPECT_EQ(tokens_of("naïve résumé"), (Tokens{"naïve", "résumé"}));
    EXPECT_EQ(tokens_of("привет мир"), (Tokens{"привет", "мир"}));
}

TEST(Tokenize, KeepsDigitsInWords) { EXPECT_EQ(tokens_of("b2b 2024"), (Tokens{"b2b", "2024"})); }

TEST(Tokenize, ReturnsViewsIntoTheNormalisedText) {
    const std::string norm = normalize("Hello there!");
    auto toks = tokenize(norm);
    ASSERT_FALSE(toks.empty());
    for (auto t : toks) {
        EXPECT_GE(t.data(), norm.data());
        EXPECT_LE(t.data() + t.size(), norm.data() + norm.size());
    }
}

TEST(Tokenize, EmptyAndBlankInputGiveNoTokens) {
    EXPECT_TRUE(tokenize("").empty());
    EXPECT_TRUE(tokenize(" ").empty());
}

TEST(Tokenize, NeverProducesEmptyTokensOrSpaces) {
    for (std::string_view s : {"a  b", "!!! ???", "\"a\" 'b' (c)", "x\u00A0y", "\u2026\u2026"}) {
        const std::string normalized = normalize(s);  // the tokens are views into it: keep it alive
        for (auto t : tokenize(normalized)) {
            EXPECT_FALSE(t.empty()) << s;
            EXPECT_EQ(t.find(' '), std::string_view::npos) << s;
        }
    }
}

TEST(IsWord, DistinguishesWordsFromPunctuation) {
    EXPECT_TRUE(is_word("hello"));
    EXPECT_TRUE(is_word("42"));
    EXPECT_TRUE(is_word("été"));
    EXPECT_FALSE(is_word("!!!"));
    EXPECT_FALSE(is_word("'"));
    EXPECT_FALSE(is_word(""));
}

}  // namespace
