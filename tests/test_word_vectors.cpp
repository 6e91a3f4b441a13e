#include "text/word_vectors.hpp"

#include "core/safetensors.hpp"

#include <emo/emo.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

using emo::text::WordVectors;
namespace fs = std::filesystem;

class WordVectorsFile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("emo_wv_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    static std::string read_bytes(const std::string& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    static void write_bytes(const std::string& p, const std::string& bytes) {
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    // A file with the given JSON header and `data_bytes` zero bytes of tensor data.
    static std::string safetensors(const std::string& header, std::size_t data_bytes) {
        std::string out(8, '\0');
        for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
        return out + header + std::string(data_bytes, '\0');
    }

    fs::path dir_;
};

WordVectors sample_vectors() {
    std::vector<std::string> words = {"happy", "sad", "!", "don't", "café", "\"", "\\"};
    std::vector<float> m(words.size() * 4);
    for (std::size_t i = 0; i < m.size(); ++i) m[i] = std::sin(static_cast<float>(i)) * 0.7f;
    return WordVectors(words, m, 4);
}

void expect_throws_naming(const std::string& path) {
    try {
        WordVectors::load(path);
        FAIL() << "no error for " << path;
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

TEST(WordVectors, FindAndAverageUseKnownWordsOnly) {
    WordVectors v({"a", "b"}, {1, 2, 3, 4}, 2);
    ASSERT_NE(v.find("a"), nullptr);
    EXPECT_EQ(v.find("b")[1], 4.0f);
    EXPECT_EQ(v.find("c"), nullptr);
    float out[2];
    EXPECT_EQ(v.average({"a", "zzz", "b"}, out), 2u);
    EXPECT_FLOAT_EQ(out[0], 2.0f);
    EXPECT_FLOAT_EQ(out[1], 3.0f);
    EXPECT_EQ(v.average({"zzz"}, out), 0u);
    EXPECT_EQ(out[0], 0.0f);
    EXPECT_EQ(out[1], 0.0f);
}

TEST(WordVectors, RejectsWordsTheFileCannotHold) {
    EXPECT_THROW(WordVectors({"a", "a"}, {1, 2}, 1), emo::Error);
    EXPECT_THROW(WordVectors({"a\nb"}, {1}, 1), emo::Error);
    EXPECT_THROW(WordVectors({""}, {1}, 1), emo::Error);
    EXPECT_THROW(WordVectors({"\xff"}, {1}, 1), emo::Error);
    EXPECT_THROW(WordVectors({"a"}, {1, 2, 3}, 2), emo::Error);
}

TEST(WordVectors, PruneKeepsOrderAndLimit) {
    WordVectors v({"the", "!", "cat", "dog"}, {1, 2, 3, 4}, 1);
    auto words_only = v.prune([](std::string_view w) { return w != "!"; }, 2);
    ASSERT_EQ(words_only.size(), 2u);
    EXPECT_EQ(words_only.words()[0], "the");
    EXPECT_EQ(words_only.words()[1], "cat");
    EXPECT_EQ(words_only.find("cat")[0], 3.0f);
    EXPECT_EQ(words_only.find("!"), nullptr);
}

TEST(WordVectors, NearestRanksByCosine) {
    WordVectors v({"x", "near", "far", "opposite"}, {1, 0, 0.9f, 0.1f, 0, 1, -1, 0}, 2);
    auto n = v.nearest("x", 3);
    ASSERT_EQ(n.size(), 3u);
    EXPECT_EQ(n[0].first, "near");
    EXPECT_EQ(n[2].first, "opposite");
    EXPECT_TRUE(v.nearest("unknown", 3).empty());
}

TEST_F(WordVectorsFile, RoundTripF32IsExact) {
    auto v = sample_vectors();
    v.save(path("v.safetensors"), WordVectors::Dtype::f32);
    auto w = WordVectors::load(path("v.safetensors"));
    ASSERT_EQ(w.words(), v.words());
    ASSERT_EQ(w.dim(), v.dim());
    for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t d = 0; d < v.dim(); ++d) EXPECT_EQ(w.row(i)[d], v.row(i)[d]);
}

TEST_F(WordVectorsFile, RoundTripF16IsCloseAndSmaller) {
    auto v = sample_vectors();
    v.save(path("h.safetensors"));
    v.save(path("f.safetensors"), WordVectors::Dtype::f32);
    EXPECT_LT(fs::file_size(path("h.safetensors")), fs::file_size(path("f.safetensors")));
    auto w = WordVectors::load(path("h.safetensors"));
    ASSERT_EQ(w.words(), v.words());
    ASSERT_NE(w.find("café"), nullptr);
    for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t d = 0; d < v.dim(); ++d) EXPECT_NEAR(w.row(i)[d], v.row(i)[d], 1e-3);
    // Data starts 8-byte aligned, as safetensors readers that map files expect.
    auto bytes = read_bytes(path("h.safetensors"));
    std::uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
    EXPECT_EQ(n % 8, 0u);
}

TEST_F(WordVectorsFile, EmptyTableRoundTrips) {
    WordVectors(3).save(path("e.safetensors"));
    auto w = WordVectors::load(path("e.safetensors"));
    EXPECT_EQ(w.size(), 0u);
    EXPECT_EQ(w.dim(), 3u);
}

TEST_F(WordVectorsFile, SaveWritesTheSafetensorsLayout) {
    // Other tools read these files: tensor "vectors" [rows, dim] in F16 and the vocabulary one word a line.
    auto v = sample_vectors();
    v.save(path("v.safetensors"));
    auto file = emo::core::read_safetensors(path("v.safetensors"));
    ASSERT_EQ(file.tensors.size(), 1u);
    const auto& t = file.tensors.at("vectors");
    EXPECT_EQ(t.shape, (std::vector<std::int64_t>{7, 4}));
    EXPECT_EQ(file.metadata.at("vocab"), "happy\nsad\n!\ndon't\ncafé\n\"\n\\");
    EXPECT_NE(read_bytes(path("v.safetensors")).find(R"("dtype":"F16")"), std::string::npos);
    EXPECT_FALSE(fs::exists(path("v.safetensors.tmp")));
}

TEST_F(WordVectorsFile, SaveRefusesNonFiniteValuesNamingTheFile) {
    WordVectors v({"a", "b"}, {1.0f, NAN}, 1);
    try {
        v.save(path("nan.safetensors"));
        FAIL() << "saved NaN";
    } catch (const emo::Error& e) {
        EXPECT_NE(std::string(e.what()).find(path("nan.safetensors")), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(path("nan.safetensors")));
}

TEST_F(WordVectorsFile, MissingFileNamesIt) { expect_throws_naming(path("nope.safetensors")); }

TEST_F(WordVectorsFile, TruncatedFilesThrow) {
    sample_vectors().save(path("v.safetensors"));
    auto bytes = read_bytes(path("v.safetensors"));
    for (std::size_t keep : {std::size_t{0}, std::size_t{5}, std::size_t{8}, std::size_t{20}, bytes.size() / 2,
                             bytes.size() - 1}) {
        write_bytes(path("t.safetensors"), bytes.substr(0, keep));
        expect_throws_naming(path("t.safetensors"));
    }
}

TEST_F(WordVectorsFile, HeaderLengthBeyondFileThrows) {
    sample_vectors().save(path("v.safetensors"));
    auto bytes = read_bytes(path("v.safetensors"));
    for (std::uint64_t n : {std::uint64_t{bytes.size()}, std::uint64_t{1} << 40, ~std::uint64_t{0}}) {
        for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((n >> (8 * i)) & 0xff);
        write_bytes(path("h.safetensors"), bytes);
        expect_throws_naming(path("h.safetensors"));
    }
}

TEST_F(WordVectorsFile, BadHeadersThrow) {
    const std::string vocab = R"("__metadata__":{"vocab":"a\nb"})";
    const std::vector<std::pair<std::string, std::size_t>> cases = {
        {"not json", 16},
        {"[1,2]", 16},
        {"{" + vocab + "}", 16},  // no tensor
        {R"({"vectors":{"dtype":"F16","shape":[2,4],"data_offsets":[0,16]}})", 16},  // no vocab
        {R"({"vectors":{"dtype":"I8","shape":[2,4],"data_offsets":[0,8]},)" + vocab + "}", 8},
        {R"({"vectors":{"dtype":"F16","shape":[2,4,1],"data_offsets":[0,16]},)" + vocab + "}", 16},
        {R"({"vectors":{"dtype":"F16","shape":[2,-4],"data_offsets":[0,16]},)" + vocab + "}", 16},
        {R"({"vectors":{"dtype":"F16","shape":[2,0],"data_offsets":[0,0]},)" + vocab + "}", 0},
        {R"({"vectors":{"dtype":"F16","shape":[3,4],"data_offsets":[0,24]},)" + vocab + "}", 24},  // 2 words, 3 rows
        {R"({"vectors":{"dtype":"F16","shape":[1,4],"data_offsets":[0,8]},)" + vocab + "}", 8},    // 2 words, 1 row
        {R"({"vectors":{"dtype":"F16","shape":[2,4],"data_offsets":[0,16]},)" + vocab + "}", 8},   // data short
        {R"({"vectors":{"dtype":"F16","shape":[2,4],"data_offsets":[8,24]},)" + vocab + "}", 16},  // past the end
        {R"({"vectors":{"dtype":"F16","shape":[2,4],"data_offsets":[16,0]},)" + vocab + "}", 16},
        {R"({"vectors":{"dtype":"F16","shape":[2,4],"data_offsets":[0,12]},)" + vocab + "}", 16},  // wrong size
        {R"({"vectors":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]},)" + vocab + "}", 16},
        {R"({"vectors":{"dtype":"F16","shape":[2,4],"data_offsets":[0,16]},"__metadata__":{"vocab":"a\na"}})", 16},
        {R"({"vectors":{"dtype":"F16","shape":[2,4],"data_offsets":[0,16]},"__metadata__":{"vocab":"a\n"}})", 16},
        {R"({"vectors":{"dtype":"F16","shape":[2,4],"data_offsets":[0,16]},"__metadata__":{"vocab":7}})", 16},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        auto p = path("bad" + std::to_string(i) + ".safetensors");
        write_bytes(p, safetensors(cases[i].first, cases[i].second));
        SCOPED_TRACE(cases[i].first);
        expect_throws_naming(p);
    }
    // The well-formed twin of the cases above loads.
    write_bytes(path("good.safetensors"),
                safetensors(R"({"vectors":{"dtype":"F16","shape":[2,4],"data_offsets":[0,16]},)" + vocab + "}", 16));
    EXPECT_EQ(WordVectors::load(path("good.safetensors")).size(), 2u);
}

TEST_F(WordVectorsFile, NonFiniteValuesThrow) {
    std::string header = R"({"vectors":{"dtype":"F16","shape":[1,1],"data_offsets":[0,2]},"__metadata__":{"vocab":"a"}})";
    auto bytes = safetensors(header, 2);
    bytes[bytes.size() - 1] = static_cast<char>(0x7c);  // +infinity in half precision
    write_bytes(path("inf.safetensors"), bytes);
    expect_throws_naming(path("inf.safetensors"));
}

TEST_F(WordVectorsFile, RandomCorruptionNeverCrashes) {
    sample_vectors().save(path("v.safetensors"));
    const auto good = read_bytes(path("v.safetensors"));
    std::mt19937 rng(7);
    for (int trial = 0; trial < 300; ++trial) {
        auto bytes = good;
        int flips = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < flips; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xff);
        write_bytes(path("c.safetensors"), bytes);
        try {
            // Flips inside the vector data (or JSON whitespace) leave a valid file: it must be self-consistent.
            auto v = WordVectors::load(path("c.safetensors"));
            EXPECT_EQ(v.size(), v.words().size());
            for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v.find(v.words()[i]), v.row(i));
        } catch (const emo::Error&) {
        }
    }
}

}  // namespace
