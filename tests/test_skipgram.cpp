// Skip-gram training and the corpus reader that feeds it.
#include "train/corpus.hpp"
#include "train/skipgram.hpp"

#include <emo/emo.hpp>
#include <gtest/gtest.h>
#include <lzma.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using emo::train::CorpusFile;
using emo::train::CorpusKind;
using emo::train::CorpusStats;
using emo::train::TokenCorpus;
using emo::train::TokenCorpusBuilder;

class CorpusFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("emo_corpus_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(const std::string& name, const std::string& bytes) {
        auto p = dir_ / name;
        fs::create_directories(p.parent_path());
        std::ofstream out(p, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return p.string();
    }

    // Every sentence of the files a spec resolves to, tokens joined by spaces.
    static std::vector<std::string> sentences(const std::string& spec, CorpusStats* stats = nullptr) {
        CorpusStats local;
        std::vector<std::string> out;
        for (const auto& file : emo::train::resolve_corpus(spec))
            emo::train::read_corpus_file(
                file,
                [&](const std::vector<std::string_view>& tokens) {
                    std::string s;
                    for (auto t : tokens) {
                        if (!s.empty()) s += ' ';
                        s += t;
                    }
                    out.push_back(s);
                },
                stats ? *stats : local);
        return out;
    }

    static std::string xz(const std::string& text) {
        std::string out(lzma_stream_buffer_bound(text.size()), '\0');
        std::size_t pos = 0;
        auto ret = lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                           reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                                           reinterpret_cast<std::uint8_t*>(out.data()), &pos, out.size());
        EXPECT_EQ(ret, LZMA_OK);
        out.resize(pos);
        return out;
    }

    fs::path dir_;
};

TEST_F(CorpusFiles, PlainTextKeepsPunctuationAndSkipsInvalidUtf8) {
    auto p = write("chat.txt", "Wow, I'm SO happy!!\r\n\nbad \xff byte\nwhat?\n \nlast line without newline");
    CorpusStats stats;
    auto s = sentences(p, &stats);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0], "wow , i'm so happy !!");
    EXPECT_EQ(s[1], "what ?");
    EXPECT_EQ(s[2], "last line without newline");
    EXPECT_EQ(stats.invalid_utf8, 1u);
    EXPECT_EQ(stats.sentences, 3u);
    EXPECT_EQ(stats.lines, 6u);
    EXPECT_EQ(stats.files, 1u);
}

TEST_F(CorpusFiles, SwitchboardDirectoryUsesTextFieldAndIgnoresMetadata) {
    write("swda/train/2005.txt", "A|Okay.|fo_o_fw_\"_by_bc\nB|Uh, I love it!|sv\n");
    write("swda/test/2121.txt", "A|Really?|qy\n");
    write("swda/metadata/labels.txt", "sd\nb\nsv\n");
    write("swda/metadata/label_map.txt", "Statement-non-opinion|sd\n");
    auto files = emo::train::resolve_corpus((dir_ / "swda").string());
    ASSERT_EQ(files.size(), 2u);
    for (const auto& f : files) EXPECT_EQ(f.kind, CorpusKind::swda);
    auto s = sentences((dir_ / "swda").string());
    EXPECT_EQ(s, (std::vector<std::string>{"really ?", "okay .", "uh , i love it !"}));  // sorted paths
}

TEST_F(CorpusFiles, XzShardsAreStreamed) {
    std::string text;
    for (int i = 0; i < 5000; ++i) text += "\"Oh, don't!\" said she, number " + std::to_string(i) + ".\n";
    text += "\nsecond document.\n";
    write("shards/part-000.txt.xz", xz(text));
    write("shards/part-001.txt.xz", xz("Hello there.\n"));
    write("shards/notes.txt", "not part of the corpus\n");
    auto files = emo::train::resolve_corpus((dir_ / "shards").string());
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].kind, CorpusKind::xz_text);
    auto s = sentences((dir_ / "shards").string());
    ASSERT_EQ(s.size(), 5002u);
    EXPECT_EQ(s[0], "\" oh , don't ! \" said she , number 0 .");
    EXPECT_EQ(s[4999], "\" oh , don't ! \" said she , number 4999 .");
    EXPECT_EQ(s[5000], "second document .");
    EXPECT_EQ(s[5001], "hello there .");
}

TEST_F(CorpusFiles, CorruptXzThrowsNamingTheFile) {
    auto good = xz(std::string(100000, 'a') + "\n");
    for (auto bytes : {good.substr(0, good.size() / 2), std::string("not xz at all")}) {
        auto p = write("bad.txt.xz", bytes);
        try {
            sentences(p);
            FAIL() << "no error";
        } catch (const emo::Error& e) {
            EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
        }
    }
}

TEST_F(CorpusFiles, KindPrefixForcesTheKindAndMissingPathsThrow) {
    auto p = write("t.txt", "A|x y|sd\n");
    EXPECT_EQ(emo::train::resolve_corpus(p)[0].kind, CorpusKind::swda);
    EXPECT_EQ(emo::train::resolve_corpus("text:" + p)[0].kind, CorpusKind::plain_text);
    EXPECT_EQ(sentences("text:" + p), (std::vector<std::string>{"a | x y | sd"}));
    EXPECT_THROW(emo::train::resolve_corpus((dir_ / "missing").string()), emo::Error);
    fs::create_directories(dir_ / "empty");
    EXPECT_THROW(emo::train::resolve_corpus((dir_ / "empty").string()), emo::Error);
    EXPECT_THROW(emo::train::parse_corpus_kind("csv"), emo::Error);
}

TEST(TokenCorpusBuilder, CutsVocabularyByCountThenSize) {
    TokenCorpusBuilder b;
    b.add({"b", "a", "rare", "a"});
    b.add({"rare2"});  // becomes empty and disappears
    b.add({"c", "b", "a", "c"});
    b.add({});
    auto c = b.finish(2, 2);  // a:3 b:2 c:2 -> a, then b before c by bytes
    EXPECT_EQ(c.words, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(c.counts, (std::vector<std::int64_t>{3, 2}));
    EXPECT_EQ(c.tokens, (std::vector<std::int32_t>{1, 0, 0, 1, 0}));
    EXPECT_EQ(c.sentence_ends, (std::vector<std::size_t>{3, 5}));
    EXPECT_EQ(c.dropped_tokens, 4u);
    EXPECT_EQ(b.size(), 0u);
}

// Two animals share every context, two vehicles share others; neither pair ever co-occurs.
TokenCorpus topic_corpus(std::uint32_t seed) {
    const std::vector<std::vector<std::string>> subjects = {{"cat", "dog"}, {"car", "truck"}};
    const std::vector<std::vector<std::string>> contexts = {
        {"pet", "feed", "furry", "bark", "purr", "vet", "leash", "cuddle"},
        {"drive", "engine", "road", "wheel", "fuel", "park", "garage", "brake"}};
    std::mt19937 rng(seed);
    TokenCorpusBuilder b;
    for (int n = 0; n < 3000; ++n) {
        std::size_t topic = rng() % 2;
        std::vector<std::string> words;
        for (int k = 0; k < 3; ++k) words.push_back(contexts[topic][rng() % 8]);
        words.insert(words.begin() + static_cast<std::ptrdiff_t>(rng() % 4), subjects[topic][rng() % 2]);
        std::vector<std::string_view> views(words.begin(), words.end());
        b.add(views);
    }
    return b.finish(1, 1000);
}

double cosine(const emo::text::WordVectors& v, std::string_view a, std::string_view b) {
    const float* x = v.find(a);
    const float* y = v.find(b);
    EXPECT_TRUE(x && y);
    double dot = 0, nx = 0, ny = 0;
    for (std::size_t d = 0; d < v.dim(); ++d) {
        dot += x[d] * y[d];
        nx += x[d] * x[d];
        ny += y[d] * y[d];
    }
    return dot / std::sqrt(nx * ny);
}

emo::train::SkipGramOptions small_options() {
    emo::train::SkipGramOptions o;
    o.dim = 16;
    o.epochs = 5;
    o.sample = 0;  // every word of a 20-word vocabulary is "frequent"; subsampling would drop nearly all
    o.threads = 1;
    o.seed = 3;
    return o;
}

TEST(SkipGram, WordsSharingContextsEndUpClose) {
    auto v = emo::train::train_skipgram(topic_corpus(1), small_options());
    ASSERT_EQ(v.dim(), 16u);
    ASSERT_EQ(v.size(), 20u);
    EXPECT_GT(cosine(v, "cat", "dog"), cosine(v, "cat", "car") + 0.3);
    EXPECT_GT(cosine(v, "cat", "dog"), cosine(v, "dog", "truck") + 0.3);
    EXPECT_GT(cosine(v, "car", "truck"), cosine(v, "truck", "cat") + 0.3);
}

TEST(SkipGram, OneThreadIsDeterministicForASeed) {
    auto corpus = topic_corpus(2);
    auto opt = small_options();
    opt.epochs = 1;
    auto a = emo::train::train_skipgram(corpus, opt);
    auto b = emo::train::train_skipgram(corpus, opt);
    opt.seed = 4;
    auto c = emo::train::train_skipgram(corpus, opt);
    ASSERT_EQ(a.size(), b.size());
    bool same_as_b = true, same_as_c = true;
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t d = 0; d < a.dim(); ++d) {
            same_as_b = same_as_b && a.row(i)[d] == b.row(i)[d];
            same_as_c = same_as_c && a.row(i)[d] == c.row(i)[d];
        }
    EXPECT_TRUE(same_as_b);
    EXPECT_FALSE(same_as_c);
}

TEST(SkipGram, SeveralThreadsAndSubsamplingGiveFiniteVectors) {
    auto opt = small_options();
    opt.threads = 3;
    opt.sample = 1e-2;
    opt.epochs = 2;
    auto v = emo::train::train_skipgram(topic_corpus(3), opt);
    for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t d = 0; d < v.dim(); ++d) ASSERT_TRUE(std::isfinite(v.row(i)[d]));
}

TEST(SkipGram, RejectsBadOptionsAndEmptyCorpus) {
    auto corpus = topic_corpus(4);
    auto opt = small_options();
    opt.dim = 0;
    EXPECT_THROW(emo::train::train_skipgram(corpus, opt), emo::Error);
    opt = small_options();
    opt.threads = 0;
    EXPECT_THROW(emo::train::train_skipgram(corpus, opt), emo::Error);
    EXPECT_THROW(emo::train::train_skipgram(TokenCorpus{}, small_options()), emo::Error);
}

}  // namespace
